import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { generate, generateSecret } from 'otplib';
import type { StaffRole } from '../src/domains/accounts/accounts.tables.ts';
import { setPassword } from '../src/domains/auth/credentials.service.ts';
import { createSession } from '../src/domains/auth/session.service.ts';
import { setConfirmedTotpSecret } from '../src/domains/auth/totp.service.ts';
import { SecretBox } from '../src/platform/crypto/secret-box.ts';
import { withIdentity } from '../src/platform/db/tenant-scope.ts';
import type { Platform } from '../src/platform/http/platform.ts';
import { csrfFrom } from './test-app.ts';

/**
 * Test fixtures for signed-in users. `createTestSalon` / `createTestStaff` write real rows (argon2id
 * password, sealed TOTP seed) under the same RLS as production. `signInSalon` / `signInStaff` go
 * through the real HTTP sign-in (and TOTP) and return the cookie header; `staffSessionCookie` /
 * `salonSessionCookie` mint a session directly for tests that only need to be signed in quickly.
 */

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestSalon {
  userId: string;
  accountId: string;
  email: string;
  password: string;
}

export async function createTestSalon(
  platform: Platform,
  options: { email?: string; password?: string; displayName?: string; salonName?: string; role?: 'owner' | 'buyer' | 'viewer'; accountId?: string } = {},
): Promise<TestSalon> {
  const email = options.email ?? `salon-${randomUUID().slice(0, 8)}@example.test`;
  const password = options.password ?? TEST_PASSWORD;
  const userId = randomUUID();
  const accountId = options.accountId ?? randomUUID();
  await withIdentity(platform.database, { accountId, principalId: userId, audience: 'salon' }, async (tx) => {
    if (!options.accountId) {
      await tx
        .insertInto('salon_accounts')
        .values({
          id: accountId,
          business_type: 'corporation',
          company_name: '株式会社テストサロン',
          salon_name: options.salonName ?? 'Hair Test',
          representative_name: '試験 花子',
          postal_code: '1500001',
          prefecture: '東京都',
          city: '渋谷区',
          address_line1: '神宮前1-2-3',
          phone: '03-1234-5678',
          invoice_registration_number: null,
          establishment_date: null,
          verification_submitted_at: null,
          verified_at: null,
          verified_by: null,
          verification_expires_at: null,
        })
        .execute();
    }
    await tx
      .insertInto('salon_users')
      .values({ id: userId, account_id: accountId, email, display_name: options.displayName ?? '試験 花子', role: options.role ?? 'owner', email_verified_at: new Date(), last_login_at: null })
      .execute();
    await setPassword(tx, { userId, kind: 'salon', email }, password);
  });
  return { userId, accountId, email, password };
}

export interface TestStaff {
  userId: string;
  tenantId: string | null;
  email: string;
  password: string;
  /** Base32 TOTP seed (null when created with `totp: false`: the staff member must enrol). */
  totpSecret: string | null;
}

export async function createTestStaff(
  platform: Platform,
  options: { tenantId: string | null; role?: StaffRole; email?: string; password?: string; totp?: boolean; displayName?: string },
): Promise<TestStaff> {
  const email = options.email ?? `staff-${randomUUID().slice(0, 8)}@example.test`;
  const password = options.password ?? TEST_PASSWORD;
  const role = options.role ?? (options.tenantId ? 'shop_admin' : 'platform_admin');
  const userId = randomUUID();
  const totpSecret = options.totp === false ? null : generateSecret();
  await withIdentity(platform.database, { tenantId: options.tenantId, principalId: userId, audience: 'operator' }, async (tx) => {
    await tx
      .insertInto('staff_users')
      .values({ id: userId, tenant_id: options.tenantId, email, display_name: options.displayName ?? 'テスト スタッフ', role, created_by: null, last_login_at: null })
      .execute();
    await setPassword(tx, { userId, kind: 'staff', email }, password);
    if (totpSecret) await setConfirmedTotpSecret(tx, new SecretBox(platform.secrets), userId, totpSecret);
  });
  return { userId, tenantId: options.tenantId, email, password, totpSecret };
}

