import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, isPostgresRun } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { addToCart } from '../cart/cart.service.ts';
import { cancelOverdueBankTransfers, markBankTransferReceived } from '../orders/bank-transfer.ts';
import { nextOrderNumber } from '../orders/order-number.ts';
import { setPaymentStatus, transitionOrder } from '../orders/order-state.ts';
import { lockStockForReservation, reserveStock } from '../orders/order-stock.ts';
import { loadShopSettings, preloadedShopSettings, SHOP_SETTINGS_PRELOAD } from '../orders/shop-settings.ts';
import { newIdempotencyKey, placeOrder, prepareCheckout } from './checkout.service.ts';
import { addMember, addVariant, asMember, type CommerceShop, commerceShop, type TestMember } from './checkout-fixtures.testing.ts';

let database: Database;
let shop: CommerceShop;

beforeAll(async () => {
  database = await createTestDatabase();
  shop = await commerceShop(database);
}, 60_000);
afterAll(async () => database?.close());

const form = (member: TestMember, extra: Record<string, string> = {}) => ({
  destination: 'location',
  locationId: member.locationId,
  deliveryDate: '',
  deliverySlot: '',
  paymentMethod: 'bank_transfer',
  poNumber: 'PO-123',
  notes: '',
  ...extra,
});

async function quoteTotal(member: TestMember, extra: Record<string, string> = {}, userIndex = 0): Promise<number> {
  return asMember(
    database,
    shop,
    member,
    async (tx, buyer) => (await prepareCheckout(tx, buyer, await loadShopSettings(tx, shop.tenantId), form(member, extra))).totalInclTax,
    userIndex,
  );
}

async function order(member: TestMember, key: string, total: number, extra: Record<string, string> = {}, userIndex = 0) {
  return asMember(
    database,
    shop,
    member,
    async (tx, buyer) =>
      placeOrder(tx, { buyer, settings: await loadShopSettings(tx, shop.tenantId), form: form(member, extra), idempotencyKey: key, confirmedTotalInclTax: total }),
    userIndex,
  );
}

const stockOf = (variantId: string) =>
  withTenant(database, shop.tenantId, (tx) => tx.selectFrom('product_variants').select(['stock_on_hand', 'stock_reserved']).where('id', '=', variantId).executeTakeFirstOrThrow());

const ordersOf = (accountId: string) => withTenant(database, shop.tenantId, (tx) => tx.selectFrom('orders').selectAll().where('account_id', '=', accountId).execute());

describe('shop settings', () => {
  it('read in the request setup (JSON) are the settings loadShopSettings reads', async () => {
    await withTenant(database, shop.tenantId, async (tx) => {
      await tx.updateTable('shop_settings').set({ closed_dates: ['2030-05-07', '2030-12-30'] }).where('tenant_id', '=', shop.tenantId).execute();
      const loaded = await loadShopSettings(tx, shop.tenantId);
      const { rows } = await sql.raw<Record<string, unknown>>(`SELECT ${SHOP_SETTINGS_PRELOAD} FROM tenants t WHERE t.id = '${shop.tenantId}'`).execute(tx);
      const preloaded = preloadedShopSettings(rows[0]!, shop.tenantId);
      expect({ ...preloaded, calendar: null }).toEqual({ ...loaded, calendar: null });
      expect(loaded.bankAccount).not.toBeNull();
      for (const day of ['2030-05-07', '2030-05-08', '2030-12-30']) expect(preloaded.calendar.isBusinessDay(day)).toBe(loaded.calendar.isBusinessDay(day));
      expect(preloaded.calendar.isBusinessDay('2030-05-07')).toBe(false);
      await tx.updateTable('shop_settings').set({ closed_dates: [] }).where('tenant_id', '=', shop.tenantId).execute();
    });
    expect(() => preloadedShopSettings({ shop_settings: null }, shop.tenantId)).toThrow('ショップ設定が未登録');
  });
});

