import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { addMember, addVariant, asMember, type CommerceShop, commerceShop, memberSession, type TestMember } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import { placeTestOrder } from '../../../domains/fulfilment/fulfilment-fixtures.testing.ts';
import { markDelivered, recordShipment } from '../../../domains/fulfilment/shipment.service.ts';
import { markBankTransferReceived } from '../../../domains/orders/bank-transfer.ts';
import { requestReturn } from '../../../domains/returns/return.service.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { postForm, staffCookie, withCsrf } from './staff-http.test-support.ts';

/**
 * Refunds on the staff order page over HTTP: approving a return opens the refund and issues the
 * 返還インボイス; a bank-transfer refund is recorded with the member's account (bad input → the
 * form again, nothing changed); a card refund the provider cannot take is shown with its error
 * and can be retried; other roles and other shops are refused.
 */

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let shop: CommerceShop;
let other: CommerceShop;
let variant: string;
const system = { type: 'system' as const };

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, platform } = await createTestApp(database));
  shop = await commerceShop(database, 'ayame-color');
  other = await commerceShop(database, 'kiriha-tools');
  variant = await addVariant(database, shop, { sku: 'HTTP-RF', listPriceYen: 3300, stock: 100 });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const inShop = <T,>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(database, shop.tenantId, fn);

/** A paid, delivered order with a return of one unit requested by the member. */
async function deliveredWithReturn(member: TestMember, method: 'bank_transfer' | 'card') {
  const placed = await placeTestOrder(database, shop, member, [{ variantId: variant, quantity: 3 }], { paymentMethod: 'bank_transfer' });
  const order = await inShop((tx) => tx.selectFrom('orders').selectAll().where('id', '=', placed.orderId).executeTakeFirstOrThrow());
  if (method === 'bank_transfer') {
    await inShop((tx) => markBankTransferReceived(tx, { tenantId: shop.tenantId, orderId: placed.orderId, amountYen: order.total_incl_tax, receivedOn: '2025-03-03', actor: system }));
  } else {
    // Paid by card as the payments domain records it; this shop has no provider account, so the refund will fail.
    await database.ownerExec(`UPDATE orders SET payment_method = 'card', payment_status = 'paid', status = 'confirmed' WHERE tenant_id = $1 AND id = $2`, [shop.tenantId, placed.orderId]);
    await database.ownerExec(
      `INSERT INTO payments (tenant_id, order_id, account_id, method, provider, provider_session_id, provider_payment_id, status, amount_yen, captured_yen) VALUES ($1, $2, $3, 'card', 'stripe', 'cs_http', $4, 'succeeded', $5, $5)`,
      [shop.tenantId, placed.orderId, member.accountId, `pi_http_${placed.orderNumber}`, order.total_incl_tax],
    );
  }
  const line = await inShop((tx) => tx.selectFrom('order_lines').select('line_no').where('order_id', '=', placed.orderId).executeTakeFirstOrThrow());
  await inShop((tx) => recordShipment(tx, { tenantId: shop.tenantId, orderId: placed.orderId, carrier: 'yamato', trackingNumbers: [], lines: [{ lineNo: line.line_no, quantity: 3 }], actor: system }));
  await inShop((tx) => markDelivered(tx, { tenantId: shop.tenantId, orderId: placed.orderId, actor: system }));
  const returnId = await asMember(database, shop, member, (tx) => requestReturn(tx, { tenantId: shop.tenantId, accountId: member.accountId, userId: member.userIds[0]! }, { orderId: placed.orderId, reason: '液漏れ', lines: [{ lineNo: line.line_no, quantity: 1 }] }));
  return { ...placed, returnId };
}

