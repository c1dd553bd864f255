import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStaff } from '../../../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { createSession } from '../../../domains/auth/session.service.ts';
import { addMember, addVariant, type CommerceShop, commerceShop, memberSession, type TestMember } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import { placeTestOrder } from '../../../domains/fulfilment/fulfilment-fixtures.testing.ts';
import type { Config } from '../../../platform/config/config.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withIdentity, withTenant } from '../../../platform/db/tenant-scope.ts';
import { cookieName } from '../../../platform/http/cookies.ts';
import type { Platform } from '../../../platform/http/platform.ts';

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let config: Config;
let shopA: CommerceShop;
let shopB: CommerceShop;
let member: TestMember;
let other: TestMember;
let order: { orderId: string; orderNumber: string };
let otherOrder: { orderId: string; orderNumber: string };

interface Browser {
  cookies: string;
  token: string;
}

async function staffBrowser(shop: CommerceShop, role: 'shop_admin' | 'order_clerk' | 'catalog_editor'): Promise<string> {
  const staff = await createTestStaff(platform, { tenantId: shop.tenantId, role });
  const { token } = await withIdentity(database, { tenantId: shop.tenantId, principalId: staff.userId, audience: 'staff' }, (tx) =>
    createSession(tx, { audience: 'staff', userId: staff.userId, boundTenantId: shop.tenantId, mfaVerified: true }),
  );
  return `${cookieName(config, 'session')}=${token}`;
}

async function withCsrf(cookie: string, url: string): Promise<Browser> {
  const res = await app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  const csrf = csrfFrom(res);
  return { cookies: `${cookie}; ${csrf.cookie}`, token: csrf.token };
}

