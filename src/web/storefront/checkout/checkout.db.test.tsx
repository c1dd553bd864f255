import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { addMember, addVariant, type CommerceShop, commerceShop, memberSession, type TestMember } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import type { Config } from '../../../platform/config/config.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { cookieName } from '../../../platform/http/cookies.ts';

let database: Database;
let app: FastifyInstance;
let config: Config;
let shop: CommerceShop;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, config } = await createTestApp(database));
  shop = await commerceShop(database);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

interface Browser {
  cookies: string;
  token: string;
}

async function signIn(member: TestMember): Promise<Browser> {
  const session = `${cookieName(config, 'session')}=${await memberSession(database, shop, member)}`;
  const res = await app.inject({ method: 'GET', url: `/s/${shop.slug}/quick-order`, headers: { cookie: session } });
  expect(res.statusCode).toBe(200);
  const csrf = csrfFrom(res);
  return { cookies: `${session}; ${csrf.cookie}`, token: csrf.token };
}

const post = (b: Browser, path: string, form: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: `/s/${shop.slug}${path}`,
    headers: { cookie: b.cookies, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    payload: new URLSearchParams({ _csrf: b.token, ...form }).toString(),
  });
const get = (b: Browser, path: string) => app.inject({ method: 'GET', url: `/s/${shop.slug}${path}`, headers: { cookie: b.cookies } });

const cartOf = (member: TestMember) => withTenant(database, shop.tenantId, (tx) => tx.selectFrom('cart_items').select(['variant_id', 'quantity']).where('account_id', '=', member.accountId).execute());
const ordersOf = (member: TestMember) => withTenant(database, shop.tenantId, (tx) => tx.selectFrom('orders').selectAll().where('account_id', '=', member.accountId).execute());