describe('refunds on the order page', () => {
  it('approval opens a 返金待ち refund and the 返還インボイス; the transfer is recorded once, bad input changes nothing', async () => {
    const member = await addMember(database, shop);
    const { orderId, returnId } = await deliveredWithReturn(member, 'bank_transfer');
    const clerk = await staffCookie(platform, shop.tenantId, 'order_clerk');
    const url = `/admin/${shop.slug}/orders/${orderId}`;
    let b = await withCsrf(app, clerk, url);
    const approved = await postForm(app, b, `${url}/returns/${returnId}/decide`, { decision: 'approve', note: '', restock: '1' });
    expect(approved.statusCode).toBe(303);
    const refund = await inShop((tx) => tx.selectFrom('refunds').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow());
    expect(refund).toMatchObject({ method: 'bank_transfer', status: 'pending' });
    const docs = await inShop((tx) => tx.selectFrom('documents').select('kind').where('order_id', '=', orderId).execute());
    expect(docs.map((d) => d.kind)).toContain('return_invoice');

    const page = await app.inject({ method: 'GET', url, headers: { cookie: clerk.cookie } });
    expect(page.body).toContain('返金待ち');
    expect(page.body).toContain('返金済みにする');
    expect(page.body).not.toContain('返還インボイスが未発行です');

    b = await withCsrf(app, clerk, url);
    const s = refund.id.slice(0, 8);
    const bad = await postForm(app, b, `${url}/refunds/${refund.id}/complete`, { [`bankName_${s}`]: '三井住友銀行', [`branchName_${s}`]: '青山支店', [`accountType_${s}`]: '普通', [`accountNumber_${s}`]: '12-34', [`accountHolder_${s}`]: 'ﾃｽﾄ', [`paidOn_${s}`]: '2025-04-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('口座番号は7桁の数字で入力してください。');
    expect(bad.body).toContain('value="三井住友銀行"');
    expect((await inShop((tx) => tx.selectFrom('refunds').select('status').where('id', '=', refund.id).executeTakeFirstOrThrow())).status).toBe('pending');

    const good = await postForm(app, b, `${url}/refunds/${refund.id}/complete`, { [`bankName_${s}`]: '三井住友銀行', [`branchName_${s}`]: '青山支店', [`accountType_${s}`]: '普通', [`accountNumber_${s}`]: '7654321', [`accountHolder_${s}`]: 'ﾃｽﾄ ﾋﾞﾖｳ', [`paidOn_${s}`]: '2025-04-01' });
    expect(good.statusCode).toBe(303);
    const after = await app.inject({ method: 'GET', url, headers: { cookie: clerk.cookie } });
    expect(after.body).toContain('返金済み');
    expect(after.body).toContain('***321');
    const again = await postForm(app, b, `${url}/refunds/${refund.id}/complete`, { [`bankName_${s}`]: 'x', [`branchName_${s}`]: 'y', [`accountType_${s}`]: '普通', [`accountNumber_${s}`]: '7654321', [`accountHolder_${s}`]: 'ﾃｽﾄ', [`paidOn_${s}`]: '2025-04-01' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('この返金は記録済みです。');
    const memberPage = await app.inject({ method: 'GET', url: `/s/${shop.slug}/account/orders/${orderId}`, headers: { cookie: `oroshi_session=${await memberSession(database, shop, member)}` } });
    expect(memberPage.statusCode).toBe(200);
    expect(memberPage.body).toMatch(/返金 [\d,]+円（銀行振込で返金）：返金済み/);
    expect(memberPage.body).toContain('返還インボイス');
    const audit = await inShop((tx) => tx.selectFrom('audit_log').select(['action', 'actor_id']).where('action', 'in', ['order.refund_opened', 'order.refund_completed']).execute());
    expect(audit.filter((a) => a.actor_id === clerk.userId).map((a) => a.action).sort()).toEqual(['order.refund_completed', 'order.refund_opened']);
  });

  it('a card refund the provider cannot take is shown with its message and stays retryable', async () => {
    const member = await addMember(database, shop);
    const { orderId, returnId } = await deliveredWithReturn(member, 'card');
    const admin = await staffCookie(platform, shop.tenantId, 'shop_admin');
    const url = `/admin/${shop.slug}/orders/${orderId}`;
    const b = await withCsrf(app, admin, url);
    const approved = await postForm(app, b, `${url}/returns/${returnId}/decide`, { decision: 'approve', note: '' });
    expect(approved.statusCode).toBe(200);
    expect(approved.body).toContain('カードへの返金ができませんでした');
    const refund = await inShop((tx) => tx.selectFrom('refunds').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow());
    expect(refund).toMatchObject({ method: 'card', status: 'failed', attempts: 1 });
    const retry = await postForm(app, b, `${url}/refunds/${refund.id}/card`, {});
    expect(retry.statusCode).toBe(200);
    expect(retry.body).toContain('カードへの返金を再試行');
    expect((await inShop((tx) => tx.selectFrom('refunds').select('attempts').where('id', '=', refund.id).executeTakeFirstOrThrow())).attempts).toBe(2);
    // The return itself stays approved: the decision committed before the provider was asked.
    expect((await inShop((tx) => tx.selectFrom('returns').select('status').where('id', '=', returnId).executeTakeFirstOrThrow())).status).toBe('approved');
  });

  it('a shop cancelling a paid order owes everything paid: the refund is opened with the cancellation', async () => {
    const member = await addMember(database, shop);
    const placed = await placeTestOrder(database, shop, member, [{ variantId: variant, quantity: 2 }], { paymentMethod: 'bank_transfer' });
    const order = await inShop((tx) => tx.selectFrom('orders').selectAll().where('id', '=', placed.orderId).executeTakeFirstOrThrow());
    await inShop((tx) => markBankTransferReceived(tx, { tenantId: shop.tenantId, orderId: placed.orderId, amountYen: order.total_incl_tax, receivedOn: '2025-03-03', actor: system }));
    const clerk = await staffCookie(platform, shop.tenantId, 'order_clerk');
    const url = `/admin/${shop.slug}/orders/${placed.orderId}`;
    const b = await withCsrf(app, clerk, url);
    const cancelled = await postForm(app, b, `${url}/transition`, { to: 'cancelled', note: '欠品のため' });
    expect(cancelled.statusCode).toBe(303);
    const refunds = await inShop((tx) => tx.selectFrom('refunds').selectAll().where('order_id', '=', placed.orderId).execute());
    expect(refunds).toEqual([expect.objectContaining({ kind: 'cancellation', method: 'bank_transfer', status: 'pending', amount_yen: order.total_incl_tax, return_id: null })]);
  });

  it('refuses catalog editors and staff of another shop', async () => {
    const member = await addMember(database, shop);
    const { orderId, returnId } = await deliveredWithReturn(member, 'bank_transfer');
    const url = `/admin/${shop.slug}/orders/${orderId}`;
    const editor = await staffCookie(platform, shop.tenantId, 'catalog_editor');
    const page = await app.inject({ method: 'GET', url, headers: { cookie: editor.cookie } });
    expect(page.statusCode).toBe(403);
    const foreign = await staffCookie(platform, other.tenantId, 'shop_admin');
    const fb = await withCsrf(app, foreign, `/admin/${other.slug}/orders`);
    const viaOther = await postForm(app, fb, `/admin/${other.slug}/orders/${orderId}/returns/${returnId}/decide`, { decision: 'approve', note: '' });
    expect(viaOther.statusCode).toBe(404);
    expect((await inShop((tx) => tx.selectFrom('returns').select('status').where('id', '=', returnId).executeTakeFirstOrThrow())).status).toBe('requested');
  });
});
