import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform } from '../../platform/db/tenant-scope.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { createSession } from '../auth/session.service.ts';
import { queuedMails, seedStaffUser, tenantIdOf } from '../staff/console.test-support.ts';
import { forceCredentialReset } from './credential-reset.service.ts';
import { getIncident, openIncident, setExposureWindow } from './incident.service.ts';
import { seedCardPayment, seedMember, seedPageView } from './incident.test-support.ts';
import { SYSTEM_ACTOR } from './incident-actor.ts';
import { scopeCsv } from './incident-scope.csv.ts';
import { computeIncidentScope, type ShopScope } from './incident-scope.query.ts';
import { parseJst } from './jst.ts';

const jst = (s: string) => parseJst(s)!;
const START = '2025-04-13T00:00:00';
const END = '2025-04-22T12:00:00';
const second = (d: Date, n: number) => new Date(d.getTime() + n * 1000);

let database: Database;
let shopA: string;
let shopB: string;
let incidentId: string;
let scopeA: ShopScope;
const m: Record<string, Awaited<ReturnType<typeof seedMember>>> = {};
let staffA: { id: string; email: string };
let staffB: { id: string; email: string };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  shopA = await tenantIdOf(database, 'ayame-color');
  const others = (await database.ownerExec(`SELECT id FROM tenants WHERE id <> $1 ORDER BY slug LIMIT 1`, [shopA])).rows;
  shopB = others[0]!.id as string;
  for (const [key, company] of [
    ['atStart', '株式会社開始サロン'],
    ['atEnd', '株式会社終了サロン'],
    ['afterEnd', '株式会社終了後サロン'],
    ['abandoned', '株式会社中断サロン'],
    ['refunded', '株式会社返金サロン'],
    ['viewer', '株式会社閲覧サロン'],
    ['noAddress', '株式会社住所なしサロン'],
    ['transfer', '株式会社振込サロン'],
    ['signIn', '株式会社ログインサロン'],
    ['anonymous', '株式会社匿名ログインサロン'],
  ] as const) {
    m[key] = await seedMember(database, shopA, { company, contact: `${company.slice(4, 6)} 花子`, address: key !== 'noAddress' });
  }
  m.synthetic = await seedMember(database, shopA, { company: '監視用アカウント', contact: '監視 太郎', synthetic: true });
  m.otherShop = await seedMember(database, shopB, { company: '株式会社他店サロン', contact: '他店 花子' });

  const start = jst(START);
  const end = jst(END);
  await seedCardPayment(database, shopA, m.atStart!, { at: start, status: 'succeeded', brand: 'visa', last4: '1111', providerPaymentId: 'pi_start' });
  await seedCardPayment(database, shopA, m.atStart!, { at: second(start, -1), status: 'succeeded', last4: '0000', providerPaymentId: 'pi_before' });
  await seedCardPayment(database, shopA, m.atEnd!, { at: end, status: 'failed', brand: 'mastercard', last4: '2222', providerPaymentId: 'pi_end' });
  await seedCardPayment(database, shopA, m.afterEnd!, { at: second(end, 1), status: 'succeeded', last4: '3333' });
  await seedCardPayment(database, shopA, m.abandoned!, { at: jst('2025-04-15T09:00:00'), status: 'abandoned', last4: '4444', providerPaymentId: 'pi_abandoned' });
  await seedCardPayment(database, shopA, m.refunded!, { at: jst('2025-04-16T09:00:00'), status: 'refunded', refundedYen: 11000, last4: '5555', providerPaymentId: 'pi_refunded' });
  await seedCardPayment(database, shopA, m.noAddress!, { at: jst('2025-04-17T09:00:00'), status: 'succeeded', last4: '6666' });
  await seedCardPayment(database, shopA, m.transfer!, { at: jst('2025-04-17T10:00:00'), status: 'pending', method: 'bank_transfer' });
  await seedCardPayment(database, shopA, m.synthetic!, { at: jst('2025-04-18T09:00:00'), status: 'succeeded', synthetic: true, last4: '9999' });
  await seedCardPayment(database, shopA, m.refunded!, { at: jst('2025-04-18T10:00:00'), status: 'succeeded', synthetic: true, last4: '9998' });
  await seedCardPayment(database, shopB, m.otherShop!, { at: jst('2025-04-18T09:00:00'), status: 'succeeded', last4: '7777' });
  // Page views: checkout without paying; the afterEnd member viewed checkout only after the window.
  await seedPageView(database, { tenantId: shopA, page: 'checkout-confirm', at: jst('2025-04-19T09:00:00'), viewer: 'salon', userId: m.viewer!.userId, accountId: m.viewer!.accountId });
  await seedPageView(database, { tenantId: shopA, page: 'payment-step', at: jst('2025-04-19T09:00:05'), viewer: 'salon', userId: m.viewer!.userId, accountId: m.viewer!.accountId });
  await seedPageView(database, { tenantId: shopA, page: 'checkout', at: second(end, 1), viewer: 'salon', userId: m.afterEnd!.userId, accountId: m.afterEnd!.accountId });
  await seedPageView(database, { tenantId: shopA, page: 'checkout', at: jst('2025-04-19T10:00:00'), viewer: 'salon', userId: m.synthetic!.userId, accountId: m.synthetic!.accountId });
  await seedPageView(database, { tenantId: shopA, page: 'shop-home', at: jst('2025-04-19T10:00:00'), viewer: 'salon', userId: m.transfer!.userId, accountId: m.transfer!.accountId });
  await seedPageView(database, { tenantId: shopB, page: 'checkout', at: jst('2025-04-19T10:00:00'), viewer: 'salon', userId: m.otherShop!.userId, accountId: m.otherShop!.accountId });
  // Credentials: platform sign-in pages.
  staffA = await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin', name: 'A店 管理者' });
  staffB = await seedStaffUser(database, { tenantId: shopB, role: 'shop_admin', name: 'B店 管理者' });
  await seedPageView(database, { tenantId: null, page: 'account-sign-in', at: jst('2025-04-20T08:00:00'), viewer: 'salon', userId: m.signIn!.userId, accountId: m.signIn!.accountId });
  await seedPageView(database, { tenantId: null, page: 'account-sign-in', at: jst('2025-04-20T08:00:00'), viewer: 'salon', userId: m.otherShop!.userId, accountId: m.otherShop!.accountId });
  await seedPageView(database, { tenantId: null, page: 'staff-sign-in', at: jst('2025-04-20T08:10:00'), viewer: 'staff', userId: staffA.id, staffTenantId: shopA });
  await seedPageView(database, { tenantId: null, page: 'staff-sign-in', at: jst('2025-04-20T08:10:00'), viewer: 'staff', userId: staffB.id, staffTenantId: shopB });
  const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  await seedPageView(database, { tenantId: null, page: 'account-password-reset', at: jst('2025-04-21T08:00:00'), viewer: 'anonymous', browserKey: key });
  await seedPageView(database, { tenantId: null, page: 'account-sign-in-totp', at: jst('2025-04-21T08:01:00'), viewer: 'salon', userId: m.anonymous!.userId, accountId: m.anonymous!.accountId, browserKey: key });

  incidentId = await openIncident(database, SYSTEM_ACTOR, { title: 'テスト漏えい', source: 'customer_inquiry', awareAt: jst('2025-04-20T10:00:00'), tenantIds: [shopA, shopB] });
  await setExposureWindow(database, SYSTEM_ACTOR, { incidentId, tenantId: shopA, start: start, end: end, reason: 'フォレンジック結果', platformPagesExposed: true });
  const view = await getIncident(database, SYSTEM_ACTOR, incidentId);
  scopeA = (await computeIncidentScope(database, SYSTEM_ACTOR, view, [shopA])).get(shopA)!;
});
afterAll(() => database?.close());

