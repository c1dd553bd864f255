import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { sampleJpeg, samplePdf, samplePng } from '../../domains/accounts/certificate-fixtures.testing.ts';
import { issueCustomerInvitationToken } from '../../domains/accounts/membership.service.ts';
import { certificateDir } from '../../domains/accounts/salon-certificate.service.ts';
import { createSession } from '../../domains/auth/session.service.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import type { Platform } from '../../platform/http/platform.ts';

let database: Database;
let app: FastifyInstance;
let platform: Platform;
const shops: Record<string, string> = {};
let shopA = '';
let shopB = '';

interface Salon {
  accountId: string;
  userId: string;
  cookie: string;
}

async function newSalon(
  label: string,
  role: 'owner' | 'buyer' | 'viewer' = 'owner',
  accountId: string = crypto.randomUUID(),
  user: { email?: string; verified?: boolean } = {},
): Promise<Salon> {
  const userId = crypto.randomUUID();
  const token = await withIdentity(database, { accountId, principalId: userId, audience: 'salon' }, async (tx) => {
    const exists = await tx.selectFrom('salon_accounts').select('id').where('id', '=', accountId).executeTakeFirst();
    if (!exists) {
      await tx
        .insertInto('salon_accounts')
        .values({ id: accountId, business_type: 'corporation', company_name: `株式会社${label}`, salon_name: `サロン${label}`, representative_name: '代表 花子', postal_code: '1500001', prefecture: '東京都', city: '渋谷区', address_line1: '神宮前1-1-1', phone: '03-1234-5678' })
        .execute();
    }
    await tx
      .insertInto('salon_users')
      .values({ id: userId, account_id: accountId, email: user.email ?? `${label}-${role}@salon.example`, display_name: `${label}${role}`, role, email_verified_at: user.verified ? new Date() : null })
      .execute();
    return (await createSession(tx, { audience: 'salon', userId, accountId })).token;
  });
  return { accountId, userId, cookie: `oroshi_session=${token}` };
}

async function page(salon: Salon | null, url: string) {
  return app.inject({ method: 'GET', url, headers: salon ? { cookie: salon.cookie } : {} });
}

/** Posts a form with a CSRF token taken from `formPage` (as `tokenFrom`: the token is per browser, not per user). */
async function post(salon: Salon, url: string, form: Record<string, string>, formPage = '/account/profile', tokenFrom: Salon = salon) {
  const got = await page(tokenFrom, formPage);
  const csrf = csrfFrom(got);
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: `${salon.cookie}; ${csrf.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...form, _csrf: csrf.token }).toString(),
  });
}

async function upload(salon: Salon, name: string, bytes: Buffer, kind = 'establishment') {
  const got = await page(salon, '/account/profile');
  const csrf = csrfFrom(got);
  const boundary = '----oroshitest';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf.token}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="certificate"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({ method: 'POST', url: '/account/profile/certificates', headers: { cookie: `${salon.cookie}; ${csrf.cookie}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
}

const validProfile = {
  business_type: 'corporation',
  company_name: '株式会社テスト美容',
  company_name_kana: 'テストビヨウ',
  salon_name: 'Hair Test 渋谷',
  representative_name: '山田 花子',
  manager_name: '山田 花子',
  establishment_health_center: '渋谷区保健所',
  establishment_number: '第12345号',
  establishment_date: '2020-04-01',
  postal_code: '150-0001',
  prefecture: '東京都',
  city: '渋谷区',
  address_line1: '神宮前1-2-3',
  address_line2: '',
  phone: '03-1234-5678',
  invoice_registration_number: '',
};

const certRows = (accountId: string) => withIdentity(database, { accountId, audience: 'salon' }, (tx) => tx.selectFrom('salon_certificates').selectAll().where('account_id', '=', accountId).execute());
const storedFiles = () => (fs.existsSync(certificateDir(platform.config.dataDir)) ? fs.readdirSync(certificateDir(platform.config.dataDir)) : []);

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database, { env: { DATA_DIR: `.tmp/test-data/account-${process.pid}-${Date.now()}` } }));
  for (const t of await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).orderBy('sort_order').execute())) shops[t.slug] = t.id;
  [shopA, shopB] = Object.values(shops) as [string, string];
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
  if (platform) fs.rmSync(platform.config.dataDir, { recursive: true, force: true });
});