const post = (b: Browser, url: string, form: Record<string, string | string[]>) => {
  const params = new URLSearchParams({ _csrf: b.token });
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return app.inject({ method: 'POST', url, headers: { cookie: b.cookies, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, payload: params.toString() });
};

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, platform, config } = await createTestApp(database));
  shopA = await commerceShop(database, 'ayame-color');
  shopB = await commerceShop(database, 'kiriha-tools');
  const v = await addVariant(database, shopA, { sku: 'WEB-1', listPriceYen: 2000, stock: 100 });
  member = await addMember(database, shopA, { invoiceTerms: true, creditLimitYen: 1_000_000 });
  other = await addMember(database, shopA, { invoiceTerms: true, creditLimitYen: 1_000_000 });
  order = await placeTestOrder(database, shopA, member, [{ variantId: v, quantity: 2 }], { poNumber: 'PO-WEB-1' });
  otherOrder = await placeTestOrder(database, shopA, other, [{ variantId: v, quantity: 1 }], { poNumber: 'PO-OTHER' });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('shop order admin', () => {
  it('lists, filters and opens the shop’s orders for order clerks; catalog editors are refused', async () => {
    const clerk = await staffBrowser(shopA, 'order_clerk');
    const list = await app.inject({ method: 'GET', url: `/admin/${shopA.slug}/orders?po=PO-WEB`, headers: { cookie: clerk } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(order.orderNumber);
    expect(list.body).not.toContain(otherOrder.orderNumber);
    const detail = await app.inject({ method: 'GET', url: `/admin/${shopA.slug}/orders/${order.orderId}`, headers: { cookie: clerk } });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('PO-WEB-1');
    const editor = await staffBrowser(shopA, 'catalog_editor');
    const refused = await app.inject({ method: 'GET', url: `/admin/${shopA.slug}/orders`, headers: { cookie: editor } });
    expect(refused.statusCode).toBe(403);
  });

  it('staff of shop B can neither see nor act on shop A’s orders', async () => {
    const staffB = await staffBrowser(shopB, 'shop_admin');
    const viaA = await app.inject({ method: 'GET', url: `/admin/${shopA.slug}/orders/${order.orderId}`, headers: { cookie: staffB } });
    expect([302, 303, 403]).toContain(viaA.statusCode);
    expect(viaA.body).not.toContain(order.orderNumber);
    const viaB = await app.inject({ method: 'GET', url: `/admin/${shopB.slug}/orders/${order.orderId}`, headers: { cookie: staffB } });
    expect(viaB.statusCode).toBe(404);
    const b = await withCsrf(staffB, `/admin/${shopB.slug}/orders`);
    const act = await post(b, `/admin/${shopB.slug}/orders/${order.orderId}/transition`, { to: 'cancelled', note: 'x' });
    expect(act.statusCode).toBe(404);
    const status = await withTenant(database, shopA.tenantId, (tx) => tx.selectFrom('orders').select('status').where('id', '=', order.orderId).executeTakeFirstOrThrow());
    expect(status.status).toBe('confirmed');
  });

  it('refuses a tracking CSV with an unknown order over HTTP, lists the row, applies nothing; Yamato export without a contract shows the errors first', async () => {
    const admin = await staffBrowser(shopA, 'shop_admin');
    const b = await withCsrf(admin, `/admin/${shopA.slug}/orders/tracking-import`);
    const boundary = '----oroshi';
    const csv = `お客様管理番号,伝票番号\r\n${order.orderNumber},412345678901\r\nNOPE-1,512345678901\r\n`;
    const payload = [`--${boundary}`, 'Content-Disposition: form-data; name="_csrf"', '', b.token, `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="t.csv"', 'Content-Type: text/csv', '', csv, `--${boundary}--`, ''].join('\r\n');
    const res = await app.inject({ method: 'POST', url: `/admin/${shopA.slug}/orders/tracking-import`, headers: { cookie: b.cookies, 'content-type': `multipart/form-data; boundary=${boundary}`, 'sec-fetch-site': 'same-origin' }, payload });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('3行目');
    expect(res.body).toContain('NOPE-1');
    expect(await withTenant(database, shopA.tenantId, (tx) => tx.selectFrom('shipments').select('id').where('order_id', '=', order.orderId).execute())).toEqual([]);

    const list = await withCsrf(admin, `/admin/${shopA.slug}/orders`);
    const exported = await post(list, `/admin/${shopA.slug}/orders/bulk`, { action: 'yamato', ids: [order.orderId] });
    expect(exported.statusCode).toBe(422);
    expect(exported.body).toContain(order.orderNumber);
    expect(exported.body).toContain('ご請求先顧客コード');
    const sagawa = await post(list, `/admin/${shopA.slug}/orders/bulk`, { action: 'sagawa', ids: [order.orderId] });
    expect(sagawa.statusCode).toBe(200);
    expect(sagawa.headers['content-type']).toContain('Shift_JIS');
    expect(sagawa.rawPayload.includes(Buffer.from('\r\n'))).toBe(true);
  });

  it('ships part of an order over HTTP and re-shows the form with the error for a bad quantity', async () => {
    const admin = await staffBrowser(shopA, 'order_clerk');
    const b = await withCsrf(admin, `/admin/${shopA.slug}/orders/${otherOrder.orderId}`);
    const bad = await post(b, `/admin/${shopA.slug}/orders/${otherOrder.orderId}/shipments`, { carrier: 'yamato', tracking: '', qty_1: '9' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('残り1');
    const ok = await post(b, `/admin/${shopA.slug}/orders/${otherOrder.orderId}/shipments`, { carrier: 'yamato', tracking: '712345678901', qty_1: '1' });
    expect(ok.statusCode).toBe(303);
    const slip = await app.inject({ method: 'GET', url: `${String(ok.headers.location).split('?')[0]}`, headers: { cookie: admin } });
    expect(slip.body).toContain('712345678901');
  });
});

describe('member order history', () => {
  async function memberBrowser(m: TestMember): Promise<string> {
    return `${cookieName(config, 'session')}=${await memberSession(database, shopA, m)}`;
  }

  it('shows a member only their own orders and documents, and reorders in one click', async () => {
    const cookie = await memberBrowser(member);
    const list = await app.inject({ method: 'GET', url: `/s/${shopA.slug}/account/orders`, headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(order.orderNumber);
    expect(list.body).not.toContain(otherOrder.orderNumber);
    const foreign = await app.inject({ method: 'GET', url: `/s/${shopA.slug}/account/orders/${otherOrder.orderId}`, headers: { cookie } });
    expect(foreign.statusCode).toBe(404);
    const foreignInvoice = await app.inject({ method: 'GET', url: `/s/${shopA.slug}/account/orders/${otherOrder.orderId}/invoice.pdf`, headers: { cookie } });
    expect(foreignInvoice.statusCode).toBe(404);
    const invoice = await app.inject({ method: 'GET', url: `/s/${shopA.slug}/account/orders/${order.orderId}/invoice.pdf`, headers: { cookie } });
    expect(invoice.statusCode).toBe(200);
    expect(invoice.headers['content-type']).toBe('application/pdf');
    const b = await withCsrf(cookie, `/s/${shopA.slug}/account/orders/${order.orderId}`);
    const reorder = await post(b, `/s/${shopA.slug}/account/orders/${order.orderId}/reorder`, {});
    expect(reorder.statusCode).toBe(303);
    expect(String(reorder.headers.location)).toContain('/cart');
    const cart = await withTenant(database, shopA.tenantId, (tx) => tx.selectFrom('cart_items').select('quantity').where('account_id', '=', member.accountId).execute());
    expect(cart.map((c) => c.quantity)).toEqual([2]);
    const cancel = await post(b, `/s/${shopA.slug}/account/orders/${order.orderId}/cancel`, { reason: '' });
    expect(cancel.statusCode).toBe(400);
    expect(cancel.body).toContain('理由を入力してください');
    const asked = await post(b, `/s/${shopA.slug}/account/orders/${order.orderId}/cancel`, { reason: '重複して注文しました' });
    expect(asked.statusCode).toBe(303);
  });

  it('sends an anonymous visitor to sign in', async () => {
    const res = await app.inject({ method: 'GET', url: `/s/${shopA.slug}/account/orders` });
    expect(res.statusCode).toBe(303);
  });
});
