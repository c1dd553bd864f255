import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStaff, signInStaff, staffSessionCookie } from '../../../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../../platform/db/tenant-scope.ts';
import { requireStaff, requireStepUp, SHOP_ROLES } from '../../../platform/http/auth-guard.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inPlatformRequest } from '../../../platform/http/request-scope.ts';
import { ROUTES } from '../../routes.ts';
import { SoftwareAuthenticator } from './software-authenticator.testing.ts';

// Test-only routes: a staff-only page and a protected action behind step-up.
const testRoutes = (app: FastifyInstance, platform: Platform) => {
  app.get('/admin/test-only/console', async (request) =>
    inPlatformRequest(platform, request, async ({ tx, session }) => {
      const me = await requireStaff({ tx, session }, { roles: SHOP_ROLES, tenantId: session?.bound_tenant_id ?? '', clientIp: request.ip, currentPath: '/admin/test-only/console' });
      return { ok: true, user: me.userId };
    }),
  );
  app.get('/admin/test-only/protected', async (request) =>
    inPlatformRequest(platform, request, async ({ tx, session }) => {
      const me = await requireStaff({ tx, session }, { roles: SHOP_ROLES, tenantId: session?.bound_tenant_id ?? '', clientIp: request.ip, currentPath: '/admin/test-only/protected' });
      requireStepUp(me, '/admin/test-only/protected');
      return { ok: true, action: 'done' };
    }),
  );
};

const form = (data: Record<string, string>) => new URLSearchParams(data).toString();
const FORM = 'application/x-www-form-urlencoded';
const sessionOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'oroshi_session')?.value;

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let tenantId: string;
let slug: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database, { routes: [...ROUTES, testRoutes] }));
  const t = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).orderBy('sort_order').executeTakeFirstOrThrow());
  tenantId = t.id;
  slug = t.slug;
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function passwordStep(email: string, password: string, preCookie?: string) {
  const page = await app.inject({ method: 'GET', url: '/admin/sign-in', headers: preCookie ? { cookie: preCookie } : {} });
  const csrf = csrfFrom(page);
  const res = await app.inject({
    method: 'POST',
    url: '/admin/sign-in',
    headers: { cookie: [csrf.cookie, preCookie].filter(Boolean).join('; '), 'content-type': FORM },
    payload: form({ _csrf: csrf.token, email, password }),
  });
  const session = sessionOf(res);
  return { res, csrf, session, cookie: `${csrf.cookie}; oroshi_session=${session}` };
}

async function verifyTotp(cookie: string, token: string, code: string) {
  return app.inject({ method: 'POST', url: '/admin/mfa/verify', headers: { cookie, 'content-type': FORM }, payload: form({ _csrf: token, method: 'totp', code }) });
}