const companies = (list: { companyName: string }[]) => list.map((c) => c.companyName).sort();

describe('incident scope', () => {
  it('takes card attempts of any outcome inside the window, inclusive to the second in JST', () => {
    expect(companies(scopeA.cardPayers)).toEqual(['株式会社中断サロン', '株式会社住所なしサロン', '株式会社終了サロン', '株式会社返金サロン', '株式会社開始サロン'].sort());
    const start = scopeA.cardPayers.find((p) => p.companyName === '株式会社開始サロン')!;
    expect(start.attempts.map((a) => a.providerPaymentId)).toEqual(['pi_start']);
    expect(start.attempts[0]).toMatchObject({ cardBrand: 'visa', cardLast4: '1111', status: 'succeeded' });
    expect(scopeA.cardPayers.find((p) => p.companyName === '株式会社終了サロン')!.attempts[0]).toMatchObject({ status: 'failed', providerPaymentId: 'pi_end' });
    expect(scopeA.cardPayers.find((p) => p.companyName === '株式会社中断サロン')!.attempts[0]!.status).toBe('abandoned');
    const refunded = scopeA.cardPayers.find((p) => p.companyName === '株式会社返金サロン')!;
    // The synthetic monitor payment of the same member is not counted.
    expect(refunded.attempts.map((a) => [a.status, a.refundedYen, a.cardLast4])).toEqual([['refunded', 11000, '5555']]);
  });

  it('lists members who only loaded a checkout or payment page, not members who paid', () => {
    expect(companies(scopeA.pageViewOnly)).toEqual(['株式会社閲覧サロン']);
    expect(scopeA.pageViewOnly[0]!.pages.sort()).toEqual(['checkout-confirm', 'payment-step']);
  });

  it('excludes synthetic monitor activity, other shops, non-card payments and unprotected pages', () => {
    const all = [...scopeA.cardPayers, ...scopeA.pageViewOnly, ...scopeA.credentialExposed].map((c) => c.companyName);
    for (const name of ['監視用アカウント', '株式会社他店サロン', '株式会社振込サロン', '株式会社終了後サロン']) expect(all).not.toContain(name);
    // By the card's last four (a whole-scope text search also matched random UUIDs containing 9999).
    const lastFours = scopeA.cardPayers.flatMap((p) => p.attempts.map((a) => a.cardLast4));
    expect(lastFours).not.toContain('9999');
    expect(lastFours).not.toContain('7777');
  });

  it('lists members and the shop staff who loaded an exposed sign-in or password page', () => {
    const names = scopeA.credentialExposed.map((c) => (c.kind === 'staff' ? `staff:${c.email}` : c.companyName)).sort();
    expect(names).toEqual(['株式会社ログインサロン', '株式会社匿名ログインサロン', `staff:${staffA.email}`].sort());
    expect(scopeA.credentialExposed.find((c) => c.companyName === '株式会社匿名ログインサロン')!.pages.sort()).toEqual(['account-password-reset', 'account-sign-in-totp']);
  });

  it('keeps a member without a postal address, flagged for an email notice', () => {
    const noAddress = scopeA.cardPayers.find((p) => p.companyName === '株式会社住所なしサロン')!;
    expect(noAddress.postalMissing).toBe(true);
    expect(noAddress.email).toBe(m.noAddress!.email);
    expect(scopeA.counts).toMatchObject({ cardPayers: 5, cardAttempts: 5, pageViewOnly: 1, members: 6, credentialExposed: 3, postalMissing: 1 });
  });

  it('exports CSV with one row per attempt and neutralised formulas', () => {
    const csv = scopeCsv('あやめカラー', scopeA);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 5 + 1 + 3);
    expect(csv).toContain('"pi_refunded"');
    expect(csv).toContain('"2025年4月13日 00:00:00 (JST)"');
  });

  it('audits the cross-shop scope run', async () => {
    const audit = await withPlatform(database, (tx) => tx.selectFrom('audit_log').select(['action', 'reason']).where('action', '=', 'operator.across_tenants').execute());
    expect(audit.some((a) => a.reason.includes('影響範囲'))).toBe(true);
    expect((await withPlatform(database, verifyAuditChain)).ok).toBe(true);
  });

  it('forces a password reset and revokes sessions for the credential set in one action', async () => {
    await database.ownerExec(`INSERT INTO user_credentials (user_id, user_kind, password_hash) VALUES ($1, 'salon', 'x'), ($2, 'staff', 'y')`, [m.signIn!.userId, staffA.id]);
    const session = await withPlatform(database, (tx) => createSession(tx, { audience: 'salon', userId: m.signIn!.userId, accountId: m.signIn!.accountId }));
    const result = await forceCredentialReset(database, SYSTEM_ACTOR, { id: incidentId, number: 'INC-2025-001' }, scopeA, (kind, token) => `https://example.test/${kind}/reset?token=${token}`);
    expect(result.users).toBe(3);
    expect(result.sessionsRevoked).toBeGreaterThanOrEqual(1);
    const revoked = (await database.ownerExec('SELECT revoked_at FROM sessions WHERE id = $1', [session.session.id])).rows[0]!;
    expect(revoked.revoked_at).not.toBeNull();
    const hashes = (await database.ownerExec('SELECT password_hash FROM user_credentials WHERE user_id IN ($1, $2)', [m.signIn!.userId, staffA.id])).rows;
    expect(hashes.map((h) => h.password_hash)).toEqual(['incident-reset:INC-2025-001', 'incident-reset:INC-2025-001']);
    const mails = await queuedMails(database);
    expect(mails.filter((x) => [m.signIn!.email, staffA.email, m.anonymous!.email].includes(x.to))).toHaveLength(3);
  });
});

