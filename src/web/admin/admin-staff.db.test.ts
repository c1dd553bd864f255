import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { queuedMails, seedSalonMembership, seedStaffUser, staffSessionToken, tenantIdOf } from '../../domains/staff/console.test-support.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { cookieName } from '../../platform/http/cookies.ts';

let database: Database;
let app: FastifyInstance;
let config: Config;
let shopA: string;
let admin: { id: string; tenantId: string };
let adminCookie: string;

const cookieFor = async (staff: { id: string; tenantId: string | null }, options?: { stepUp?: boolean }) => `${cookieName(config, 'session')}=${await staffSessionToken(database, staff, options)}`;

async function postAs(cookie: string, pageUrl: string, url: string, payload: Record<string, string>) {
  const page = await app.inject({ url: pageUrl, headers: { cookie } });
  const csrf = csrfFrom(page);
  return app.inject({ method: 'POST', url, headers: { cookie: `${cookie}; ${csrf.cookie}`, 'sec-fetch-site': 'same-origin' }, payload: { ...payload, _csrf: csrf.token } });
}

const staffRow = async (id: string) => (await database.ownerExec('SELECT role, status FROM staff_users WHERE id = $1', [id])).rows[0];
const alive = async (cookie: string) => (await app.inject({ url: '/admin/ayame-color', headers: { cookie } })).statusCode === 200;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, config } = await createTestApp(database));
  shopA = await tenantIdOf(database, 'ayame-color');
  admin = (await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin' })) as { id: string; tenantId: string };
  adminCookie = await cookieFor(admin);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('staff management', () => {
  it('invites with step-up; the invitee sets a password once and is sent to MFA enrolment', async () => {
    const stale = await cookieFor(admin, { stepUp: false });
    const refused = await postAs(stale, '/admin/ayame-color/staff', '/admin/ayame-color/staff', { displayName: '受注 花子', email: 'clerk@ayame.example', role: 'order_clerk' });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe(`/admin/step-up?next=${encodeURIComponent('/admin/ayame-color/staff')}`);

    const bad = await postAs(adminCookie, '/admin/ayame-color/staff', '/admin/ayame-color/staff', { displayName: '受注 花子', email: 'not-mail', role: 'platform_admin' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('メールアドレスの形式が正しくありません');
    expect(bad.body).toContain('value="受注 花子"');

    const ok = await postAs(adminCookie, '/admin/ayame-color/staff', '/admin/ayame-color/staff', { displayName: '受注 花子', email: 'clerk@ayame.example', role: 'order_clerk' });
    expect(ok.statusCode).toBe(303);
    const dup = await postAs(adminCookie, '/admin/ayame-color/staff', '/admin/ayame-color/staff', { displayName: '別人', email: 'clerk@ayame.example', role: 'order_clerk' });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('既にスタッフとして登録されています');

    const mail = (await queuedMails(database)).find((m) => m.to === 'clerk@ayame.example');
    const token = /accept\?token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
    expect(token).toBeDefined();
    const form = await app.inject({ url: `/admin/invitations/accept?token=${token}` });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('受注 花子');
    const csrf = csrfFrom(form);
    const accept = (payload: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/admin/invitations/accept', headers: { cookie: csrf.cookie, 'sec-fetch-site': 'same-origin' }, payload: { ...payload, token: token!, _csrf: csrf.token } });
    const weak = await accept({ password: 'short', passwordConfirm: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('10文字以上');
    expect(weak.body).not.toContain('value="short"');
    const done = await accept({ password: 'correct horse battery staple', passwordConfirm: 'correct horse battery staple' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/admin/mfa?next=${encodeURIComponent('/admin/ayame-color')}`);
    const session = done.cookies.find((c) => c.name === cookieName(config, 'session'));
    expect(session).toBeDefined();
    // Signed in, but without a second factor the console sends them to MFA.
    const console = await app.inject({ url: '/admin/ayame-color', headers: { cookie: `${session!.name}=${session!.value}` } });
    expect(console.statusCode).toBe(303);
    expect(console.headers.location).toMatch(/^\/admin\/mfa/);
    const clerk = (await database.ownerExec(`SELECT id, status FROM staff_users WHERE email = 'clerk@ayame.example'`)).rows[0]!;
    expect(clerk.status).toBe('active');
    expect((await database.ownerExec('SELECT password_hash FROM user_credentials WHERE user_id = $1', [clerk.id])).rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    // The link is single-use.
    expect((await accept({ password: 'another long passphrase', passwordConfirm: 'another long passphrase' })).statusCode).toBe(400);
    expect((await app.inject({ url: `/admin/invitations/accept?token=${token}` })).statusCode).toBe(404);
  });

  it('changing a role or disabling ends that member’s sessions; admins cannot demote themselves', async () => {
    const editor = await seedStaffUser(database, { tenantId: shopA, role: 'catalog_editor' });
    const editorCookie = await cookieFor(editor);
    expect(await alive(editorCookie)).toBe(true);
    const role = await postAs(adminCookie, '/admin/ayame-color/staff', `/admin/ayame-color/staff/${editor.id}/role`, { role: 'order_clerk' });
    expect(role.statusCode).toBe(303);
    expect(await staffRow(editor.id)).toEqual({ role: 'order_clerk', status: 'active' });
    expect(await alive(editorCookie)).toBe(false);

    const again = await cookieFor(editor);
    expect((await postAs(adminCookie, '/admin/ayame-color/staff', `/admin/ayame-color/staff/${editor.id}/disable`, {})).statusCode).toBe(303);
    expect(await staffRow(editor.id)).toEqual({ role: 'order_clerk', status: 'disabled' });
    expect(await alive(again)).toBe(false);

    const self = await postAs(adminCookie, '/admin/ayame-color/staff', `/admin/ayame-color/staff/${admin.id}/disable`, {});
    expect(self.statusCode).toBe(403);
    // An admin cannot demote or disable themselves (so a team always keeps the admin acting on it).
    const selfDemote = await postAs(adminCookie, '/admin/ayame-color/staff', `/admin/ayame-color/staff/${admin.id}/role`, { role: 'order_clerk' });
    expect(selfDemote.statusCode).toBe(403);
    expect(await staffRow(admin.id)).toEqual({ role: 'shop_admin', status: 'active' });
    // Another admin can be demoted by an admin; a role outside the shop's roles is refused.
    const second = await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin' });
    expect((await postAs(adminCookie, '/admin/ayame-color/staff', `/admin/ayame-color/staff/${second.id}/role`, { role: 'platform_admin' })).statusCode).toBe(400);
    expect((await postAs(adminCookie, '/admin/ayame-color/staff', `/admin/ayame-color/staff/${second.id}/role`, { role: 'order_clerk' })).statusCode).toBe(303);
    expect(await staffRow(second.id)).toEqual({ role: 'order_clerk', status: 'active' });
  });

  it('an order clerk cannot reach staff management', async () => {
    const clerk = await cookieFor(await seedStaffUser(database, { tenantId: shopA, role: 'order_clerk' }));
    expect((await app.inject({ url: '/admin/ayame-color/staff', headers: { cookie: clerk } })).statusCode).toBe(403);
  });
});

describe('IP allowlist and audit screens', () => {
  it('validates CIDRs, refuses a list that locks out the current address, saves a good one', async () => {
    const bad = await postAs(adminCookie, '/admin/ayame-color/network', '/admin/ayame-color/network', { entries: '192.168.1.5/24 事務所\nnot-an-ip\n10.0.0.0/33' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('1行目');
    expect(bad.body).toContain('ホスト部が0ではありません');
    expect(bad.body).toContain('2行目');
    expect(bad.body).toContain('3行目');
    const lockout = await postAs(adminCookie, '/admin/ayame-color/network', '/admin/ayame-color/network', { entries: '203.0.113.0/24 本社' });
    expect(lockout.statusCode).toBe(400);
    expect(lockout.body).toContain('127.0.0.1');
    const ok = await postAs(adminCookie, '/admin/ayame-color/network', '/admin/ayame-color/network', { entries: '203.0.113.0/24 本社\n127.0.0.0/8 ローカル\n2001:db8::/32' });
    expect(ok.statusCode).toBe(303);
    const rows = await withTenant(database, shopA, (tx) => tx.selectFrom('staff_ip_allowlist').select(['cidr', 'label']).orderBy('cidr').execute());
    expect(rows.map((r) => r.cidr).sort()).toEqual(['127.0.0.0/8', '2001:db8::/32', '203.0.113.0/24']);
    expect(await alive(adminCookie)).toBe(true);
    await postAs(adminCookie, '/admin/ayame-color/network', '/admin/ayame-color/network', { entries: '' });
  });

  it('shows the shop’s chain with its verification result', async () => {
    const res = await app.inject({ url: '/admin/ayame-color/audit', headers: { cookie: adminCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('改ざん検査: 正常');
    expect(res.body).toContain('network.allowlist_replace');
    expect(res.body).toContain('staff.invite');
  });
});

describe('certificate download', () => {
  it('streams an applicant’s certificate as an attachment to its shop only', async () => {
    const salon = await seedSalonMembership(database, { tenantId: shopA });
    const bytes = Buffer.from('%PDF-1.4\n% test certificate\n');
    const storageKey = randomUUID();
    const dir = path.join(config.dataDir, 'uploads', 'certificates');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, storageKey), bytes);
    const cert = await database.ownerExec(
      `INSERT INTO salon_certificates (account_id, kind, original_name, content_type, size_bytes, sha256, storage_key, uploaded_by)
       VALUES ($1, 'establishment', '美容所登録.pdf', 'application/pdf', $2, $3, $4, $1) RETURNING id`,
      [salon.accountId, bytes.length, createHash('sha256').update(bytes).digest('hex'), storageKey],
    );
    const id = cert.rows[0]!.id as string;
    const detail = await app.inject({ url: `/admin/ayame-color/memberships/${salon.membershipId}`, headers: { cookie: adminCookie } });
    expect(detail.body).toContain(`/admin/ayame-color/certificates/${id}`);
    const res = await app.inject({ url: `/admin/ayame-color/certificates/${id}`, headers: { cookie: adminCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(res.rawPayload.equals(bytes)).toBe(true);
    const otherShop = await cookieFor(await seedStaffUser(database, { tenantId: await tenantIdOf(database, 'kiriha-tools'), role: 'shop_admin' }));
    expect((await app.inject({ url: `/admin/kiriha-tools/certificates/${id}`, headers: { cookie: otherShop } })).statusCode).toBe(404);
    expect((await app.inject({ url: `/admin/ayame-color/certificates/${id}`, headers: { cookie: otherShop } })).statusCode).toBe(403);
  });
});