describe('placing an order', () => {
  it('reserves stock, numbers the order, gives a transfer reference and due date, mails the buyer and empties the cart', async () => {
    const variant = await addVariant(database, shop, { sku: 'PLACE-1', listPriceYen: 2000, stock: 5 });
    const reduced = await addVariant(database, shop, { sku: 'PLACE-8', listPriceYen: 1000, stock: 5, taxRate: 8 });
    const member = await addMember(database, shop);
    await asMember(database, shop, member, async (tx, buyer) => {
      await addToCart(tx, buyer, { variantId: variant, quantity: 2 });
      await addToCart(tx, buyer, { variantId: reduced, quantity: 1 });
    });
    const total = await quoteTotal(member);
    const outcome = await order(member, newIdempotencyKey(), total);
    expect(outcome.kind).toBe('placed');
    const [placed] = await ordersOf(member.accountId);
    // Rank 0.70: 2 × 1,400 at 10% + 700 at 8% + 990 shipping at 10%.
    expect(placed).toMatchObject({ status: 'pending_payment', payment_status: 'unpaid', subtotal_excl_tax: 3500, shipping_fee_excl_tax: 990, base_10: 3790, tax_10: 379, base_8: 700, tax_8: 56, po_number: 'PO-123' });
    expect(placed!.total_incl_tax).toBe(3790 + 379 + 700 + 56);
    expect(placed!.order_number).toMatch(/^\d{4}-\d{5}$/);
    expect(placed!.transfer_reference).toBe(`AYA${placed!.order_number.replace('-', '')}`);
    expect(String(placed!.payment_due_date)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await stockOf(variant)).toEqual({ stock_on_hand: 5, stock_reserved: 2 });
    expect(await stockOf(reduced)).toEqual({ stock_on_hand: 5, stock_reserved: 1 });
    await withTenant(database, shop.tenantId, async (tx) => {
      const mail = await tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute();
      const texts = mail.map((m) => JSON.stringify(m.payload));
      expect(texts.some((t) => t.includes(placed!.order_number) && t.includes(member.emails[0]!) && t.includes('なにわ商工銀行 船場支店') && t.includes(placed!.transfer_reference!))).toBe(true);
      expect(await tx.selectFrom('cart_items').select('variant_id').where('user_id', '=', member.userIds[0]!).execute()).toEqual([]);
      const events = await tx.selectFrom('order_events').select(['kind', 'to_state', 'actor_type']).where('order_id', '=', placed!.id).execute();
      expect(events).toEqual([{ kind: 'status', to_state: 'pending_payment', actor_type: 'salon_user' }]);
    });
  });

  it('is idempotent: the same key twice makes one order', async () => {
    const variant = await addVariant(database, shop, { sku: 'IDEM-1', stock: 10 });
    const member = await addMember(database, shop);
    await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 3 }));
    const total = await quoteTotal(member);
    const key = newIdempotencyKey();
    const first = await order(member, key, total);
    const second = await order(member, key, total);
    expect(first.kind).toBe('placed');
    expect(second).toMatchObject({ kind: 'existing', orderNumber: (first as { orderNumber: string }).orderNumber });
    expect(await ordersOf(member.accountId)).toHaveLength(1);
    expect((await stockOf(variant)).stock_reserved).toBe(3);
  });

  it('refuses a changed total (tampered or a price change) and changes nothing', async () => {
    const variant = await addVariant(database, shop, { sku: 'TAMPER-1', stock: 10 });
    const member = await addMember(database, shop);
    await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 1 }));
    const total = await quoteTotal(member);
    const outcome = await order(member, newIdempotencyKey(), total - 500);
    expect(outcome.kind).toBe('changed');
    expect((outcome as { messages: string[] }).messages.join()).toContain('お支払い合計が変わりました');
    expect(await ordersOf(member.accountId)).toHaveLength(0);
    expect((await stockOf(variant)).stock_reserved).toBe(0);
  });

  it("refuses another company's location id, a 10 kB PO number and a holiday delivery date", async () => {
    const variant = await addVariant(database, shop, { sku: 'BAD-1', stock: 10 });
    const member = await addMember(database, shop);
    const other = await addMember(database, shop);
    await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 1 }));
    const total = await quoteTotal(member);
    const stolen = await order(member, newIdempotencyKey(), total, { locationId: other.locationId });
    expect(stolen.kind).toBe('changed');
    expect((stolen as { messages: string[] }).messages.join()).toContain('お届け先を一覧から選んでください');
    const longPo = await order(member, newIdempotencyKey(), total, { poNumber: 'X'.repeat(10_000) });
    expect((longPo as { messages: string[] }).messages.join()).toContain('発注番号は50文字以内');
    const holiday = await order(member, newIdempotencyKey(), total, { deliveryDate: '2099-01-01' });
    expect(holiday.kind).toBe('changed');
    expect(await ordersOf(member.accountId)).toHaveLength(0);
    expect((await stockOf(variant)).stock_reserved).toBe(0);
  });
});

