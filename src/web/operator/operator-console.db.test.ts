import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { verifyAuditChain } from '../../domains/audit/audit.service.ts';
import { queuedMails, seedSalonMembership, seedStaffUser, staffSessionToken, tenantIdOf } from '../../domains/staff/console.test-support.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { cookieName } from '../../platform/http/cookies.ts';
import { queueMail } from '../../platform/mail/mail.ts';

let database: Database;
let app: FastifyInstance;
let config: Config;
let shopA: string;
let admin: { id: string; tenantId: null };
let adminCookie: string;
let officerCookie: string;

const cookieFor = async (staff: { id: string; tenantId: string | null }, options?: { stepUp?: boolean }) => `${cookieName(config, 'session')}=${await staffSessionToken(database, staff, options)}`;

async function postAs(cookie: string, pageUrl: string, url: string, payload: Record<string, string>) {
  const page = await app.inject({ url: pageUrl, headers: { cookie } });
  expect(page.statusCode, `${pageUrl}: ${page.body.slice(0, 200)}`).toBe(200);
  const csrf = csrfFrom(page);
  return app.inject({ method: 'POST', url, headers: { cookie: `${cookie}; ${csrf.cookie}`, 'sec-fetch-site': 'same-origin' }, payload: { ...payload, _csrf: csrf.token } });
}

const sessionAlive = async (cookie: string) => (await app.inject({ url: '/operator', headers: { cookie } })).statusCode === 200;
const platformActions = () => withPlatform(database, (tx) => tx.selectFrom('audit_log').select(['action', 'reason', 'actor_id']).orderBy('seq').execute());

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, config } = await createTestApp(database));
  shopA = await tenantIdOf(database, 'ayame-color');
  admin = (await seedStaffUser(database, { tenantId: null, role: 'platform_admin', name: '運営 管理者' })) as { id: string; tenantId: null };
  adminCookie = await cookieFor(admin);
  officerCookie = await cookieFor(await seedStaffUser(database, { tenantId: null, role: 'security_officer' }));
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('salon verification queue', () => {
  it('verifies with an expiry (default one year) and rejects with an emailed reason', async () => {
    const toVerify = await seedSalonMembership(database, { tenantId: shopA, verification: 'pending', company: '株式会社確認待ちサロン' });
    const toReject = await seedSalonMembership(database, { tenantId: shopA, verification: 'pending', company: '株式会社書類不備サロン' });
    const page = await app.inject({ url: '/operator/verifications', headers: { cookie: adminCookie } });
    expect(page.body).toContain('株式会社確認待ちサロン');
    const nextYear = new Date();
    nextYear.setUTCFullYear(nextYear.getUTCFullYear() + 1);
    expect(page.body).toContain(`value="${nextYear.toISOString().slice(0, 10)}"`);

    const past = await postAs(adminCookie, '/operator/verifications', `/operator/verifications/${toVerify.accountId}/verify`, { expiresOn: '2001-01-01' });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('有効期限は明日以降の日付にしてください');
    const ok = await postAs(adminCookie, '/operator/verifications', `/operator/verifications/${toVerify.accountId}/verify`, { expiresOn: '2031-03-31' });
    expect(ok.statusCode).toBe(303);
    const verified = (await database.ownerExec('SELECT verification_status, verification_expires_at, verified_by FROM salon_accounts WHERE id = $1', [toVerify.accountId])).rows[0];
    expect(verified).toEqual({ verification_status: 'verified', verification_expires_at: '2031-03-31', verified_by: admin.id });

    const rejected = await postAs(adminCookie, '/operator/verifications', `/operator/verifications/${toReject.accountId}/reject`, { reason: '美容所登録番号が証明書と一致しません。' });
    expect(rejected.statusCode).toBe(303);
    const mails = await queuedMails(database);
    expect(mails.find((m) => m.to === toReject.ownerEmail)).toMatchObject({ tenant_id: null, subject: 'サロン情報の確認について' });
    expect(mails.find((m) => m.to === toReject.ownerEmail)?.text).toContain('美容所登録番号が証明書と一致しません。');
    expect(mails.find((m) => m.to === toVerify.ownerEmail)?.subject).toBe('サロン情報の確認が完了しました');
    const actions = (await platformActions()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['salon.verify', 'salon.verification_reject']));
    expect((await withPlatform(database, verifyAuditChain)).ok).toBe(true);
    // A security officer cannot decide verifications.
    expect((await app.inject({ url: '/operator/verifications', headers: { cookie: officerCookie } })).statusCode).toBe(403);
  });
});