describe('account pages', () => {
  it('send an anonymous visitor to the sign-in with the page to come back to', async () => {
    const res = await page(null, '/account/profile');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/account/sign-in?next=${encodeURIComponent('/account/profile')}`);
  });

  it('show the home, profile, shops, users and locations screens in Japanese', async () => {
    const salon = await newSalon('home');
    for (const [url, text] of [
      ['/account/', 'サロン情報'],
      ['/account/profile', '確認書類'],
      ['/account/shops', '取引ショップ'],
      ['/account/users', 'ユーザーを招待する'],
      ['/account/locations', 'お届け先を追加'],
    ] as const) {
      const res = await page(salon, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain(text);
    }
  });
});

describe('salon profile', () => {
  it('re-shows the form with Japanese messages and what was typed', async () => {
    const salon = await newSalon('badprofile');
    const res = await post(salon, '/account/profile', { ...validProfile, company_name: '', company_name_kana: 'abc', postal_code: '12', phone: '12345', invoice_registration_number: 'T1234567890124', salon_name: 'サロン<b>入力値</b>' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('会社名・屋号を入力してください。');
    expect(res.body).toContain('カタカナで入力してください。');
    expect(res.body).toContain('郵便番号は7桁の数字で入力してください');
    expect(res.body).toContain('電話番号は0から始まる10桁または11桁');
    expect(res.body).toContain('登録番号に誤りがあります');
    expect(res.body).toContain('value="サロン&lt;b>入力値&lt;/b>"');
    expect(res.body).not.toContain('<b>入力値');
  });

  it('checks the postal code against the prefecture', async () => {
    const salon = await newSalon('postal');
    const res = await post(salon, '/account/profile', { ...validProfile, prefecture: '大阪府' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('東京都の番号です');
  });

  it('saves, needs a certificate to submit, then goes to pending', async () => {
    const salon = await newSalon('submit');
    expect((await post(salon, '/account/profile', { ...validProfile, action: 'save' })).headers.location).toBe('/account/profile?done=saved');
    const refused = await post(salon, '/account/profile', { ...validProfile, action: 'submit' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('書類のアップロードが必要です');
    expect((await upload(salon, '確認書.pdf', await samplePdf())).statusCode).toBe(303);
    const submitted = await post(salon, '/account/profile', { ...validProfile, action: 'submit' });
    expect(submitted.headers.location).toBe('/account/profile?done=submitted');
    const row = await withIdentity(database, { accountId: salon.accountId }, (tx) => tx.selectFrom('salon_accounts').select(['verification_status', 'company_name', 'postal_code']).where('id', '=', salon.accountId).executeTakeFirstOrThrow());
    expect(row).toEqual({ verification_status: 'pending', company_name: '株式会社テスト美容', postal_code: '1500001' });
  });

  it('lets a viewer look but not change anything', async () => {
    const owner = await newSalon('viewerco');
    const viewer = await newSalon('viewerco', 'viewer', owner.accountId);
    const res = await post(viewer, '/account/profile', { ...validProfile, salon_name: '書き換え' }, '/account/profile', owner);
    expect(res.statusCode).toBe(403);
    expect((await page(viewer, '/account/profile')).body).not.toContain('保存する');
    expect((await post(viewer, '/account/users/invite', { email: 'x@salon.example', display_name: 'x', role: 'owner' }, '/account/users', owner)).statusCode).toBe(403);
    const buyer = await newSalon('viewerco', 'buyer', owner.accountId);
    expect((await post(buyer, '/account/users/invite', { email: 'y@salon.example', display_name: 'y', role: 'owner' }, '/account/users', owner)).statusCode).toBe(403);
  });
});

describe('certificate upload', () => {
  it('stores a real certificate under a random key outside public paths and serves it back as a locked download', async () => {
    const salon = await newSalon('upload');
    const png = await samplePng();
    const res = await upload(salon, '登録証.png', png);
    expect(res.statusCode).toBe(303);
    const [row] = await certRows(salon.accountId);
    expect(row).toMatchObject({ original_name: '登録証.png', content_type: 'image/png', size_bytes: png.length });
    const file = path.join(certificateDir(platform.config.dataDir), row!.storage_key);
    expect(fs.readFileSync(file).equals(png)).toBe(true);
    expect(path.resolve(file).startsWith(path.resolve('static'))).toBe(false);
    const got = await page(salon, `/account/certificates/${row!.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(png)).toBe(true);
    expect(got.headers['content-disposition']).toMatch(/^attachment; /);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-security-policy']).toContain("default-src 'none'");
    expect(got.headers['content-security-policy']).toContain('sandbox');
    // Another salon gets nothing.
    expect((await page(await newSalon('stranger'), `/account/certificates/${row!.id}`)).statusCode).toBe(404);
  });

  it('refuses wrong types, oversized files, polyglots and path tricks, storing nothing', async () => {
    const salon = await newSalon('badupload');
    const before = storedFiles().length;
    const jpeg = await sampleJpeg();
    const cases: [string, Buffer, string][] = [
      ['cert.pdf', Buffer.from('<html><script>alert(1)</script></html>'), 'PDF・JPEG・PNG'],
      ['cert.png', Buffer.concat([await samplePng(), Buffer.alloc(5 * 1024 * 1024)]), '5MB'],
      ['cert.jpg', Buffer.concat([jpeg, await samplePdf()]), '別のデータ'],
      ['cert.jpg', Buffer.concat([jpeg, Buffer.from('PK\u0003\u0004evil', 'latin1')]), '別のデータ'],
      ['../../static/x.jpg', jpeg, '使用できない文字'],
      ['cert\u0001.jpg', jpeg, '使用できない文字'],
      [`${'a'.repeat(150)}.jpg`, jpeg, 'ファイル名が長すぎます'],
    ];
    for (const [name, bytes, message] of cases) {
      const res = await upload(salon, name, bytes);
      expect(res.statusCode, name).toBe(400);
      expect(res.body, name).toContain(message);
    }
    expect(await certRows(salon.accountId)).toHaveLength(0);
    expect(storedFiles().length).toBe(before);
  });
});