describe('stock at placement', () => {
  const title = isPostgresRun()
    ? 'PostgreSQL: 50 concurrent buyers for the last 10 units make exactly 10 orders and leave stock at 0'
    : 'PGlite (one connection, no real concurrency): 50 sequential buyers for the last 10 units make exactly 10 orders and leave stock at 0';
  it(title, async () => {
    const variant = await addVariant(database, shop, { sku: 'LAST-10', stock: 10 });
    const buyers: { member: TestMember; total: number }[] = [];
    for (let i = 0; i < 50; i++) {
      const member = await addMember(database, shop);
      await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 1 }));
      buyers.push({ member, total: await quoteTotal(member) });
    }
    const attempt = (b: { member: TestMember; total: number }) => order(b.member, newIdempotencyKey(), b.total);
    const outcomes = isPostgresRun() ? await Promise.all(buyers.map(attempt)) : await buyers.reduce(async (acc, b) => [...(await acc), await attempt(b)], Promise.resolve([] as Awaited<ReturnType<typeof attempt>>[]));
    expect(outcomes.filter((o) => o.kind === 'placed')).toHaveLength(10);
    expect(outcomes.filter((o) => o.kind === 'changed')).toHaveLength(40);
    const stock = await stockOf(variant);
    expect(stock.stock_on_hand - stock.stock_reserved).toBe(0);
  }, 120_000);

  it('reserves every line of a several-line order in one go, or none when one is short (under the locks)', async () => {
    const plenty = await addVariant(database, shop, { sku: 'SHORT-A', stock: 9 });
    const scarce = await addVariant(database, shop, { sku: 'SHORT-B', stock: 3 });
    const lines = (scarceQuantity: number) => [
      { variantId: plenty, quantity: 2 },
      { variantId: scarce, quantity: scarceQuantity },
      { variantId: plenty, quantity: 1 },
    ];
    const short = await withTenant(database, shop.tenantId, (tx) => reserveStock(tx, shop.tenantId, lines(4)));
    expect(short).toEqual({ ok: false, shortages: [{ variantId: scarce, requested: 4, available: 3 }] });
    expect(await stockOf(plenty)).toEqual({ stock_on_hand: 9, stock_reserved: 0 });
    expect(await stockOf(scarce)).toEqual({ stock_on_hand: 3, stock_reserved: 0 });
    expect(await withTenant(database, shop.tenantId, (tx) => reserveStock(tx, shop.tenantId, lines(3)))).toEqual({ ok: true });
    expect(await stockOf(plenty)).toEqual({ stock_on_hand: 9, stock_reserved: 3 });
    expect(await stockOf(scarce)).toEqual({ stock_on_hand: 3, stock_reserved: 3 });
    // Placement runs the reservation with the order number (one statement): a rollback undoes both.
    await expect(
      withTenant(database, shop.tenantId, async (tx) => {
        const locked = await lockStockForReservation(tx, shop.tenantId, [{ variantId: plenty, quantity: 6 }]);
        if (!locked.ok) throw new Error('expected the lock to pass');
        await nextOrderNumber(tx, shop.tenantId, new Date(), locked.reserve);
        expect(await tx.selectFrom('product_variants').select('stock_reserved').where('id', '=', plenty).executeTakeFirstOrThrow()).toEqual({ stock_reserved: 9 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await stockOf(plenty)).toEqual({ stock_on_hand: 9, stock_reserved: 3 });
  });

  it('gives the stock back when an order is cancelled, once', async () => {
    const variant = await addVariant(database, shop, { sku: 'CANCEL-1', stock: 4 });
    const member = await addMember(database, shop);
    await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 4 }));
    const placed = await order(member, newIdempotencyKey(), await quoteTotal(member));
    const orderId = (placed as { orderId: string }).orderId;
    expect((await stockOf(variant)).stock_reserved).toBe(4);
    await withTenant(database, shop.tenantId, async (tx) => {
      await transitionOrder(tx, { tenantId: shop.tenantId, orderId, to: 'cancelled', actor: { type: 'system' }, note: 'テスト' });
      const again = await transitionOrder(tx, { tenantId: shop.tenantId, orderId, to: 'cancelled', actor: { type: 'system' } });
      expect(again.changed).toBe(false);
    });
    expect(await stockOf(variant)).toEqual({ stock_on_hand: 4, stock_reserved: 0 });
    const [cancelled] = await ordersOf(member.accountId);
    expect(cancelled).toMatchObject({ status: 'cancelled', payment_status: 'cancelled' });
  });
});

