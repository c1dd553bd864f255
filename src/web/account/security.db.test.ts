import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSalon, salonSessionCookie, signInSalon, type TestSalon } from '../../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import type { Platform } from '../../platform/http/platform.ts';

/**
 * The salon's security page: password change (current password, policy, other sessions signed
 * out, mail, audit), TOTP on (QR + seed, confirmation, recovery codes once) and off (current code
 * or password), recovery-code sign-in, devices list and sign-out. Bad input changes nothing.
 */

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let shopSlug = '';

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database));
  shopSlug = (await withPlatform(database, (tx) => tx.selectFrom('tenants').select('slug').orderBy('sort_order').executeTakeFirstOrThrow())).slug;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

const get = (cookie: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie } });

async function post(cookie: string, url: string, form: Record<string, string>, formPage = '/account/security') {
  const csrf = csrfFrom(await get(cookie, formPage));
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: `${cookie}; ${csrf.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...form, _csrf: csrf.token }).toString(),
  });
}

const asUser = <T,>(s: TestSalon, fn: Parameters<typeof withIdentity<T>>[2]) => withIdentity(database, { accountId: s.accountId, principalId: s.userId, audience: 'salon' }, fn);
const credentials = (s: TestSalon) => asUser(s, (tx) => tx.selectFrom('user_credentials').selectAll().where('user_id', '=', s.userId).executeTakeFirstOrThrow());
const totpRow = (s: TestSalon) => asUser(s, (tx) => tx.selectFrom('mfa_totp').selectAll().where('user_id', '=', s.userId).executeTakeFirst());
const recoveryLeft = (s: TestSalon) => asUser(s, (tx) => tx.selectFrom('mfa_recovery_codes').select('id').where('user_id', '=', s.userId).where('used_at', 'is', null).execute()).then((r) => r.length);
const audits = (s: TestSalon) =>
  withPlatform(database, (tx) => tx.selectFrom('audit_log').select(['action', 'result', 'reason']).where('actor_id', '=', s.userId).orderBy('seq').execute());
const mailsTo = (email: string) =>
  withPlatform(database, (tx) => tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute()).then((rows) =>
    rows.map((r) => r.payload as { to: string; subject: string; text: string }).filter((m) => m.to === email),
  );
const signedIn = async (cookie: string) => (await get(cookie, '/account/security')).statusCode === 200;

/** Starts a sign-in that stops at the code step; returns what the code form needs. */
async function passwordStep(s: TestSalon, password = s.password) {
  const csrf = csrfFrom(await app.inject({ method: 'GET', url: '/account/sign-in' }));
  const res = await app.inject({
    method: 'POST',
    url: '/account/sign-in',
    headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf.token, email: s.email, password }).toString(),
  });
  const pending = /name="pending" value="([^"]+)"/.exec(res.body)?.[1];
  return { res, csrf, pending };
}

async function codeStep(step: Awaited<ReturnType<typeof passwordStep>>, code: string) {
  return app.inject({
    method: 'POST',
    url: '/account/sign-in/totp',
    headers: { cookie: step.csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: step.csrf.token, pending: step.pending ?? '', code }).toString(),
  });
}

describe('security page', () => {
  it('is linked from the account navigation and open to every role (it is their own sign-in)', async () => {
    const owner = await createTestSalon(platform);
    const viewer = await createTestSalon(platform, { role: 'viewer', accountId: owner.accountId });
    const home = await get(await salonSessionCookie(platform, owner), '/account/');
    expect(home.body).toContain('href="/account/security"');
    const page = await get(await salonSessionCookie(platform, viewer), '/account/security');
    expect(page.statusCode).toBe(200);
    for (const text of ['パスワードの変更', '二段階認証（認証アプリ）', 'サインイン中の端末', 'この端末', viewer.email]) expect(page.body).toContain(text);
    expect((await app.inject({ method: 'GET', url: '/account/security' })).headers.location).toBe(`/account/sign-in?next=${encodeURIComponent('/account/security')}`);
  });
});

describe('password change', () => {
  it('refuses bad input with Japanese messages, never echoing a password, and changes nothing', async () => {
    const s = await createTestSalon(platform);
    const me = (await signInSalon(app, s.email, s.password)).cookie;
    const other = (await signInSalon(app, s.email, s.password)).cookie;
    const before = await credentials(s);
    const typed = { current_password: s.password, new_password: 'Brand-new passphrase 42', new_password_confirm: 'Brand-new passphrase 42' };
    for (const [form, message] of [
      [{ ...typed, current_password: '' }, '現在のパスワードを入力してください。'],
      [{ ...typed, new_password: 'short', new_password_confirm: 'short' }, 'パスワードは10文字以上で入力してください。'],
      [{ ...typed, new_password: '1234567890', new_password_confirm: '1234567890' }, 'よく使われるパスワードのため使えません。'],
      [{ ...typed, new_password_confirm: 'Brand-new passphrase 43' }, '確認用のパスワードが一致しません。'],
      [{ ...typed, new_password: s.password, new_password_confirm: s.password }, '現在と同じパスワードは使えません。'],
      [{ ...typed, current_password: 'not my password at all' }, '現在のパスワードが正しくありません。'],
    ] as const) {
      const res = await post(me, '/account/security/password', form);
      expect(res.statusCode, message).toBe(400);
      expect(res.body, message).toContain(message);
      expect(res.body).not.toContain('Brand-new passphrase');
      expect(res.body).not.toContain(s.password);
    }
    const after = await credentials(s);
    expect(after.password_hash).toBe(before.password_hash);
    // Only the wrong current password counted towards the lockout, and it was audited.
    expect(after.failed_attempts).toBe(1);
    expect(await audits(s)).toContainEqual({ action: 'auth.reauth', result: 'failure', reason: '' });
    expect(await signedIn(other)).toBe(true);
  });

  it('with the current password: new argon2id hash, every other session (shop ones too) signed out, mailed and audited', async () => {
    const s = await createTestSalon(platform);
    const me = (await signInSalon(app, s.email, s.password)).cookie;
    const laptop = (await signInSalon(app, s.email, s.password)).cookie;
    await signInSalon(app, s.email, s.password, shopSlug); // a shop visit: a platform session and a shop-bound one
    const next = 'Brand-new passphrase 42';
    const res = await post(me, '/account/security/password', { current_password: s.password, new_password: next, new_password_confirm: next });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/security?done=password');
    expect((await get(me, res.headers.location as string)).body).toContain('パスワードを変更しました。ほかのすべての端末からサインアウトしました。');
    expect((await credentials(s)).password_hash).toMatch(/^\$argon2id\$/);
    expect(await signedIn(me)).toBe(true);
    expect(await signedIn(laptop)).toBe(false);
    const revoked = await withPlatform(database, (tx) => tx.selectFrom('sessions').select(['revoked_reason']).where('user_id', '=', s.userId).where('revoked_at', 'is not', null).execute());
    // The laptop, and the shop visit's platform session and its shop-bound handoff session.
    expect(revoked.map((r) => r.revoked_reason)).toEqual(['password_change', 'password_change', 'password_change']);
    await expect(signInSalon(app, s.email, s.password)).rejects.toThrow();
    await expect(signInSalon(app, s.email, next)).resolves.toMatchObject({ location: '/account/' });
    expect(await audits(s)).toContainEqual({ action: 'auth.password_change', result: 'success', reason: '' });
    expect((await mailsTo(s.email)).map((m) => m.text).join('\n')).toContain('パスワードの変更（ほかのすべての端末からサインアウトしました）');
  });

  it('locks after repeated wrong current passwords, like a sign-in', async () => {
    const s = await createTestSalon(platform);
    const me = await salonSessionCookie(platform, s);
    let last = '';
    for (let i = 0; i < 10; i++) last = (await post(me, '/account/security/password', { current_password: `wrong guess ${i}!`, new_password: 'Brand-new passphrase 42', new_password_confirm: 'Brand-new passphrase 42' })).body;
    expect(last).toContain('しばらく操作できません');
    const right = await post(me, '/account/security/password', { current_password: s.password, new_password: 'Brand-new passphrase 42', new_password_confirm: 'Brand-new passphrase 42' });
    expect(right.statusCode).toBe(400);
    expect(right.body).toContain('しばらく操作できません');
    expect((await mailsTo(s.email)).map((m) => m.subject)).toContain('【Oroshi】アカウントを一時的にロックしました');
  });
});

describe('two-step sign-in (TOTP)', () => {
  it('turns on with the password, a QR code and a first code; recovery codes are shown once and work once at sign-in', async () => {
    const s = await createTestSalon(platform);
    const me = await salonSessionCookie(platform, s);

    const wrong = await post(me, '/account/security/totp/start', { current_password: 'not my password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('現在のパスワードが正しくありません。');
    expect(await totpRow(s)).toBeUndefined();

    const start = await post(me, '/account/security/totp/start', { current_password: s.password });
    expect(start.headers.location).toBe('/account/security/totp');
    const setup = await get(me, '/account/security/totp');
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toMatch(/<svg class="qr-code" viewBox="0 0 \d+ \d+" role="img" aria-label="認証アプリ用のQRコード"/);
    const secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(setup.body)![1]!.replace(/ /g, '');
    expect(secret.length).toBeGreaterThanOrEqual(16);

    const bad = await post(me, '/account/security/totp/confirm', { code: '000000' }, '/account/security/totp');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('確認コードが正しくありません。');
    expect((await totpRow(s))?.confirmed_at).toBeNull();

    const confirmed = await post(me, '/account/security/totp/confirm', { code: await generate({ secret }) }, '/account/security/totp');
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('このコードは今回だけ表示されます。');
    const codes = [...confirmed.body.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect((await totpRow(s))?.confirmed_at).not.toBeNull();
    expect((await get(me, '/account/security')).body).toContain('未使用のリカバリーコード: 10 / 10');
    expect((await get(me, '/account/security/totp')).headers.location).toBe('/account/security');
    expect(await audits(s)).toEqual(
      expect.arrayContaining([
        { action: 'mfa.enrol_started', result: 'success', reason: '' },
        { action: 'mfa.enrol', result: 'failure', reason: 'bad_code' },
        { action: 'mfa.enrol', result: 'success', reason: '' },
      ]),
    );
    expect((await mailsTo(s.email)).map((m) => m.text).join('\n')).toContain('二段階認証（認証アプリ）の有効化');

    // Sign-in now stops after the password; a recovery code gets through once.
    const step = await passwordStep(s);
    expect(step.res.statusCode).toBe(200);
    expect(step.res.body).toContain('リカバリーコード');
    const withCode = await codeStep(step, codes[0]!.toUpperCase());
    expect(withCode.statusCode).toBe(303);
    const again = await passwordStep(s);
    expect((await codeStep(again, codes[0]!)).statusCode).toBe(401);
    expect(await recoveryLeft(s)).toBe(9);
    expect((await mailsTo(s.email)).map((m) => m.text).join('\n')).toContain('リカバリーコードを使ったサインイン');

    // Reissuing needs the password (or a code) and voids the old set.
    const reissueWrong = await post(me, '/account/security/recovery-codes', { method: 'password', current_password: 'nope nope nope' });
    expect(reissueWrong.statusCode).toBe(400);
    expect(await recoveryLeft(s)).toBe(9);
    const reissued = await post(me, '/account/security/recovery-codes', { method: 'password', current_password: s.password });
    expect(reissued.statusCode).toBe(200);
    const fresh = [...reissued.body.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[1]);
    expect((await codeStep(await passwordStep(s), codes[1]!)).statusCode).toBe(401);
  });

  it('turns off only with a current code or the password; a wrong one changes nothing', async () => {
    const s = await createTestSalon(platform);
    const me = await salonSessionCookie(platform, s);
    await post(me, '/account/security/totp/start', { current_password: s.password });
    const secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec((await get(me, '/account/security/totp')).body)![1]!.replace(/ /g, '');
    const now = Date.now() / 1000;
    expect((await post(me, '/account/security/totp/confirm', { code: await generate({ secret, epoch: now - 30 }) }, '/account/security/totp')).statusCode).toBe(200);

    const attempts: Record<string, string>[] = [
      { method: 'totp', code: '' },
      { method: 'totp', code: '123456' },
      { method: 'totp', code: await generate({ secret, epoch: now - 30 }) }, // already used
      { method: 'password', current_password: 'definitely wrong' },
    ];
    for (const form of attempts) {
      const res = await post(me, '/account/security/totp/disable', form);
      expect(res.statusCode, JSON.stringify(form)).toBe(400);
      expect(res.body).toMatch(/確認コードが正しくないか、使用済みです。|現在のパスワードが正しくありません。/);
      expect((await totpRow(s))?.confirmed_at).not.toBeNull();
    }
    const off = await post(me, '/account/security/totp/disable', { method: 'totp', code: await generate({ secret, epoch: now }) });
    expect(off.statusCode).toBe(303);
    expect(off.headers.location).toBe('/account/security?done=totp-off');
    expect(await totpRow(s)).toBeUndefined();
    expect(await recoveryLeft(s)).toBe(0);
    expect(await audits(s)).toContainEqual({ action: 'mfa.remove', result: 'success', reason: '' });
    expect((await mailsTo(s.email)).map((m) => m.text).join('\n')).toContain('二段階認証（認証アプリ）の無効化');
    // Back to password-only sign-in.
    await expect(signInSalon(app, s.email, s.password)).resolves.toMatchObject({ location: '/account/' });

    // The password works as the alternative too.
    await post(me, '/account/security/totp/start', { current_password: s.password });
    const secret2 = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec((await get(me, '/account/security/totp')).body)![1]!.replace(/ /g, '');
    expect((await post(me, '/account/security/totp/confirm', { code: await generate({ secret: secret2 }) }, '/account/security/totp')).statusCode).toBe(200);
    expect((await post(me, '/account/security/totp/disable', { method: 'password', current_password: s.password })).statusCode).toBe(303);
    expect(await totpRow(s)).toBeUndefined();
  });
});

describe('signed-in devices', () => {
  it('lists the own live sessions and signs out one, or all the others; never another user’s', async () => {
    const s = await createTestSalon(platform);
    const me = (await signInSalon(app, s.email, s.password)).cookie;
    const phone = (await signInSalon(app, s.email, s.password)).cookie;
    const tablet = (await signInSalon(app, s.email, s.password)).cookie;
    const stranger = await createTestSalon(platform);
    const strangerCookie = await salonSessionCookie(platform, stranger);
    const live = () =>
      withPlatform(database, (tx) => tx.selectFrom('sessions').select(['id', 'token_hash']).where('user_id', '=', s.userId).where('revoked_at', 'is', null).execute());
    const page = await get(me, '/account/security');
    const ids = [...page.body.matchAll(/\/account\/security\/sessions\/([0-9a-f-]{36})\/revoke/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2); // the two others; the current one is marked, not offered
    expect(page.body).toContain('この端末');

    // Another user cannot end these sessions by id.
    await post(strangerCookie, `/account/security/sessions/${ids[0]}/revoke`, {});
    expect(await live()).toHaveLength(3);

    expect((await post(me, `/account/security/sessions/${ids[0]}/revoke`, {})).headers.location).toBe('/account/security?done=session');
    expect(await live()).toHaveLength(2);
    const stillIn = [await signedIn(phone), await signedIn(tablet)];
    expect(stillIn.filter(Boolean)).toHaveLength(1);

    expect((await post(me, '/account/security/sessions/revoke-others', {})).headers.location).toBe('/account/security?done=others');
    expect(await signedIn(me)).toBe(true);
    expect(await signedIn(phone)).toBe(false);
    expect(await signedIn(tablet)).toBe(false);
    expect(await signedIn(strangerCookie)).toBe(true);
    expect(await audits(s)).toEqual(
      expect.arrayContaining([
        { action: 'auth.session_revoke', result: 'success', reason: '' },
        { action: 'auth.sign_out_others', result: 'success', reason: '' },
      ]),
    );
  });
});