describe('shop applications', () => {
  it('a salon applies with consent once; a second application is told, not duplicated', async () => {
    const salon = await newSalon('apply');
    await withIdentity(database, { accountId: salon.accountId }, (tx) => tx.updateTable('salon_accounts').set({ verification_status: 'pending' }).where('id', '=', salon.accountId).execute());
    const noConsent = await post(salon, `/account/shops/${shopA}/apply`, {}, '/account/shops');
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.body).toContain('同意が必要です');
    const first = await post(salon, `/account/shops/${shopA}/apply`, { consent: 'yes', note: 'よろしくお願いします' }, '/account/shops');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('申請しました。');
    expect(first.body).toContain('申請中');
    const second = await post(salon, `/account/shops/${shopA}/apply`, { consent: 'yes' }, '/account/shops');
    expect(second.body).toContain('すでに申請済みです（現在の状況: 申請中）');
    const rows = await withTenant(database, shopA, (tx) => tx.selectFrom('memberships').select(['status', 'consent_version', 'consent_at']).where('account_id', '=', salon.accountId).execute());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'applied', consent_version: '2025-01' });
  });

  it('a salon approved by shop A is invisible to shop B until it applies there', async () => {
    const salon = await newSalon('isolation');
    expect((await upload(salon, 'a.pdf', await samplePdf())).statusCode).toBe(303);
    await withTenant(database, shopA, (tx) =>
      tx.insertInto('memberships').values({ tenant_id: shopA, account_id: salon.accountId, status: 'approved', consent_at: new Date(), consent_version: 'test' }).execute(),
    );
    const seenBy = (tenantId: string) =>
      withTenant(database, tenantId, async (tx) => ({
        profile: await tx.selectFrom('salon_accounts').select('id').where('id', '=', salon.accountId).execute(),
        certificates: await tx.selectFrom('salon_certificates').select('id').where('account_id', '=', salon.accountId).execute(),
        users: await tx.selectFrom('salon_users').select('id').where('account_id', '=', salon.accountId).execute(),
      }));
    const a = await seenBy(shopA);
    expect(a.profile).toHaveLength(1);
    expect(a.certificates).toHaveLength(1);
    const b = await seenBy(shopB);
    expect(b).toEqual({ profile: [], certificates: [], users: [] });
    // Shop A may read but never delete the salon's documents.
    await withTenant(database, shopA, (tx) => tx.deleteFrom('salon_certificates').where('account_id', '=', salon.accountId).execute());
    expect(await certRows(salon.accountId)).toHaveLength(1);
    await withIdentity(database, { accountId: salon.accountId }, (tx) => tx.updateTable('salon_accounts').set({ verification_status: 'pending' }).where('id', '=', salon.accountId).execute());
    await post(salon, `/account/shops/${shopB}/apply`, { consent: 'yes' }, '/account/shops');
    expect((await seenBy(shopB)).profile).toHaveLength(1);
  });

  async function inviteToShopB(email: string, code: string) {
    return withTenant(database, shopB, async (tx) => {
      const rank = await tx.insertInto('shop_price_ranks').values({ tenant_id: shopB, code, name: `ゴールド${code}`, rate: '0.7000' }).returning('id').executeTakeFirstOrThrow();
      const inv = await tx
        .insertInto('customer_invitations')
        .values({ tenant_id: shopB, company_name: '株式会社招待', contact_name: '招待 太郎', email, rank_id: rank.id, invoice_terms_enabled: true, credit_limit_yen: 300000, closing_day: 20, invited_by: crypto.randomUUID() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { token: await issueCustomerInvitationToken(tx, { tenantId: shopB, invitationId: inv.id }), rankId: rank.id, invitationId: inv.id };
    });
  }
  const membershipIn = (tenantId: string, accountId: string) => withTenant(database, tenantId, (tx) => tx.selectFrom('memberships').selectAll().where('account_id', '=', accountId).executeTakeFirst());
  const inviteAudit = (invitationId: string) =>
    withTenant(database, shopB, (tx) => tx.selectFrom('audit_log').select(['action', 'result', 'reason', 'actor_id']).where('resource_id', '=', invitationId).orderBy('seq').execute());

  it("accepting a shop's customer invitation makes an approved membership with its rank and terms, once", async () => {
    const salon = await newSalon('invited', 'owner', undefined, { email: 'Invited@Salon.example', verified: true });
    const { token, rankId, invitationId } = await inviteToShopB('invited@salon.example', 'gold');
    const shown = await page(salon, `/account/invitations/${token}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('ゴールドgold');
    expect(shown.body).toContain('招待を受ける');
    const accepted = await post(salon, `/account/invitations/${token}`, { consent: 'yes' }, `/account/invitations/${token}`);
    expect(accepted.statusCode).toBe(303);
    expect(await membershipIn(shopB, salon.accountId)).toMatchObject({ status: 'approved', rank_id: rankId, invoice_terms_enabled: true, credit_limit_yen: 300000, closing_day: 20 });
    expect(await inviteAudit(invitationId)).toEqual([{ action: 'customer_invitation.accept', result: 'success', reason: '', actor_id: salon.userId }]);
    expect((await page(salon, `/account/invitations/${token}`)).statusCode).toBe(404);
  });

  it('an invitation is bound to the invited address: another salon signed in with the link is refused; nothing is accepted and the link stays usable', async () => {
    const { token, invitationId } = await inviteToShopB('bound@salon.example', 'bound');
    const other = await newSalon('forwarded', 'owner', undefined, { email: 'colleague@other.example', verified: true });
    const shown = await page(other, `/account/invitations/${token}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('この招待は bound@salon.example 宛てです。');
    expect(shown.body).not.toContain('招待を受ける</button>');
    const refused = await post(other, `/account/invitations/${token}`, { consent: 'yes' }, `/account/invitations/${token}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('この招待は bound@salon.example 宛てです。');
    expect(await membershipIn(shopB, other.accountId)).toBeUndefined();
    expect(await inviteAudit(invitationId)).toEqual([{ action: 'customer_invitation.accept', result: 'denied', reason: 'other_email', actor_id: other.userId }]);
    // A buyer of a salon whose *owner* has the invited address is not the invited person either.
    const owner = await newSalon('bound', 'owner', undefined, { email: 'bound@salon.example', verified: true });
    const buyer = await newSalon('bound', 'buyer', owner.accountId, { email: 'buyer@salon.example', verified: true });
    expect((await post(buyer, `/account/invitations/${token}`, { consent: 'yes' }, `/account/invitations/${token}`)).statusCode).toBe(403);
    // The invited address itself still can.
    expect((await post(owner, `/account/invitations/${token}`, { consent: 'yes' }, `/account/invitations/${token}`)).statusCode).toBe(303);
    expect((await membershipIn(shopB, owner.accountId))?.status).toBe('approved');
  });

  it('an account opened with the invited address must verify it before accepting', async () => {
    const { token } = await inviteToShopB('unverified@salon.example', 'unverified');
    const salon = await newSalon('unverified', 'owner', undefined, { email: 'unverified@salon.example', verified: false });
    expect((await page(salon, `/account/invitations/${token}`)).body).toContain('の確認がまだ済んでいません');
    const refused = await post(salon, `/account/invitations/${token}`, { consent: 'yes' }, `/account/invitations/${token}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('確認メールのリンクを開いてから');
    expect(await membershipIn(shopB, salon.accountId)).toBeUndefined();
    await withIdentity(database, { accountId: salon.accountId, principalId: salon.userId, audience: 'salon' }, (tx) =>
      tx.updateTable('salon_users').set({ email_verified_at: new Date() }).where('id', '=', salon.userId).execute(),
    );
    expect((await post(salon, `/account/invitations/${token}`, { consent: 'no' }, `/account/invitations/${token}`)).statusCode).toBe(400);
    expect((await post(salon, `/account/invitations/${token}`, { consent: 'yes' }, `/account/invitations/${token}`)).statusCode).toBe(303);
    expect((await membershipIn(shopB, salon.accountId))?.status).toBe('approved');
  });
});

describe('company users and locations', () => {
  it('an owner invites a buyer who sets a password; the last owner cannot be removed or demoted', async () => {
    const owner = await newSalon('company');
    const invited = await post(owner, '/account/users/invite', { email: 'Buyer@Company.example', display_name: '買付 次郎', role: 'buyer' }, '/account/users');
    expect(invited.headers.location).toBe('/account/users?done=invited');
    const mail = await withPlatform(database, (tx) => tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute());
    const text = mail.map((m) => String((m.payload as { text: string }).text)).find((t) => t.includes('買付 次郎'))!;
    const token = /\/account\/invite\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;
    const bad = await app.inject({ method: 'GET', url: `/account/invite/${token}` });
    expect(bad.statusCode).toBe(200);
    const csrf = csrfFrom(bad);
    const mismatch = await app.inject({
      method: 'POST',
      url: `/account/invite/${token}`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token, display_name: '買付 次郎', password: 'correct horse battery', password_confirm: 'different one!!' }).toString(),
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('確認用のパスワードが一致しません。');
    expect(mismatch.body).not.toContain('correct horse battery');
    const ok = await app.inject({
      method: 'POST',
      url: `/account/invite/${token}`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token, display_name: '買付 次郎', password: 'correct horse battery', password_confirm: 'correct horse battery' }).toString(),
    });
    expect(ok.statusCode).toBe(303);
    expect((await app.inject({ method: 'GET', url: `/account/invite/${token}` })).statusCode).toBe(404);
    const users = await withIdentity(database, { accountId: owner.accountId }, (tx) => tx.selectFrom('salon_users').select(['email', 'status', 'role']).where('account_id', '=', owner.accountId).execute());
    expect(users).toContainEqual({ email: 'buyer@company.example', status: 'active', role: 'buyer' });

    const demote = await post(owner, `/account/users/${owner.userId}/role`, { role: 'viewer' }, '/account/users');
    expect(demote.statusCode).toBe(409);
    expect(demote.body).toContain('オーナーが1人だけ');
  });

  it('locations: bad input re-shown, first one is the default, archive moves the default', async () => {
    const salon = await newSalon('locations');
    const bad = await post(salon, '/account/locations', { label: '本店', recipient_name: '', postal_code: '1500001', prefecture: '東京都', city: '渋谷区', address_line1: '神宮前1-1', phone: '03-1111-2222' }, '/account/locations');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('受取人を入力してください。');
    expect(bad.body).toContain('value="本店"');
    const add = (label: string) => post(salon, '/account/locations', { label, recipient_name: '受取 人', postal_code: '150-0001', prefecture: '東京都', city: '渋谷区', address_line1: '神宮前1-1', phone: '03-1111-2222' }, '/account/locations');
    expect((await add('本店')).statusCode).toBe(303);
    expect((await add('二号店')).statusCode).toBe(303);
    const list = () => withIdentity(database, { accountId: salon.accountId }, (tx) => tx.selectFrom('salon_locations').select(['id', 'label', 'is_default', 'archived_at']).where('account_id', '=', salon.accountId).orderBy('created_at').execute());
    const [main, second] = await list();
    expect([main!.is_default, second!.is_default]).toEqual([true, false]);
    await post(salon, `/account/locations/${main!.id}/archive`, {}, '/account/locations');
    const after = await list();
    expect(after.find((l) => l.id === main!.id)!.archived_at).not.toBeNull();
    expect(after.find((l) => l.id === second!.id)!.is_default).toBe(true);
  });

  it('locations: an owner or buyer edits an address with the same checks as adding; bad input changes nothing; viewers and other salons cannot', async () => {
    const owner = await newSalon('loc-edit');
    const address = { recipient_name: '受取 人', postal_code: '150-0001', prefecture: '東京都', city: '渋谷区', address_line1: '神宮前1-1', phone: '03-1111-2222' };
    expect((await post(owner, '/account/locations', { label: '本店', ...address }, '/account/locations')).statusCode).toBe(303);
    expect((await post(owner, '/account/locations', { label: '二号店', ...address }, '/account/locations')).statusCode).toBe(303);
    const rows = () => withIdentity(database, { accountId: owner.accountId }, (tx) => tx.selectFrom('salon_locations').selectAll().where('account_id', '=', owner.accountId).orderBy('created_at').execute());
    const [main, second] = await rows();
    const editUrl = `/account/locations/${second!.id}/edit`;

    const form = await page(owner, editUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('お届け先の編集');
    expect(form.body).toContain('value="二号店"');
    expect(form.body).toContain('value="150-0001"');
    expect((await page(owner, '/account/locations')).body).toContain(`href="${editUrl}"`);

    // Bad input: Japanese messages, what was typed re-shown, the row untouched.
    const before = await rows();
    for (const [bad, message] of [
      [{ postal_code: '12-34' }, '郵便番号は7桁の数字で入力してください'],
      [{ postal_code: '0000000' }, 'この郵便番号は見つかりません。'],
      [{ prefecture: '大阪府' }, 'は東京都の番号です。都道府県をご確認ください。'],
      [{ phone: '1234' }, '電話番号は0から始まる10桁または11桁で入力してください'],
      [{ label: '' }, 'お届け先の名前を入力してください。'],
    ] as const) {
      const res = await post(owner, `/account/locations/${second!.id}`, { label: '二号店（改）', ...address, ...bad }, editUrl);
      expect(res.statusCode, message).toBe(400);
      expect(res.body, message).toContain(message);
      expect(res.body).toContain('お届け先の編集');
    }
    const typedBack = await post(owner, `/account/locations/${second!.id}`, { label: '二号店（改）', ...address, phone: '1234' }, editUrl);
    expect(typedBack.body).toContain('value="二号店（改）"');
    expect(await rows()).toEqual(before);

    // A buyer of the same salon may edit (and make it the default); the address is normalised as on create.
    const buyer = await newSalon('loc-edit', 'buyer', owner.accountId);
    const ok = await post(buyer, `/account/locations/${second!.id}`, { ...address, label: '二号店（改）', postal_code: '１５０−０００２', city: '渋谷区', address_line1: '渋谷2-2-2', phone: '０３−９９９９−８８８８', is_default: 'yes' }, editUrl);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/account/locations?done=updated');
    const after = await rows();
    expect(after.find((l) => l.id === second!.id)).toMatchObject({ label: '二号店（改）', postal_code: '1500002', address_line1: '渋谷2-2-2', phone: '03-9999-8888', is_default: true });
    expect(after.find((l) => l.id === main!.id)).toMatchObject({ label: '本店', is_default: false });

    // Unticking "default" on the default does not leave the salon without one.
    expect((await post(owner, `/account/locations/${second!.id}`, { label: '二号店', ...address }, editUrl)).statusCode).toBe(303);
    expect((await rows()).filter((l) => l.is_default).map((l) => l.id)).toEqual([second!.id]);

    // A viewer of the same salon, another salon, an archived location and a malformed id: refused, nothing changed.
    const snapshot = await rows();
    const viewer = await newSalon('loc-edit', 'viewer', owner.accountId);
    expect((await page(viewer, editUrl)).statusCode).toBe(403);
    expect((await post(viewer, `/account/locations/${second!.id}`, { label: '閲覧者の変更', ...address }, '/account/locations', owner)).statusCode).toBe(403);
    const stranger = await newSalon('loc-stranger');
    expect((await page(stranger, editUrl)).statusCode).toBe(404);
    expect((await post(stranger, `/account/locations/${second!.id}`, { label: '他人の変更', ...address }, '/account/locations')).statusCode).toBe(404);
    expect((await post(owner, '/account/locations/not-a-uuid', { label: 'x', ...address }, '/account/locations')).statusCode).toBe(404);
    expect(await rows()).toEqual(snapshot);
    await post(owner, `/account/locations/${main!.id}/archive`, {}, '/account/locations');
    expect((await page(owner, `/account/locations/${main!.id}/edit`)).statusCode).toBe(404);
  });
});