describe('掛け払い credit limit', () => {
  it('refuses an order over the limit with the amounts and changes nothing; a too-small receipt does not change that', async () => {
    const variant = await addVariant(database, shop, { sku: 'CREDIT-1', listPriceYen: 10_000, stock: 100 });
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 20_000 });
    await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 3 }));
    const over = await order(member, newIdempotencyKey(), 0, { paymentMethod: 'invoice' });
    expect(over.kind).toBe('changed');
    expect((over as { messages: string[] }).messages.join()).toContain('ご利用限度額を超える');
    expect(await ordersOf(member.accountId)).toHaveLength(0);
    expect((await stockOf(variant)).stock_reserved).toBe(0);
    await withTenant(database, shop.tenantId, async (tx) => {
      await tx.insertInto('receipts').values({ tenant_id: shop.tenantId, account_id: member.accountId, amount_yen: 1, received_on: '2030-01-01', recorded_by: member.userIds[0]! }).execute();
    });
    const under = await order(member, newIdempotencyKey(), 0, { paymentMethod: 'invoice' });
    expect(under.kind).toBe('changed');
  });

  it(isPostgresRun() ? 'PostgreSQL: two colleagues ordering at once cannot both pass the limit' : 'PGlite: two colleagues ordering one after the other cannot both pass the limit', async () => {
    const variant = await addVariant(database, shop, { sku: 'CREDIT-2', listPriceYen: 10_000, stock: 100 });
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 15_000, users: 2 });
    for (const i of [0, 1]) await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 1 }), i);
    const totals = [await quoteTotal(member, { paymentMethod: 'invoice' }, 0), await quoteTotal(member, { paymentMethod: 'invoice' }, 1)];
    expect(totals[0]).toBeLessThanOrEqual(15_000);
    const run = (i: number) => order(member, newIdempotencyKey(), totals[i]!, { paymentMethod: 'invoice' }, i);
    const outcomes = isPostgresRun() ? await Promise.all([run(0), run(1)]) : [await run(0), await run(1)];
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['changed', 'placed']);
    const orders = await ordersOf(member.accountId);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'confirmed', payment_method: 'invoice', payment_status: 'unpaid' });
  });
});

describe('bank transfer', () => {
  it('staff mark the receipt: paid, confirmed, audited; an overdue one is cancelled by the job with its stock', async () => {
    const variant = await addVariant(database, shop, { sku: 'BANK-1', stock: 10 });
    const member = await addMember(database, shop);
    const place = async () => {
      await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 2 }));
      return (await order(member, newIdempotencyKey(), await quoteTotal(member))) as { orderId: string; orderNumber: string };
    };
    const paid = await place();
    const late = await place();
    const staffId = '00000000-0000-4000-8000-0000000000aa';
    await withTenant(database, shop.tenantId, async (tx) => {
      const row = await tx.selectFrom('orders').select('total_incl_tax').where('id', '=', paid.orderId).executeTakeFirstOrThrow();
      await expect(
        markBankTransferReceived(tx, { tenantId: shop.tenantId, orderId: paid.orderId, amountYen: row.total_incl_tax - 1, receivedOn: '2030-01-01', actor: { type: 'staff', id: staffId } }),
      ).rejects.toThrow();
      await markBankTransferReceived(tx, { tenantId: shop.tenantId, orderId: paid.orderId, amountYen: row.total_incl_tax, receivedOn: '2030-01-01', actor: { type: 'staff', id: staffId, label: '経理' } });
      const audit = await tx.selectFrom('audit_log').select('action').where('resource_id', '=', paid.orderNumber).execute();
      expect(audit.map((a) => a.action).sort()).toEqual(['order.payment_status_changed', 'order.status_changed']);
    });
    // Far in the future every open transfer is overdue; run twice: the second changes nothing.
    const future = new Date('2099-06-01T03:00:00Z');
    const first = await withTenant(database, shop.tenantId, (tx) => cancelOverdueBankTransfers(tx, shop.tenantId, future));
    const second = await withTenant(database, shop.tenantId, (tx) => cancelOverdueBankTransfers(tx, shop.tenantId, future));
    expect(first).toContain(late.orderNumber);
    expect(first).not.toContain(paid.orderNumber);
    expect(second).toEqual([]);
    const orders = await ordersOf(member.accountId);
    expect(orders.find((o) => o.id === paid.orderId)).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(orders.find((o) => o.id === late.orderId)).toMatchObject({ status: 'cancelled' });
    expect((await stockOf(variant)).stock_reserved).toBe(2);
  });

  it('the state machine refuses transitions that do not exist', async () => {
    const variant = await addVariant(database, shop, { sku: 'STATE-1', stock: 10 });
    const member = await addMember(database, shop);
    await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 1 }));
    const placed = (await order(member, newIdempotencyKey(), await quoteTotal(member))) as { orderId: string };
    await withTenant(database, shop.tenantId, async (tx) => {
      await expect(transitionOrder(tx, { tenantId: shop.tenantId, orderId: placed.orderId, to: 'shipped', actor: { type: 'system' } })).rejects.toThrow(/お支払い待ち/);
      await expect(setPaymentStatus(tx, { tenantId: shop.tenantId, orderId: placed.orderId, to: 'refunded', actor: { type: 'system' } })).rejects.toThrow(/未入金/);
      const paid = await setPaymentStatus(tx, { tenantId: shop.tenantId, orderId: placed.orderId, to: 'paid', actor: { type: 'provider' } });
      expect(paid.orderConfirmed).toBe(true);
    });
  });
});