describe('staff sign-in', () => {
  it('signs shop staff in with password + TOTP and lands on their shop console; the login is mailed and audited in the shop chain', async () => {
    const staff = await createTestStaff(platform, { tenantId });
    const { res, cookie, csrf } = await passwordStep(staff.email, staff.password);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/mfa');
    // Password alone reaches no console page.
    const early = await app.inject({ method: 'GET', url: '/admin/test-only/console', headers: { cookie } });
    expect(early.statusCode).toBe(303);
    expect(early.headers.location).toMatch(/^\/admin\/mfa\?next=/);
    const ok = await verifyTotp(cookie, csrf.token, await generate({ secret: staff.totpSecret! }));
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/admin/${slug}/`);
    const console = await app.inject({ method: 'GET', url: '/admin/test-only/console', headers: { cookie } });
    expect(console.statusCode).toBe(200);

    const { mails, audit } = await withTenant(database, tenantId, async (tx) => ({
      mails: await tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute(),
      audit: await tx.selectFrom('audit_log').select(['action', 'result', 'actor_id']).where('actor_id', '=', staff.userId).execute(),
    }));
    const loginMail = mails.map((m) => m.payload as { to: string; subject: string; text: string }).find((m) => m.to === staff.email && m.subject.includes('サインイン'));
    expect(loginMail?.text).toContain('IPアドレス');
    expect(audit.map((a) => `${a.action}:${a.result}`)).toEqual(expect.arrayContaining(['auth.login:success', 'auth.mfa:success']));
  });

  it('operator staff land on /operator/', async () => {
    const op = await createTestStaff(platform, { tenantId: null, role: 'security_officer' });
    const signed = await signInStaff(app, op.email, op.password, op.totpSecret!);
    expect(signed.location).toBe('/operator/');
  });

  it('answers an unknown email and a wrong password with the same generic message', async () => {
    const staff = await createTestStaff(platform, { tenantId });
    const unknown = await passwordStep('nobody-here@example.test', 'whatever-password-1');
    const wrong = await passwordStep(staff.email, 'wrong-password-123');
    for (const r of [unknown.res, wrong.res]) {
      expect(r.statusCode).toBe(401);
      expect(r.body).toContain('メールアドレスまたはパスワードが正しくありません');
      expect(sessionOf(r)).toBeUndefined();
    }
  });

  it('locks the account after 10 consecutive failures, even for the right password, and mails the owner', async () => {
    const staff = await createTestStaff(platform, { tenantId });
    for (let i = 0; i < 9; i++) expect((await passwordStep(staff.email, `wrong-password-${i}`)).res.statusCode).toBe(401);
    // Nine failures: still open; success resets the count.
    expect((await passwordStep(staff.email, staff.password)).res.statusCode).toBe(303);
    for (let i = 0; i < 10; i++) expect((await passwordStep(staff.email, `wrong-password-${i}`)).res.statusCode).toBe(401);
    const locked = await passwordStep(staff.email, staff.password);
    expect(locked.res.statusCode).toBe(401);
    expect(locked.session).toBeUndefined();
    expect(locked.res.body).toContain('メールアドレスまたはパスワードが正しくありません');
    const { audit, mails } = await withTenant(database, tenantId, async (tx) => ({
      audit: await tx.selectFrom('audit_log').select(['action', 'reason']).where('actor_id', '=', staff.userId).execute(),
      mails: await tx.selectFrom('outbox').select('payload').execute(),
    }));
    expect(audit.filter((a) => a.action === 'auth.lockout')).toHaveLength(1);
    expect(audit.some((a) => a.action === 'auth.login' && a.reason === 'locked')).toBe(true);
    expect(mails.some((m) => (m.payload as { to: string; subject: string }).to === staff.email && (m.payload as { subject: string }).subject.includes('ロック'))).toBe(true);
  });

  it('never promotes a cookie set before sign-in (no session fixation)', async () => {
    const staff = await createTestStaff(platform, { tenantId });
    const planted = 'A'.repeat(43);
    const { session } = await passwordStep(staff.email, staff.password, `oroshi_session=${planted}`);
    expect(session).toBeTruthy();
    expect(session).not.toBe(planted);
    const withPlanted = await app.inject({ method: 'GET', url: '/admin/mfa', headers: { cookie: `oroshi_session=${planted}` } });
    expect(withPlanted.statusCode).toBe(303);
    expect(withPlanted.headers.location).toMatch(/^\/admin\/sign-in/);
  });

  it('refuses a reused TOTP code (replay)', async () => {
    const staff = await createTestStaff(platform, { tenantId });
    const code = await generate({ secret: staff.totpSecret! });
    const first = await passwordStep(staff.email, staff.password);
    expect((await verifyTotp(first.cookie, first.csrf.token, code)).statusCode).toBe(303);
    const second = await passwordStep(staff.email, staff.password);
    const replay = await verifyTotp(second.cookie, second.csrf.token, code);
    expect(replay.statusCode).toBe(401);
    expect(replay.body).toContain('確認コードが正しくないか、使用済みです');
    const still = await app.inject({ method: 'GET', url: '/admin/test-only/console', headers: { cookie: second.cookie } });
    expect(still.headers.location).toMatch(/^\/admin\/mfa/);
  });
});

describe('revocation', () => {
  it('a session revoked through one process is refused by another at once', async () => {
    const other = await createTestApp(database, { routes: [...ROUTES, testRoutes] });
    try {
      const staff = await createTestStaff(platform, { tenantId });
      const { cookie } = await signInStaff(app, staff.email, staff.password, staff.totpSecret!);
      expect((await other.app.inject({ method: 'GET', url: '/admin/test-only/console', headers: { cookie } })).statusCode).toBe(200);
      const page = await app.inject({ method: 'GET', url: '/admin/mfa', headers: { cookie } });
      const csrf = csrfFrom(page);
      const out = await app.inject({
        method: 'POST',
        url: '/admin/sign-out-everywhere',
        headers: { cookie: `${csrf.cookie}; ${cookie}`, 'content-type': FORM },
        payload: form({ _csrf: csrf.token }),
      });
      expect(out.statusCode).toBe(303);
      const after = await other.app.inject({ method: 'GET', url: '/admin/test-only/console', headers: { cookie } });
      expect(after.statusCode).toBe(303);
      expect(after.headers.location).toMatch(/^\/admin\/sign-in/);
    } finally {
      await other.app.close();
    }
  });
});

describe('enrolment', () => {
  it('staff without a second factor reach only enrolment, then enrol TOTP and get in', async () => {
    const staff = await createTestStaff(platform, { tenantId, totp: false });
    const { cookie, csrf } = await passwordStep(staff.email, staff.password);
    for (const url of ['/admin/test-only/console', '/admin/step-up?next=/admin/test-only/protected']) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/^\/admin\/mfa/);
    }
    const enrol = await app.inject({ method: 'GET', url: '/admin/mfa', headers: { cookie } });
    expect(enrol.statusCode).toBe(200);
    expect(enrol.body).toContain('二段階認証の設定');
    const secret = /otpauth:\/\/totp\/[^<"]*secret=([A-Z2-7]+)/.exec(enrol.body)?.[1];
    expect(secret).toBeTruthy();
    // Before enrolment, recovery codes cannot be issued.
    const early = await app.inject({ method: 'POST', url: '/admin/mfa/recovery-codes', headers: { cookie, 'content-type': FORM }, payload: form({ _csrf: csrf.token }) });
    expect(early.statusCode).toBe(303);
    expect(early.headers.location).toMatch(/^\/admin\/step-up/);
    const bad = await app.inject({ method: 'POST', url: '/admin/mfa/totp/confirm', headers: { cookie, 'content-type': FORM }, payload: form({ _csrf: csrf.token, code: '000000' }) });
    expect(bad.statusCode).toBe(400);
    const ok = await app.inject({
      method: 'POST',
      url: '/admin/mfa/totp/confirm',
      headers: { cookie, 'content-type': FORM },
      payload: form({ _csrf: csrf.token, code: await generate({ secret: secret! }) }),
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/admin/mfa?notice=enrolled');
    expect((await app.inject({ method: 'GET', url: '/admin/test-only/console', headers: { cookie } })).statusCode).toBe(200);
    const audit = await withTenant(database, tenantId, (tx) => tx.selectFrom('audit_log').select('action').where('actor_id', '=', staff.userId).execute());
    expect(audit.map((a) => a.action)).toContain('mfa.enrol');
  });
});

describe('recovery codes', () => {
  it('are shown once, each signs in once', async () => {
    const staff = await createTestStaff(platform, { tenantId });
    const { cookie } = await signInStaff(app, staff.email, staff.password, staff.totpSecret!);
    const page = await app.inject({ method: 'GET', url: '/admin/mfa', headers: { cookie } });
    const csrf = csrfFrom(page);
    const issued = await app.inject({ method: 'POST', url: '/admin/mfa/recovery-codes', headers: { cookie: `${csrf.cookie}; ${cookie}`, 'content-type': FORM }, payload: form({ _csrf: csrf.token }) });
    expect(issued.statusCode).toBe(200);
    const codes = [...issued.body.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    const useCode = async (code: string) => {
      const step = await passwordStep(staff.email, staff.password);
      return app.inject({ method: 'POST', url: '/admin/mfa/verify', headers: { cookie: step.cookie, 'content-type': FORM }, payload: form({ _csrf: step.csrf.token, method: 'recovery', code }) });
    };
    expect((await useCode(codes[0]!.toUpperCase())).statusCode).toBe(303);
    const again = await useCode(codes[0]!);
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain('使用済み');
    expect((await useCode(codes[1]!)).statusCode).toBe(303);
    const audit = await withTenant(database, tenantId, (tx) => tx.selectFrom('audit_log').select('action').where('action', '=', 'mfa.recovery_code_used').where('actor_id', '=', staff.userId).execute());
    expect(audit).toHaveLength(2);
  });
});

describe('step-up', () => {
  it('a protected action needs a recent re-authentication, satisfied by the password', async () => {
    const staff = await createTestStaff(platform, { tenantId });
    const cookie = await staffSessionCookie(platform, staff);
    const token = cookie.split('=')[1]!;
    expect((await app.inject({ method: 'GET', url: '/admin/test-only/protected', headers: { cookie } })).statusCode).toBe(200);
    // Ten minutes later the step-up has lapsed.
    await withPlatform(database, (tx) =>
      sql`UPDATE sessions SET step_up_at = now() - interval '10 minutes' WHERE token_hash = encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`.execute(tx),
    );
    const refused = await app.inject({ method: 'GET', url: '/admin/test-only/protected', headers: { cookie } });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/admin/step-up?next=%2Fadmin%2Ftest-only%2Fprotected');
    const page = await app.inject({ method: 'GET', url: refused.headers.location as string, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const csrf = csrfFrom(page);
    const headers = { cookie: `${csrf.cookie}; ${cookie}`, 'content-type': FORM };
    const wrong = await app.inject({ method: 'POST', url: '/admin/step-up', headers, payload: form({ _csrf: csrf.token, method: 'password', password: 'not-my-password', next: '/admin/test-only/protected' }) });
    expect(wrong.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/admin/test-only/protected', headers: { cookie } })).statusCode).toBe(303);
    const ok = await app.inject({ method: 'POST', url: '/admin/step-up', headers, payload: form({ _csrf: csrf.token, method: 'password', password: staff.password, next: '/admin/test-only/protected' }) });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/admin/test-only/protected');
    const done = await app.inject({ method: 'GET', url: '/admin/test-only/protected', headers: { cookie } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ ok: true, action: 'done' });
  });
});

describe('passkeys', () => {
  it('registers a software authenticator and signs in with it through the HTTP routes', async () => {
    const staff = await createTestStaff(platform, { tenantId, totp: false });
    const authenticator = new SoftwareAuthenticator('localhost', 'http://localhost:3000');
    const first = await passwordStep(staff.email, staff.password);
    const json = (cookie: string, token: string) => ({ cookie, 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': token });

    const regOptions = await app.inject({ method: 'POST', url: '/admin/mfa/passkey/register/options', headers: json(first.cookie, first.csrf.token), payload: {} });
    expect(regOptions.statusCode).toBe(200);
    const options = regOptions.json();
    expect(options.rp.id).toBe('localhost');
    const registration = authenticator.register(options);
    const reg = await app.inject({
      method: 'POST',
      url: '/admin/mfa/passkey/register/verify',
      headers: json(first.cookie, first.csrf.token),
      payload: { response: registration, name: 'Test key' },
    });
    expect(reg.statusCode).toBe(200);
    expect(reg.json()).toEqual({ ok: true, redirect: '/admin/mfa?notice=enrolled' });
    // The same challenge cannot be used twice.
    const replayReg = await app.inject({ method: 'POST', url: '/admin/mfa/passkey/register/verify', headers: json(first.cookie, first.csrf.token), payload: { response: registration } });
    expect(replayReg.statusCode).toBe(400);

    const second = await passwordStep(staff.email, staff.password);
    const challengePage = await app.inject({ method: 'GET', url: '/admin/mfa', headers: { cookie: second.cookie } });
    expect(challengePage.body).toContain('パスキーを使う');
    expect(challengePage.body).toMatch(/<script src="[^"]+passkey[^"]*\.js" integrity="sha384-/);
    const authOptions = (await app.inject({ method: 'POST', url: '/admin/mfa/passkey/authenticate/options', headers: json(second.cookie, second.csrf.token), payload: { purpose: 'mfa' } })).json();
    // An assertion for another origin (a look-alike) is refused.
    const phished = await app.inject({
      method: 'POST',
      url: '/admin/mfa/passkey/authenticate/verify',
      headers: json(second.cookie, second.csrf.token),
      payload: { purpose: 'mfa', response: authenticator.authenticate(authOptions, { origin: 'http://localhost.evil.test' }) },
    });
    expect(phished.statusCode).toBe(400);
    const fresh = (await app.inject({ method: 'POST', url: '/admin/mfa/passkey/authenticate/options', headers: json(second.cookie, second.csrf.token), payload: { purpose: 'mfa' } })).json();
    const signed = await app.inject({
      method: 'POST',
      url: '/admin/mfa/passkey/authenticate/verify',
      headers: json(second.cookie, second.csrf.token),
      payload: { purpose: 'mfa', response: authenticator.authenticate(fresh) },
    });
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toEqual({ ok: true, redirect: `/admin/${slug}/` });
    expect((await app.inject({ method: 'GET', url: '/admin/test-only/console', headers: { cookie: second.cookie } })).statusCode).toBe(200);
  });
});
