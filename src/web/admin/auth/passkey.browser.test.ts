import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/chromium.ts';
import { createTestStaff, type TestStaff } from '../../../../test/sign-in.ts';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withIdentity, withPlatform } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';

/**
 * The inventoried passkey script (static/js/passkey.js) in real Chromium, with Chromium's virtual
 * authenticator (CDP WebAuthn domain) standing in for a platform authenticator: a shop staff
 * member without a second factor registers a passkey on the staff origin, signs out, and signs in
 * again with it. The app runs production-style (BASE_DOMAIN set), so the page really is on
 * http://staff.<domain> (the relying party the server checks); Chromium maps that host to the
 * test server's port. *.localhost is a secure context, as WebAuthn requires.
 */

const BASE_DOMAIN = 'localhost';
const STAFF_ORIGIN = `http://staff.${BASE_DOMAIN}`;

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let browser: Browser;
let tenantId = '';
let shopSlug = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database, { env: { BASE_URL: `http://${BASE_DOMAIN}`, BASE_DOMAIN } }));
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium({ extraArgs: [`--host-resolver-rules=MAP staff.${BASE_DOMAIN}:80 127.0.0.1:${port}`] });
  const shop = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).orderBy('sort_order').executeTakeFirstOrThrow());
  tenantId = shop.id;
  shopSlug = shop.slug;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

const asStaff = <T,>(staff: TestStaff, fn: Parameters<typeof withIdentity<T>>[2]) => withIdentity(database, { tenantId: staff.tenantId, principalId: staff.userId, audience: 'staff' }, fn);

async function addAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

async function signInWithPassword(page: Page, staff: TestStaff): Promise<void> {
  await page.goto(`${STAFF_ORIGIN}/admin/sign-in`);
  await page.fill('#f-email', staff.email);
  await page.fill('#f-password', staff.password);
  await Promise.all([page.waitForURL(`${STAFF_ORIGIN}/admin/mfa**`), page.click('button.auth-form__submit')]);
}

describe('passkey script in Chromium with a virtual authenticator', () => {
  it('registers a passkey for a staff member on the staff origin and signs in with it', async () => {
    const staff = await createTestStaff(platform, { tenantId, totp: false });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    // Script errors, CSP/SRI refusals and failed requests; the browser's own favicon probe aside.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    const { cdp, authenticatorId } = await addAuthenticator(page);

    // Password first: a staff member without a factor reaches only enrolment.
    await signInWithPassword(page, staff);
    expect(new URL(page.url()).origin).toBe(STAFF_ORIGIN);
    expect(await page.textContent('h1')).toBe('二段階認証の設定');
    expect(await page.locator('script[src*="passkey"]').getAttribute('integrity')).toMatch(/^sha384-/);

    // Registration: the script fetches options, calls navigator.credentials.create, posts the result.
    await Promise.all([page.waitForURL(`${STAFF_ORIGIN}/admin/mfa?notice=enrolled`), page.click('button[data-passkey="register"]')]);
    expect(await page.textContent('h1')).toBe('二段階認証とセキュリティ');
    const inAuthenticator = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    expect(inAuthenticator).toHaveLength(1);
    const stored = await asStaff(staff, (tx) => tx.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', staff.userId).execute());
    expect(stored).toHaveLength(1);
    // The browser's credential id (base64) is the one the server stored (base64url).
    expect(stored[0]!.credential_id).toBe(inAuthenticator[0]!.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));

    // A fresh sign-in: password, then the passkey as the second factor, landing in the shop console.
    await context.clearCookies();
    await signInWithPassword(page, staff);
    expect(await page.textContent('h1')).toBe('二段階認証');
    await Promise.all([page.waitForURL(`${STAFF_ORIGIN}/admin/${shopSlug}/**`), page.click('button[data-passkey="authenticate"]')]);
    expect(page.url().startsWith(`${STAFF_ORIGIN}/admin/${shopSlug}/`)).toBe(true);
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]!.signCount).toBeGreaterThanOrEqual(2);

    const sessions = await withPlatform(database, (tx) =>
      tx.selectFrom('sessions').select(['mfa_verified_at', 'revoked_at']).where('user_id', '=', staff.userId).orderBy('created_at').execute(),
    );
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.mfa_verified_at !== null)).toBe(true);
    const audit = await withIdentity(database, { tenantId }, (tx) =>
      tx.selectFrom('audit_log').select(['action', 'result', 'detail']).where('actor_id', '=', staff.userId).orderBy('seq').execute(),
    );
    expect(audit.map((a) => `${a.action}:${a.result}:${(a.detail as { factor?: string; method?: string }).factor ?? (a.detail as { method?: string }).method ?? ''}`)).toEqual(
      expect.arrayContaining(['mfa.enrol:success:passkey', 'auth.mfa:success:passkey']),
    );
    expect((await asStaff(staff, (tx) => tx.selectFrom('webauthn_credentials').select('last_used_at').where('user_id', '=', staff.userId).executeTakeFirstOrThrow())).last_used_at).not.toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('an authenticator without the credential cannot pass: the script reports it and the session stays without MFA', async () => {
    const staff = await createTestStaff(platform, { tenantId, totp: false });
    const context = await browser.newContext();
    const page = await context.newPage();
    const { cdp, authenticatorId } = await addAuthenticator(page);
    await signInWithPassword(page, staff);
    await Promise.all([page.waitForURL(`${STAFF_ORIGIN}/admin/mfa?notice=enrolled`), page.click('button[data-passkey="register"]')]);

    // The passkey is gone from this device (a wiped phone): the browser finds no matching credential.
    await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
    await context.clearCookies();
    await signInWithPassword(page, staff);
    await page.click('button[data-passkey="authenticate"]');
    await expect.poll(() => page.textContent('[data-passkey-status]'), { timeout: 15_000 }).toBe('パスキーの操作がキャンセルされました。');
    expect(new URL(page.url()).pathname).toBe('/admin/mfa');
    const latest = await withPlatform(database, (tx) =>
      tx.selectFrom('sessions').select('mfa_verified_at').where('user_id', '=', staff.userId).orderBy('created_at', 'desc').executeTakeFirstOrThrow(),
    );
    expect(latest.mfa_verified_at).toBeNull();
    await context.close();
  }, 60_000);
});
