import type { FastifyInstance } from 'fastify';
import { generate, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSalon, signInSalon } from '../../../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import { setConfirmedTotpSecret } from '../../../domains/auth/totp.service.ts';
import { SecretBox } from '../../../platform/crypto/secret-box.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withIdentity, withPlatform } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';

const FORM = 'application/x-www-form-urlencoded';
const form = (data: Record<string, string>) => new URLSearchParams(data).toString();
const sessionOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'oroshi_session')?.value;

let database: Database;
let app: FastifyInstance;
let platform: Platform;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database));
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function post(url: string, data: Record<string, string>, cookie = '') {
  const page = await app.inject({ method: 'GET', url: '/account/sign-in', headers: cookie ? { cookie } : {} });
  const csrf = csrfFrom(page);
  return app.inject({ method: 'POST', url: url.split('?')[0]!, headers: { cookie: [csrf.cookie, cookie].filter(Boolean).join('; '), 'content-type': FORM }, payload: form({ _csrf: csrf.token, ...data }) });
}

async function mailsTo(email: string) {
  const rows = await withPlatform(database, (tx) => tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').orderBy('created_at').execute());
  return rows.map((r) => r.payload as { to: string; subject: string; text: string }).filter((m) => m.to === email);
}

describe('salon sign-up', () => {
  it('creates the account and owner, emails a verification link that works once; a taken email gets the same answer', async () => {
    const email = 'new-salon@example.test';
    const data = {
      email,
      password: 'kami-no-ke 2025 salon',
      displayName: '山田 花子',
      businessType: 'sole_proprietor',
      companyName: 'ヘアサロン山田',
      salonName: 'Hair Yamada',
      representativeName: '山田 花子',
      postalCode: '150-0001',
      prefecture: '東京都',
      city: '渋谷区',
      addressLine1: '神宮前1-1-1',
      addressLine2: '',
      phone: '03-1111-2222',
    };
    const weak = await post('/account/sign-up', { ...data, password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('10文字以上');
    expect(weak.body).toContain('value="ヘアサロン山田"');
    expect(weak.body).not.toContain('value="short"');

    const res = await post('/account/sign-up', data);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/account/sign-in?notice=signed-up');
    const link = /\/account\/verify-email\?token=([A-Za-z0-9_-]+)/.exec((await mailsTo(email))[0]?.text ?? '');
    expect(link).toBeTruthy();
    expect((await app.inject({ method: 'GET', url: link![0] })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: link![0] })).statusCode).toBe(400);

    const again = await post('/account/sign-up', { ...data, password: 'another long password' });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(res.headers.location);
    expect((await mailsTo(email)).at(-1)?.subject).toContain('ご登録済み');

    const signed = await signInSalon(app, email, data.password);
    expect(signed.location).toBe('/account/');
  });
});

describe('salon sign-in', () => {
  it('never promotes a planted cookie, and locks after 10 failures with a generic message', async () => {
    const salon = await createTestSalon(platform);
    const planted = 'B'.repeat(43);
    const ok = await post('/account/sign-in', { email: salon.email, password: salon.password }, `oroshi_session=${planted}`);
    expect(ok.statusCode).toBe(303);
    expect(sessionOf(ok)).toBeTruthy();
    expect(sessionOf(ok)).not.toBe(planted);

    for (let i = 0; i < 10; i++) {
      const bad = await post('/account/sign-in', { email: salon.email, password: `nope-nope-${i}` });
      expect(bad.statusCode).toBe(401);
      expect(bad.body).toContain('メールアドレスまたはパスワードが正しくありません');
    }
    const locked = await post('/account/sign-in', { email: salon.email, password: salon.password });
    expect(locked.statusCode).toBe(401);
    expect(sessionOf(locked)).toBeUndefined();
    const audit = await withPlatform(database, (tx) => tx.selectFrom('audit_log').select(['action', 'reason']).where('actor_id', '=', salon.userId).execute());
    expect(audit.filter((a) => a.action === 'auth.lockout')).toHaveLength(1);
  });

  it('asks a salon that enabled TOTP for its code, and refuses a replayed one', async () => {
    const salon = await createTestSalon(platform);
    const secret = generateSecret();
    await withIdentity(database, { principalId: salon.userId, accountId: salon.accountId, audience: 'salon' }, (tx) =>
      setConfirmedTotpSecret(tx, new SecretBox(platform.secrets), salon.userId, secret),
    );
    const step1 = await post('/account/sign-in', { email: salon.email, password: salon.password });
    expect(step1.statusCode).toBe(200);
    expect(sessionOf(step1)).toBeUndefined();
    const pending = /name="pending" value="([^"]+)"/.exec(step1.body)?.[1];
    expect(pending).toBeTruthy();
    const code = await generate({ secret });
    const step2 = await post('/account/sign-in/totp', { pending: pending!, code });
    expect(step2.statusCode).toBe(303);
    expect(sessionOf(step2)).toBeTruthy();

    const again = await post('/account/sign-in', { email: salon.email, password: salon.password });
    const pending2 = String(/name="pending" value="([^"]+)"/.exec(again.body)?.[1]);
    const replay = await post('/account/sign-in/totp', { pending: pending2, code });
    expect(replay.statusCode).toBe(401);
    expect(sessionOf(replay)).toBeUndefined();
    // The first step's token is spent.
    expect((await post('/account/sign-in/totp', { pending: pending!, code })).statusCode).toBe(401);
  });
});

describe('password reset', () => {
  it('answers the same for unknown emails; the link is single-use, expires, and signs the user out everywhere', async () => {
    const salon = await createTestSalon(platform);
    const before = await signInSalon(app, salon.email, salon.password);
    const unknown = await post('/account/password/forgot', { email: 'ghost@example.test' });
    const known = await post('/account/password/forgot', { email: salon.email });
    expect(unknown.statusCode).toBe(200);
    expect(known.statusCode).toBe(200);
    expect(unknown.body.replace(/value="[^"]*"/g, '')).toBe(known.body.replace(/value="[^"]*"/g, ''));
    const url = /\/account\/password\/reset\?token=[A-Za-z0-9_-]+/.exec((await mailsTo(salon.email)).at(-1)!.text)![0];

    const weak = await post(url, { token: url.split('=')[1]!, password: '1234567890' });
    expect(weak.statusCode).toBe(400);
    const reset = await post(url, { token: url.split('=')[1]!, password: 'a brand new passphrase' });
    expect(reset.statusCode).toBe(303);
    expect((await post(url, { token: url.split('=')[1]!, password: 'yet another passphrase' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/account/sign-in', headers: { cookie: before.cookie } })).statusCode).toBe(200);
    await expect(signInSalon(app, salon.email, salon.password)).rejects.toThrow();
    await signInSalon(app, salon.email, 'a brand new passphrase');

    await post('/account/password/forgot', { email: salon.email });
    const url2 = /\/account\/password\/reset\?token=[A-Za-z0-9_-]+/.exec((await mailsTo(salon.email)).at(-1)!.text)![0];
    await withPlatform(database, (tx) => tx.updateTable('auth_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('kind', '=', 'password_reset').where('user_id', '=', salon.userId).execute());
    expect((await app.inject({ method: 'GET', url: url2 })).statusCode).toBe(400);
    expect((await post(url2, { token: url2.split('=')[1]!, password: 'expired link passphrase' })).statusCode).toBe(400);
  });
});
