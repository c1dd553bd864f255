import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { verifyAuditChain } from '../../domains/audit/audit.service.ts';
import {
  queuedMails,
  seedPriceRanks,
  seedSalonMembership,
  seedStaffUser,
  staffSessionToken,
  tenantIdOf,
} from '../../domains/staff/console.test-support.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { cookieName } from '../../platform/http/cookies.ts';

let database: Database;
let app: FastifyInstance;
let config: Config;
let shopA: string;
let shopB: string;
let ranksA: Record<string, string>;
let adminA: { cookie: string; id: string };
let adminB: { cookie: string; id: string };
let clerkA: { cookie: string; id: string };

async function signedIn(staff: { id: string; tenantId: string | null }, options?: { stepUp?: boolean }) {
  const token = await staffSessionToken(database, staff, options);
  return { cookie: `${cookieName(config, 'session')}=${token}`, id: staff.id };
}

/** GETs a page as `who`, returns the cookie header with CSRF and the form token. */
async function formAs(who: { cookie: string }, url: string) {
  const res = await app.inject({ url, headers: { cookie: who.cookie } });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  const csrf = csrfFrom(res);
  return { cookie: `${who.cookie}; ${csrf.cookie}`, token: csrf.token, body: res.body };
}

async function postAs(who: { cookie: string }, pageUrl: string, url: string, payload: Record<string, string>) {
  const form = await formAs(who, pageUrl);
  return app.inject({ method: 'POST', url, headers: { cookie: form.cookie, 'sec-fetch-site': 'same-origin' }, payload: { ...payload, _csrf: form.token } });
}

const membershipStatus = async (tenantId: string, id: string) =>
  (await database.ownerExec('SELECT status, rank_id, credit_limit_yen, closing_day, decision_reason FROM memberships WHERE tenant_id = $1 AND id = $2', [tenantId, id])).rows[0] as {
    status: string;
    rank_id: string | null;
    credit_limit_yen: number;
    closing_day: number;
    decision_reason: string;
  };