describe('session revocation', () => {
  it('revokes every session of one shop, with step-up and an audited reason', async () => {
    const shopStaff = await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin' });
    const shopCookie = await cookieFor(shopStaff);
    const otherShop = await seedStaffUser(database, { tenantId: await tenantIdOf(database, 'kiriha-tools'), role: 'shop_admin' });
    const otherCookie = await cookieFor(otherShop);
    expect((await app.inject({ url: '/admin/ayame-color', headers: { cookie: shopCookie } })).statusCode).toBe(200);

    const stale = await cookieFor(admin, { stepUp: false });
    const refused = await postAs(stale, '/operator/sessions', '/operator/sessions/revoke-shop', { tenantId: shopA, reason: '不正ログインの疑い' });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toMatch(/^\/admin\/step-up/);
    expect((await app.inject({ url: '/admin/ayame-color', headers: { cookie: shopCookie } })).statusCode).toBe(200);

    const noReason = await postAs(officerCookie, '/operator/sessions', '/operator/sessions/revoke-shop', { tenantId: shopA, reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('理由を入力してください');

    const res = await postAs(officerCookie, '/operator/sessions', '/operator/sessions/revoke-shop', { tenantId: shopA, reason: '不正ログインの疑い' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/operator\/sessions\?revoked=[1-9]/);
    const dead = await app.inject({ url: '/admin/ayame-color', headers: { cookie: shopCookie } });
    expect(dead.statusCode).toBe(303);
    expect(dead.headers.location).toMatch(/^\/admin\/sign-in/);
    expect((await app.inject({ url: '/admin/kiriha-tools', headers: { cookie: otherCookie } })).statusCode).toBe(200);
    expect(await platformActions()).toContainEqual(expect.objectContaining({ action: 'sessions.revoke_shop', reason: '不正ログインの疑い' }));
  });

  it('revokes everyone’s sessions, including the operator’s own', async () => {
    const shopCookie = await cookieFor(await seedStaffUser(database, { tenantId: shopA, role: 'order_clerk' }));
    const mine = await cookieFor(admin);
    const res = await postAs(mine, '/operator/sessions', '/operator/sessions/revoke-all', { audience: 'all', reason: 'インシデント対応' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/sign-in');
    expect(await sessionAlive(mine)).toBe(false);
    expect(await sessionAlive(officerCookie)).toBe(false);
    expect((await app.inject({ url: '/admin/ayame-color', headers: { cookie: shopCookie } })).statusCode).toBe(303);
    const live = await database.ownerExec('SELECT count(*)::int AS n FROM sessions WHERE revoked_at IS NULL');
    expect(live.rows[0]!.n).toBe(0);
    expect(await platformActions()).toContainEqual(expect.objectContaining({ action: 'sessions.revoke_all', reason: 'インシデント対応' }));
    adminCookie = await cookieFor(admin);
    officerCookie = await cookieFor(await seedStaffUser(database, { tenantId: null, role: 'security_officer' }));
  });
});

describe('mail viewer and audit across shops', () => {
  it('shows platform mail directly and shop mail only with a recorded reason', async () => {
    // What the mail handler records after sending (SMTP unset): one row per delivered outbox item.
    const recordMail = async (tx: Tx, tenantId: string | null, to: string, subject: string) => {
      const outboxId = await queueMail(tx, { tenantId, to, subject, text: '本文' });
      await tx.insertInto('mail_messages').values({ tenant_id: tenantId, outbox_id: outboxId, to_address: to, subject, body_text: '本文', transport: 'console' }).execute();
    };
    await withTenant(database, shopA, (tx) => recordMail(tx, shopA, 'shop-mail@salon.example', 'ショップからのお知らせ'));
    await withPlatform(database, (tx) => recordMail(tx, null, 'platform-mail@salon.example', '運営からのお知らせ'));
    const page = await app.inject({ url: '/operator/mail', headers: { cookie: adminCookie } });
    expect(page.body).toContain('運営からのお知らせ');
    expect(page.body).not.toContain('ショップからのお知らせ');
    const noReason = await postAs(adminCookie, '/operator/mail', '/operator/mail/shops', { tenant: shopA, reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).not.toContain('ショップからのお知らせ');
    const res = await postAs(adminCookie, '/operator/mail', '/operator/mail/shops', { tenant: shopA, reason: '配信トラブルの調査' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('ショップからのお知らせ');
    expect(await platformActions()).toContainEqual(expect.objectContaining({ action: 'operator.across_tenants', reason: '送信メールの確認: 配信トラブルの調査', actor_id: admin.id }));
  });

  it('verifies the platform chain and every shop chain', async () => {
    const page = await app.inject({ url: '/operator/audit', headers: { cookie: officerCookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('改ざん検査: 正常');
    const res = await postAs(officerCookie, '/operator/audit', '/operator/audit/shops', { tenant: 'all', reason: '定期確認' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('あやめ化研');
    expect(res.body).not.toContain('異常');
  });
});

describe('shops and operator staff', () => {
  it('suspends and reinstates a shop with a reason', async () => {
    const noReason = await postAs(adminCookie, `/operator/shops/${shopA}`, `/operator/shops/${shopA}/status`, { status: 'suspended', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('理由を入力してください');
    expect(noReason.body).toContain('特定商取引法に基づく表記');
    const res = await postAs(adminCookie, `/operator/shops/${shopA}`, `/operator/shops/${shopA}/status`, { status: 'suspended', reason: '契約確認中' });
    expect(res.statusCode).toBe(303);
    expect((await database.ownerExec('SELECT status FROM tenants WHERE id = $1', [shopA])).rows[0]!.status).toBe('suspended');
    await postAs(adminCookie, `/operator/shops/${shopA}`, `/operator/shops/${shopA}/status`, { status: 'active', reason: '確認完了' });
    expect((await database.ownerExec('SELECT status FROM tenants WHERE id = $1', [shopA])).rows[0]!.status).toBe('active');
  });

  it('invites operator staff (step-up), who cannot be given a shop role', async () => {
    const stale = await cookieFor(admin, { stepUp: false });
    const refused = await postAs(stale, '/operator/staff', '/operator/staff', { displayName: '新人', email: 'new-op@minase.example', role: 'security_officer' });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toMatch(/^\/admin\/step-up/);
    const shopRole = await postAs(adminCookie, '/operator/staff', '/operator/staff', { displayName: '新人', email: 'new-op@minase.example', role: 'shop_admin' });
    expect(shopRole.statusCode).toBe(400);
    const ok = await postAs(adminCookie, '/operator/staff', '/operator/staff', { displayName: '新人', email: 'new-op@minase.example', role: 'security_officer' });
    expect(ok.statusCode).toBe(303);
    const row = (await database.ownerExec(`SELECT tenant_id, role, status FROM staff_users WHERE email = 'new-op@minase.example'`)).rows[0];
    expect(row).toEqual({ tenant_id: null, role: 'security_officer', status: 'invited' });
    const token = /accept\?token=([A-Za-z0-9_-]+)/.exec((await queuedMails(database)).find((m) => m.to === 'new-op@minase.example')?.text ?? '')?.[1];
    expect(token).toBeDefined();
    // The invitee sets a password and is led into MFA enrolment, then the operator console.
    const form = await app.inject({ url: `/admin/invitations/accept?token=${token}` });
    const csrf = csrfFrom(form);
    const accepted = await app.inject({
      method: 'POST',
      url: '/admin/invitations/accept',
      headers: { cookie: csrf.cookie, 'sec-fetch-site': 'same-origin' },
      payload: { _csrf: csrf.token, token: token!, password: 'a long operator passphrase', passwordConfirm: 'a long operator passphrase' },
    });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/admin/mfa?next=${encodeURIComponent('/operator')}`);
    expect((await database.ownerExec(`SELECT status FROM staff_users WHERE email = 'new-op@minase.example'`)).rows[0]!.status).toBe('active');
    expect(await platformActions()).toContainEqual(expect.objectContaining({ action: 'staff.invitation_accept' }));
  });

  it('refuses an operator allowlist that would lock out the current address', async () => {
    const res = await postAs(adminCookie, '/operator/network', '/operator/network', { entries: '203.0.113.0/24 本社' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('入れなくなります');
    const count = await database.ownerExec('SELECT count(*)::int AS n FROM staff_ip_allowlist WHERE tenant_id IS NULL');
    expect(count.rows[0]!.n).toBe(0);
  });
});