describe('exposure window input', () => {
  it('refuses a window that ends before it starts, lies in the future, or a shop not on the incident', async () => {
    const base = { incidentId, tenantId: shopA, reason: '修正' };
    await expect(setExposureWindow(database, SYSTEM_ACTOR, { ...base, start: jst('2025-04-20T00:00:00'), end: jst('2025-04-19T00:00:00') })).rejects.toMatchObject({
      fieldErrors: { end: '終了日時は開始日時より後にしてください。' },
    });
    await expect(setExposureWindow(database, SYSTEM_ACTOR, { ...base, start: jst('2025-04-20T00:00:00'), end: new Date(Date.now() + 3600_000) })).rejects.toMatchObject({
      fieldErrors: { end: '終了日時に未来の日時は指定できません。' },
    });
    const third = (await database.ownerExec(`SELECT id FROM tenants WHERE id NOT IN ($1, $2) LIMIT 1`, [shopA, shopB])).rows[0]!.id as string;
    await expect(setExposureWindow(database, SYSTEM_ACTOR, { ...base, tenantId: third, start: jst('2025-04-10T00:00:00'), end: jst('2025-04-11T00:00:00') })).rejects.toMatchObject({
      fieldErrors: { tenantId: 'このショップはインシデントの対象ではありません。' },
    });
    await expect(setExposureWindow(database, SYSTEM_ACTOR, { ...base, reason: ' ', start: jst('2025-04-10T00:00:00'), end: jst('2025-04-11T00:00:00') })).rejects.toMatchObject({
      fieldErrors: { reason: '変更の理由を入力してください。' },
    });
    const changes = await withPlatform(database, (tx) => tx.selectFrom('audit_log').select(['detail']).where('action', '=', 'incident.window_changed').execute());
    expect(changes).toHaveLength(1);
  });
});
