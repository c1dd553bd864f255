import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { addMember, addVariant, type CommerceShop, commerceShop, type TestMember } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import { invoiceOutstanding } from '../../../domains/checkout/credit.ts';
import { placeTestOrder } from '../../../domains/fulfilment/fulfilment-fixtures.testing.ts';
import { runMonthlyStatements } from '../../../domains/receivables/statement.job.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { pdfText } from '../../../platform/pdf/pdf-inspect.testing.ts';
import { postForm, staffCookie, withCsrf } from './staff-http.test-support.ts';

/**
 * 月次請求書 for staff over HTTP: the month's statements with their PDF, marked sent (the closing
 * job's mail counts as sent) and paid (a receipt on the 掛け払い ledger); bad input → the list
 * again with the message, nothing changed; catalog editors and other shops refused.
 */

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let shop: CommerceShop;
let other: CommerceShop;
let mailed: TestMember;
let silent: TestMember;
const jst = (local: string) => new Date(`${local}+09:00`);

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, platform } = await createTestApp(database));
  shop = await commerceShop(database, 'ayame-color');
  other = await commerceShop(database, 'kiriha-tools');
  const variant = await addVariant(database, shop, { sku: 'ST-HTTP', listPriceYen: 4400, stock: 100 });
  mailed = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 1_000_000 });
  silent = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 1_000_000 });
  // The second member's only user is a buyer, not an owner: nobody to mail, so staff send it by post.
  await database.ownerExec(`UPDATE salon_users SET role = 'buyer' WHERE account_id = $1`, [silent.accountId]);
  await placeTestOrder(database, shop, mailed, [{ variantId: variant, quantity: 3 }], { now: jst('2025-02-10T10:00:00') });
  await placeTestOrder(database, shop, silent, [{ variantId: variant, quantity: 1 }], { now: jst('2025-02-12T10:00:00') });
  await runMonthlyStatements(database, { dataDir: platform.config.dataDir, now: jst('2025-02-21T00:30:00') });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const statementOf = (m: TestMember) => withTenant(database, shop.tenantId, (tx) => tx.selectFrom('statements').selectAll().where('account_id', '=', m.accountId).executeTakeFirstOrThrow());

describe('月次請求書 (staff)', () => {
  it('lists the month’s statements with their PDF; the mailed one is already sent', async () => {
    const clerk = await staffCookie(platform, shop.tenantId, 'order_clerk');
    const list = await app.inject({ method: 'GET', url: `/admin/${shop.slug}/statements?month=2025-02`, headers: { cookie: clerk.cookie } });
    expect(list.statusCode).toBe(200);
    const st = await statementOf(mailed);
    expect(st.sent_via).toBe('mail');
    expect((await statementOf(silent)).sent_at).toBeNull();
    expect(list.body).toContain(`ST-20250220-${mailed.accountId.slice(0, 8).toUpperCase()}`);
    expect(list.body).toContain('送付済み（メール');
    expect(list.body).toContain('2025-03-31'); // 20日締め翌月末払い
    const empty = await app.inject({ method: 'GET', url: `/admin/${shop.slug}/statements?month=2024-12`, headers: { cookie: clerk.cookie } });
    expect(empty.body).toContain('該当する請求書はありません');
    const pdf = await app.inject({ method: 'GET', url: `/admin/${shop.slug}/statements/${st.id}.pdf`, headers: { cookie: clerk.cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(pdf.rawPayload)).toContain('請求書');
  });

  it('marks a statement sent by post once; a bad method is refused', async () => {
    const clerk = await staffCookie(platform, shop.tenantId, 'order_clerk');
    const b = await withCsrf(app, clerk, `/admin/${shop.slug}/statements`);
    const st = await statementOf(silent);
    const bad = await postForm(app, b, `/admin/${shop.slug}/statements/${st.id}/sent`, { via: 'pigeon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('送付方法を選んでください。');
    expect((await statementOf(silent)).sent_at).toBeNull();
    const ok = await postForm(app, b, `/admin/${shop.slug}/statements/${st.id}/sent`, { via: 'post' });
    expect(ok.statusCode).toBe(303);
    expect(await statementOf(silent)).toMatchObject({ sent_via: 'post', sent_by: clerk.userId });
    const again = await postForm(app, b, `/admin/${shop.slug}/statements/${st.id}/sent`, { via: 'fax' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('送付済みです');
  });

  it('marks a statement paid by recording the receipt: the ledger drops by it; bad amounts change nothing', async () => {
    const admin = await staffCookie(platform, shop.tenantId, 'shop_admin');
    const b = await withCsrf(app, admin, `/admin/${shop.slug}/statements`);
    const st = await statementOf(mailed);
    const owed = () => withTenant(database, shop.tenantId, (tx) => invoiceOutstanding(tx, { tenantId: shop.tenantId, accountId: mailed.accountId }));
    const before = await owed();
    expect(before).toBe(st.amount_due);
    const bad = await postForm(app, b, `/admin/${shop.slug}/statements/${st.id}/paid`, { amountYen: '-5', receivedOn: '2025-03-31' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('入金額は1円以上の整数で入力してください。');
    const future = await postForm(app, b, `/admin/${shop.slug}/statements/${st.id}/paid`, { amountYen: String(st.amount_due), receivedOn: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('未来の日付は入力できません。');
    expect((await statementOf(mailed)).paid_at).toBeNull();
    expect(await owed()).toBe(before);
    const ok = await postForm(app, b, `/admin/${shop.slug}/statements/${st.id}/paid`, { amountYen: `${st.amount_due.toLocaleString('ja-JP')}円`, receivedOn: '2025-03-28' });
    expect(ok.statusCode).toBe(303);
    const paid = await statementOf(mailed);
    expect(paid.paid_at).not.toBeNull();
    expect(paid.paid_receipt_id).not.toBeNull();
    expect(await owed()).toBe(0);
    const audit = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('audit_log').select('action').where('actor_id', '=', admin.userId).execute());
    expect(audit.map((a) => a.action).sort()).toEqual(['receivables.receipt_recorded', 'receivables.statement_paid']);
    const list = await app.inject({ method: 'GET', url: `/admin/${shop.slug}/statements?state=paid`, headers: { cookie: admin.cookie } });
    expect(list.body).toContain('入金済み（');
  });

  it('is refused to catalog editors and to staff of another shop', async () => {
    const editor = await staffCookie(platform, shop.tenantId, 'catalog_editor');
    expect((await app.inject({ method: 'GET', url: `/admin/${shop.slug}/statements`, headers: { cookie: editor.cookie } })).statusCode).toBe(403);
    const st = await statementOf(silent);
    const foreign = await staffCookie(platform, other.tenantId, 'shop_admin');
    expect((await app.inject({ method: 'GET', url: `/admin/${other.slug}/statements/${st.id}.pdf`, headers: { cookie: foreign.cookie } })).statusCode).toBe(404);
    const fb = await withCsrf(app, foreign, `/admin/${other.slug}/statements`);
    const paid = await postForm(app, fb, `/admin/${other.slug}/statements/${st.id}/paid`, { amountYen: '1', receivedOn: '2025-03-01' });
    expect(paid.statusCode).toBe(404);
    expect((await statementOf(silent)).paid_at).toBeNull();
  });
});