function sessionCookieFrom(res: { cookies: { name: string; value: string }[] }): string | null {
  const c = res.cookies.find((x) => x.name.endsWith('oroshi_session') && x.value);
  return c ? `${c.name}=${c.value}` : null;
}

/**
 * Salon sign-in through /account/sign-in. With `shop`, follows the handoff to the shop origin and
 * returns the shop session's cookie (in tests all origins share the development host).
 */
export async function signInSalon(app: FastifyInstance, email: string, password: string, shop?: string): Promise<{ cookie: string; location: string }> {
  const page = await app.inject({ method: 'GET', url: `/account/sign-in${shop ? `?shop=${shop}` : ''}` });
  const csrf = csrfFrom(page);
  const res = await app.inject({
    method: 'POST',
    url: '/account/sign-in',
    headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf.token, email, password, ...(shop ? { shop } : {}) }).toString(),
  });
  const cookie = sessionCookieFrom(res);
  if (res.statusCode !== 303 || !cookie) throw new Error(`salon sign-in failed: ${res.statusCode}`);
  const location = String(res.headers.location);
  if (!shop) return { cookie, location };
  const handoff = await app.inject({ method: 'GET', url: location });
  const shopCookie = sessionCookieFrom(handoff);
  if (handoff.statusCode !== 303 || !shopCookie) throw new Error(`handoff failed: ${handoff.statusCode}`);
  return { cookie: shopCookie, location: String(handoff.headers.location) };
}

/** A TOTP code the server has not seen yet: the current step, else the next one (the server accepts ±1 step). */
async function totpCodes(secret: string): Promise<string[]> {
  const now = Date.now() / 1000;
  return [await generate({ secret, epoch: now }), await generate({ secret, epoch: now + 30 })];
}

/** Staff sign-in through /admin/sign-in and the TOTP step; returns the MFA-verified session cookie. */
export async function signInStaff(app: FastifyInstance, email: string, password: string, totpSecret: string): Promise<{ cookie: string; location: string }> {
  const page = await app.inject({ method: 'GET', url: '/admin/sign-in' });
  const csrf = csrfFrom(page);
  const res = await app.inject({
    method: 'POST',
    url: '/admin/sign-in',
    headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf.token, email, password }).toString(),
  });
  const session = sessionCookieFrom(res);
  if (res.statusCode !== 303 || !session) throw new Error(`staff sign-in failed: ${res.statusCode}`);
  const cookie = `${csrf.cookie}; ${session}`;
  for (const code of await totpCodes(totpSecret)) {
    const verify = await app.inject({
      method: 'POST',
      url: '/admin/mfa/verify',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token, method: 'totp', code }).toString(),
    });
    if (verify.statusCode === 303) return { cookie: session, location: String(verify.headers.location) };
  }
  throw new Error('staff TOTP step failed (a code is accepted once: at most two full sign-ins per 30 s per user; use staffSessionCookie for more)');
}

/** A signed-in, MFA-verified (and stepped-up) staff session without the HTTP round trips. */
export async function staffSessionCookie(platform: Platform, staff: Pick<TestStaff, 'userId' | 'tenantId'>, options: { mfaVerified?: boolean } = {}): Promise<string> {
  const audience = staff.tenantId ? 'staff' : 'operator';
  const { token } = await withIdentity(platform.database, { tenantId: staff.tenantId, principalId: staff.userId, audience }, (tx) =>
    createSession(tx, { audience, userId: staff.userId, boundTenantId: staff.tenantId, mfaVerified: options.mfaVerified ?? true }),
  );
  return `oroshi_session=${token}`;
}

/** A salon session (optionally bound to a shop, as after a handoff) without the HTTP round trips. */
export async function salonSessionCookie(platform: Platform, salon: Pick<TestSalon, 'userId' | 'accountId'>, boundTenantId: string | null = null): Promise<string> {
  const { token } = await withIdentity(platform.database, { principalId: salon.userId, accountId: salon.accountId, audience: 'salon' }, (tx) =>
    createSession(tx, { audience: 'salon', userId: salon.userId, accountId: salon.accountId, boundTenantId }),
  );
  return `oroshi_session=${token}`;
}