function hiddenFields(html: string, formAction: string): Record<string, string> {
  const start = html.indexOf(`action="${formAction}"`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return fields;
}

describe('cart over HTTP', () => {
  it('refuses quantities of 0, negative, huge and non-numeric with a message, and adds a valid one', async () => {
    const variant = await addVariant(database, shop, { sku: 'WEB-Q1', stock: 50, minQuantity: 2, orderMultiple: 2 });
    const member = await addMember(database, shop);
    const b = await signIn(member);
    for (const [quantity, message] of [
      ['0', '1以上'],
      ['-3', '1以上'],
      ['99999999', '100,000以下'],
      ['abc', '整数'],
      ['3', '2個単位'],
      ['', '数量を入力'],
    ] as const) {
      const res = await post(b, '/cart/items', { variantId: variant, quantity });
      expect(res.statusCode, quantity).toBe(422);
      expect(res.body).toContain(message);
    }
    expect(await cartOf(member)).toEqual([]);
    const ok = await post(b, '/cart/items', { variantId: variant, quantity: '４' });
    expect(ok.statusCode).toBe(303);
    expect(await cartOf(member)).toEqual([{ variant_id: variant, quantity: 4 }]);
    const page = await get(b, '/cart?done=added');
    expect(page.body).toContain('カートに追加しました');
    expect(page.body).toContain('WEB-Q1');
  });

  it('refuses a 理美容師限定 product to a member whose verification is not current', async () => {
    const variant = await addVariant(database, shop, { sku: 'WEB-PRO', restricted: true });
    const member = await addMember(database, shop, { verified: false });
    const b = await signIn(member);
    const res = await post(b, '/cart/items', { variantId: variant, quantity: '1' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('理美容師限定');
    expect(await cartOf(member)).toEqual([]);
  });

  it('tells the buyer when a price changed since the item was added', async () => {
    const variant = await addVariant(database, shop, { sku: 'WEB-PRICE', listPriceYen: 1000 });
    const member = await addMember(database, shop);
    const b = await signIn(member);
    await post(b, '/cart/items', { variantId: variant, quantity: '1' });
    await withTenant(database, shop.tenantId, (tx) => tx.updateTable('product_variants').set({ list_price_yen: 2000 }).where('id', '=', variant).execute());
    const page = await get(b, '/cart');
    expect(page.body).toContain('価格が変わった商品があります');
    expect(page.body).toContain('700円 → 1,400円');
  });
});

describe('quick order over HTTP', () => {
  it('previews pasted lines with per-line errors and adds the valid ones', async () => {
    const a = await addVariant(database, shop, { sku: 'QO-A', jan: '4900000000003', stock: 20 });
    await addVariant(database, shop, { sku: 'QO-B', stock: 20, minQuantity: 6 });
    const member = await addMember(database, shop);
    const b = await signIn(member);
    const text = 'SKU\t数量\nqo-a\t２\n4900000000003, 3\nQO-B 2\nNOPE 1\nQO-A, -1\n';
    const preview = await post(b, '/quick-order', { lines: text, action: 'preview' });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('「NOPE」は見つかりませんでした');
    expect(preview.body).toContain('6個以上');
    expect(preview.body).toContain('カートに追加（2件）');
    const added = await post(b, '/quick-order', { lines: text, action: 'add' });
    expect(added.statusCode).toBe(303);
    expect(await cartOf(member)).toEqual([{ variant_id: a, quantity: 5 }]);
  });
});

describe('checkout over HTTP', () => {
  it('shows every 特定商取引法 item on the final confirmation page and places one order for a double click', async () => {
    const variant = await addVariant(database, shop, { sku: 'WEB-ORDER', listPriceYen: 3000, stock: 10 });
    const member = await addMember(database, shop);
    const b = await signIn(member);
    await post(b, '/cart/items', { variantId: variant, quantity: '2' });
    const form = await get(b, '/checkout');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('postal-fill');
    const confirm = await post(b, '/checkout', { destination: 'location', locationId: member.locationId, paymentMethod: 'bank_transfer', deliveryDate: '', deliverySlot: 'am', poNumber: 'PO-77', notes: '' });
    expect(confirm.statusCode).toBe(200);
    const html = confirm.body;
    // 特商法 第12条の6: quantity, price and total, payment method and timing, delivery timing, cancellation and returns.
    expect(html).toContain('data-confirm="quantity">2<');
    expect(html).toContain('2,100円');
    expect(html).toContain('4,200円');
    expect(html).toContain('お支払い合計（税込）');
    expect(html).toContain('お支払い方法</dt><dd>銀行振込（前払い）');
    expect(html).toContain('お支払い時期');
    expect(html).toContain('までにお振込みください');
    expect(html).toContain('お届け時期');
    expect(html).toContain('午前中');
    expect(html).toContain('キャンセルについて');
    expect(html).toContain('出荷準備（ピッキング）開始前');
    expect(html).toContain('返品について');
    expect(html).toContain('注文を確定する');
    const fields = hiddenFields(html, `/s/${shop.slug}/checkout/place`);
    expect(fields.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const first = await post(b, '/checkout/place', fields);
    const second = await post(b, '/checkout/place', fields);
    expect(first.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const orders = await ordersOf(member);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ po_number: 'PO-77', delivery_slot: '0812', total_incl_tax: 4200 + 990 + 519 });
    const done = await get(b, String(first.headers.location).replace(`/s/${shop.slug}`, ''));
    expect(done.body).toContain(orders[0]!.order_number);
    expect(done.body).toContain(orders[0]!.transfer_reference!);
  });

  it('places one order for three 注文を確定する posts at once (the setup round trip takes the member lock; each waits for the one before)', async () => {
    const variant = await addVariant(database, shop, { sku: 'WEB-RACE', listPriceYen: 1000, stock: 10 });
    const member = await addMember(database, shop);
    const b = await signIn(member);
    await post(b, '/cart/items', { variantId: variant, quantity: '3' });
    const confirm = await post(b, '/checkout', { destination: 'location', locationId: member.locationId, paymentMethod: 'bank_transfer', deliveryDate: '', deliverySlot: '', poNumber: '', notes: '' });
    expect(confirm.statusCode).toBe(200);
    const fields = hiddenFields(confirm.body, `/s/${shop.slug}/checkout/place`);
    const answers = await Promise.all([1, 2, 3].map(() => post(b, '/checkout/place', fields)));
    expect(answers.map((a) => a.statusCode)).toEqual([303, 303, 303]);
    expect(new Set(answers.map((a) => a.headers.location)).size).toBe(1);
    expect(await ordersOf(member)).toHaveLength(1);
    const stock = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('product_variants').select('stock_reserved').where('id', '=', variant).executeTakeFirstOrThrow());
    expect(stock.stock_reserved).toBe(3);
  });

  it("re-renders with clear messages for a tampered total, another company's location, a past date and a 10 kB PO number; nothing is placed", async () => {
    const variant = await addVariant(database, shop, { sku: 'WEB-BAD', stock: 10 });
    const member = await addMember(database, shop);
    const other = await addMember(database, shop);
    const b = await signIn(member);
    await post(b, '/cart/items', { variantId: variant, quantity: '1' });
    const confirm = await post(b, '/checkout', { destination: 'location', locationId: member.locationId, paymentMethod: 'bank_transfer' });
    const fields = hiddenFields(confirm.body, `/s/${shop.slug}/checkout/place`);
    const tampered = await post(b, '/checkout/place', { ...fields, confirmedTotal: '1' });
    expect(tampered.statusCode).toBe(409);
    expect(tampered.body).toContain('お支払い合計が変わりました');
    const stolen = await post(b, '/checkout', { destination: 'location', locationId: other.locationId, paymentMethod: 'bank_transfer' });
    expect(stolen.statusCode).toBe(422);
    expect(stolen.body).toContain('お届け先を一覧から選んでください');
    const past = await post(b, '/checkout', { destination: 'location', locationId: member.locationId, paymentMethod: 'bank_transfer', deliveryDate: '2020-01-06' });
    expect(past.body).toContain('過去の日付');
    const longPo = await post(b, '/checkout', { destination: 'location', locationId: member.locationId, paymentMethod: 'bank_transfer', poNumber: 'X'.repeat(10_000) });
    expect(longPo.statusCode).toBe(422);
    expect(longPo.body).toContain('発注番号は50文字以内');
    const noInvoice = await post(b, '/checkout', { destination: 'location', locationId: member.locationId, paymentMethod: 'invoice' });
    expect(noInvoice.statusCode).toBe(422);
    expect(noInvoice.body).toContain('掛け払いはショップの審査を経た会員様のみ');
    expect(await ordersOf(member)).toHaveLength(0);
    expect(await cartOf(member)).toHaveLength(1);
  });
});