const terms = (rankId: string) => ({ rankId, customerCode: 'C-100', invoiceTermsEnabled: 'on', creditLimitYen: '300,000', closingDay: '20', paymentMonthOffset: '1', paymentDay: '31' });

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, config } = await createTestApp(database));
  shopA = await tenantIdOf(database, 'ayame-color');
  shopB = await tenantIdOf(database, 'kiriha-tools');
  ranksA = await seedPriceRanks(database, shopA);
  await seedPriceRanks(database, shopB);
  adminA = await signedIn(await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin', name: '管理 一郎' }));
  adminB = await signedIn(await seedStaffUser(database, { tenantId: shopB, role: 'shop_admin' }));
  clerkA = await signedIn(await seedStaffUser(database, { tenantId: shopA, role: 'order_clerk' }));
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('application queue', () => {
  it('lists the shop’s own applicants only, with verification status', async () => {
    const mine = await seedSalonMembership(database, { tenantId: shopA, company: '株式会社あやめ申請サロン' });
    const theirs = await seedSalonMembership(database, { tenantId: shopB, company: '株式会社きりは申請サロン' });
    const res = await app.inject({ url: '/admin/ayame-color/applications', headers: { cookie: adminA.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('株式会社あやめ申請サロン');
    expect(res.body).toContain('確認済み');
    expect(res.body).not.toContain('株式会社きりは申請サロン');
    // A's staff on B's URLs: refused, and B's applicant's page does not open through A's URL either.
    expect((await app.inject({ url: '/admin/kiriha-tools/applications', headers: { cookie: adminA.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ url: `/admin/ayame-color/memberships/${theirs.membershipId}`, headers: { cookie: adminA.cookie } })).statusCode).toBe(404);
    expect((await app.inject({ url: `/admin/ayame-color/memberships/${mine.membershipId}`, headers: { cookie: adminA.cookie } })).statusCode).toBe(200);
  });

  it('approves with rank and 掛け払い terms, emails the salon and audits', async () => {
    const salon = await seedSalonMembership(database, { tenantId: shopA });
    const page = `/admin/ayame-color/memberships/${salon.membershipId}`;
    const res = await postAs(adminA, page, `${page}/approve`, terms(ranksA.gold!));
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
    expect(res.headers.location).toBe(`${page}?done=approved`);
    const m = await membershipStatus(shopA, salon.membershipId);
    expect(m).toMatchObject({ status: 'approved', rank_id: ranksA.gold, credit_limit_yen: 300000, closing_day: 20 });
    expect((await queuedMails(database)).filter((x) => x.to === salon.ownerEmail).map((x) => x.subject)).toEqual(['お取引のお申し込みが承認されました']);
    const audit = await withTenant(database, shopA, async (tx) => ({
      rows: await tx.selectFrom('audit_log').select(['action', 'resource_id', 'actor_id']).where('action', '=', 'membership.approve').execute(),
      chain: await verifyAuditChain(tx),
    }));
    expect(audit.rows).toContainEqual({ action: 'membership.approve', resource_id: salon.membershipId, actor_id: adminA.id });
    expect(audit.chain.ok).toBe(true);
  });

  it('refuses to approve a salon the operator has not verified, re-showing the form', async () => {
    const salon = await seedSalonMembership(database, { tenantId: shopA, verification: 'pending' });
    const page = `/admin/ayame-color/memberships/${salon.membershipId}`;
    const res = await postAs(adminA, page, `${page}/approve`, terms(ranksA.gold!));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('運営による確認が済んでいない');
    expect((await membershipStatus(shopA, salon.membershipId)).status).toBe('applied');
  });

  it('re-shows bad terms with the typed values and Japanese messages', async () => {
    const salon = await seedSalonMembership(database, { tenantId: shopA });
    const page = `/admin/ayame-color/memberships/${salon.membershipId}`;
    const res = await postAs(adminA, page, `${page}/approve`, { ...terms(ranksA.gold!), creditLimitYen: '-5', customerCode: 'コード!' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('与信限度額は0以上の整数');
    expect(res.body).toContain('value="-5"');
    expect((await membershipStatus(shopA, salon.membershipId)).status).toBe('applied');
  });

  it('rejects with a reason emailed to the owner; suspends and reinstates', async () => {
    const salon = await seedSalonMembership(database, { tenantId: shopA });
    const page = `/admin/ayame-color/memberships/${salon.membershipId}`;
    const empty = await postAs(adminA, page, `${page}/reject`, { reason: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('理由を入力してください');
    const res = await postAs(adminA, page, `${page}/reject`, { reason: '美容所登録の写しが読み取れませんでした。' });
    expect(res.statusCode).toBe(303);
    expect(await membershipStatus(shopA, salon.membershipId)).toMatchObject({ status: 'rejected', decision_reason: '美容所登録の写しが読み取れませんでした。' });
    const mail = (await queuedMails(database)).find((x) => x.to === salon.ownerEmail);
    expect(mail?.tenant_id).toBe(shopA);
    expect(mail?.text).toContain('美容所登録の写しが読み取れませんでした。');

    const member = await seedSalonMembership(database, { tenantId: shopA, status: 'approved' });
    const mp = `/admin/ayame-color/memberships/${member.membershipId}`;
    expect((await postAs(adminA, mp, `${mp}/suspend`, { reason: '支払い遅延' })).statusCode).toBe(303);
    expect((await membershipStatus(shopA, member.membershipId)).status).toBe('suspended');
    expect((await postAs(adminA, mp, `${mp}/reinstate`, {})).statusCode).toBe(303);
    expect((await membershipStatus(shopA, member.membershipId)).status).toBe('approved');
    expect((await postAs(adminA, mp, `${mp}/terms`, terms(ranksA.silver!))).statusCode).toBe(303);
    expect((await membershipStatus(shopA, member.membershipId)).rank_id).toBe(ranksA.silver);
    // A second decision on an already decided application is a conflict, not a silent overwrite.
    expect((await postAs(adminA, mp, `${mp}/reinstate`, {})).statusCode).toBe(409);
  });

  it('staff of shop B cannot act on shop A’s applicant through either URL', async () => {
    const salon = await seedSalonMembership(database, { tenantId: shopA });
    const before = await membershipStatus(shopA, salon.membershipId);
    const bPage = '/admin/kiriha-tools/applications';
    const viaA = await postAs(adminB, bPage, `/admin/ayame-color/memberships/${salon.membershipId}/approve`, terms(ranksA.gold!));
    const viaB = await postAs(adminB, bPage, `/admin/kiriha-tools/memberships/${salon.membershipId}/reject`, { reason: 'x' });
    expect(viaA.statusCode).toBe(403);
    expect(viaB.statusCode).toBe(404);
    expect(await membershipStatus(shopA, salon.membershipId)).toEqual(before);
    // B's scope cannot read A's memberships or the salon's profile at all.
    const seen = await withTenant(database, shopB, async (tx) => ({
      memberships: await tx.selectFrom('memberships').select('id').where('id', '=', salon.membershipId).execute(),
      accounts: await tx.selectFrom('salon_accounts').select('id').where('id', '=', salon.accountId).execute(),
    }));
    expect(seen).toEqual({ memberships: [], accounts: [] });
  });

  it('an order clerk cannot open or act on applications', async () => {
    const salon = await seedSalonMembership(database, { tenantId: shopA });
    expect((await app.inject({ url: '/admin/ayame-color/applications', headers: { cookie: clerkA.cookie } })).statusCode).toBe(403);
    const res = await postAs(clerkA, '/admin/ayame-color', `/admin/ayame-color/memberships/${salon.membershipId}/approve`, terms(ranksA.gold!));
    expect(res.statusCode).toBe(403);
    expect((await membershipStatus(shopA, salon.membershipId)).status).toBe('applied');
    const dash = await app.inject({ url: '/admin/ayame-color', headers: { cookie: clerkA.cookie } });
    expect(dash.statusCode).toBe(200);
    expect(dash.body).not.toContain('会員申請');
  });
});

describe('member export', () => {
  it('needs a recent step-up and is audited', async () => {
    await seedSalonMembership(database, { tenantId: shopA, status: 'approved', company: '株式会社書き出しサロン' });
    const stale = await signedIn({ id: adminA.id, tenantId: shopA }, { stepUp: false });
    const refused = await app.inject({ url: '/admin/ayame-color/members/export.csv', headers: { cookie: stale.cookie } });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toMatch(/^\/admin\/step-up\?next=/);
    const res = await app.inject({ url: '/admin/ayame-color/members/export.csv', headers: { cookie: adminA.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body).toContain('株式会社書き出しサロン');
    const audited = await withTenant(database, shopA, (tx) => tx.selectFrom('audit_log').select('detail').where('action', '=', 'membership.export').execute());
    expect(audited.length).toBe(1);
  });
});

describe('price ranks', () => {
  it('creates and edits ranks, refusing rates outside 0 < rate ≤ 1', async () => {
    const bad = await postAs(adminA, '/admin/ayame-color/ranks', '/admin/ayame-color/ranks', { code: 'vip', name: 'VIP', rate: '1.2', sortOrder: '40' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('掛け率は0より大きく1以下');
    const zero = await postAs(adminA, '/admin/ayame-color/ranks', '/admin/ayame-color/ranks', { code: 'vip', name: 'VIP', rate: '0', sortOrder: '40' });
    expect(zero.statusCode).toBe(400);
    const ok = await postAs(adminA, '/admin/ayame-color/ranks', '/admin/ayame-color/ranks', { code: 'vip', name: 'VIP', rate: '0.65', sortOrder: '40' });
    expect(ok.statusCode).toBe(303);
    const dup = await postAs(adminA, '/admin/ayame-color/ranks', '/admin/ayame-color/ranks', { code: 'vip', name: 'VIP2', rate: '0.6', sortOrder: '50' });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('既に使われています');
    const vip = (await database.ownerExec(`SELECT id, rate FROM shop_price_ranks WHERE tenant_id = $1 AND code = 'vip'`, [shopA])).rows[0]!;
    expect(Number(vip.rate)).toBe(0.65);
    const edit = await postAs(adminA, '/admin/ayame-color/ranks', `/admin/ayame-color/ranks/${vip.id}`, { code: 'vip', name: 'VIP会員', rate: '0.7', sortOrder: '40' });
    expect(edit.statusCode).toBe(303);
    expect((await database.ownerExec('SELECT name, rate FROM shop_price_ranks WHERE id = $1', [vip.id])).rows[0]).toMatchObject({ name: 'VIP会員' });
    // Shop B's admin cannot edit A's rank through B's URL: RLS hides it.
    const cross = await postAs(adminB, '/admin/kiriha-tools/ranks', `/admin/kiriha-tools/ranks/${vip.id}`, { code: 'vip', name: 'hack', rate: '0.1', sortOrder: '1' });
    expect(cross.statusCode).toBe(404);
    expect((await database.ownerExec('SELECT name FROM shop_price_ranks WHERE id = $1', [vip.id])).rows[0]!.name).toBe('VIP会員');
  });
});
