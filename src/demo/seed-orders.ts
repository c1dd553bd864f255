import { sql } from 'kysely';
import { addDays, jstDateTime } from '../domains/calendar/calendar-date.ts';
import { type Buyer, loadBuyer } from '../domains/cart/buyer.ts';
import { addToCart } from '../domains/cart/cart.service.ts';
import { deliveryDateOptions, placeOrder, prepareCheckout } from '../domains/checkout/checkout.service.ts';
import { markDelivered, recordShipment } from '../domains/fulfilment/shipment.service.ts';
import type { OrderActor } from '../domains/orders/order-state.ts';
import { loadShopSettings } from '../domains/orders/shop-settings.ts';
import { attachStatementPdf, closeStatement } from '../domains/receivables/statement.service.ts';
import { lastClosedPeriod } from '../domains/receivables/statement-period.ts';
import { requestReturn } from '../domains/returns/return.service.ts';
import type { Database } from '../platform/db/database.ts';
import { type Tx, withIdentity, withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import { DEMO_SALONS } from './demo-salons.ts';
import { demoId } from './seed-accounts.ts';

/**
 * The demo's order history, so the order screens, documents and statements have something to show
 * on first start: 有限会社はなみずき美容室 (owner@hanamizuki-hair.example) at あやめ化研 (ayame-color,
 * 掛け払い 20日締め翌月末払い, limit ¥300,000) with
 *
 * - two 掛け払い orders in the last closed period, shipped with tracking and lot numbers and
 *   delivered; the member has asked to return part of the second (staff decide it: refund credit,
 *   返還インボイス), and both are on the period's closed monthly statement (PDF issued, mailed);
 * - one 掛け払い order this period, shipped with tracking and lots, on its way;
 * - one 掛け払い order waiting to be picked (staff print the picking list and 納品書, export the
 *   carriers' CSV, ship it);
 * - one bank-transfer order with a delivery slot and PO number, waiting for the transfer.
 *
 * Everything goes through the real domain functions — cart, checkout (fixed idempotency keys),
 * shipments, the member's return request, the closing — so the data is what the app would have
 * made. Each step looks at the state first: a restart (or a crash half-way) finishes what is
 * missing and never doubles anything; once complete, a start costs one query. Also gives the
 * shop's variants 棚番 so picking lists walk the shelves.
 */

const SHOP = 'ayame-color';
// A salon whose names print on carriers' labels: Shift_JIS (CP932) has no "è" for Lumière.
const SALON = DEMO_SALONS.find((s) => s.key === 'hanamizuki')!;
const OWNER = SALON.users.find((u) => u.role === 'owner')!;
const SYSTEM: OrderActor = { type: 'system', label: 'demo seed' };

type Step = 'delivered' | 'return_requested' | 'shipped' | 'confirmed' | 'pending_payment';

interface DemoOrder {
  key: string;
  method: 'invoice' | 'bank_transfer';
  /** Which of the picked variants, and how many packs of each (× the variant's minimum). */
  items: { pick: number; packs: number }[];
  po: string;
  notes?: string;
  /** Where the order ends up. */
  step: Step;
  /** Placed in the last closed period (on its statement) or shortly before now. */
  when: 'closed_period' | 'recent';
  /** Days before the period's end, or hours before now. */
  offset: number;
  slot?: boolean;
}

const ORDERS: readonly DemoOrder[] = [
  { key: 'closed-a', method: 'invoice', items: [{ pick: 0, packs: 2 }, { pick: 1, packs: 3 }, { pick: 2, packs: 1 }], po: 'HNM-2025-0412', step: 'delivered', when: 'closed_period', offset: 12 },
  { key: 'closed-b', method: 'invoice', items: [{ pick: 1, packs: 4 }, { pick: 3, packs: 2 }], po: 'HNM-2025-0425', notes: '午前中の納品をお願いします', step: 'return_requested', when: 'closed_period', offset: 6 },
  { key: 'recent-shipped', method: 'invoice', items: [{ pick: 0, packs: 1 }, { pick: 4, packs: 2 }], po: 'HNM-2025-0503', step: 'shipped', when: 'recent', offset: 5 },
  { key: 'recent-picking', method: 'invoice', items: [{ pick: 2, packs: 2 }, { pick: 3, packs: 1 }, { pick: 5, packs: 3 }], po: 'HNM-2025-0507', step: 'confirmed', when: 'recent', offset: 3 },
  { key: 'recent-transfer', method: 'bank_transfer', items: [{ pick: 4, packs: 1 }, { pick: 5, packs: 1 }], po: 'UMD-0007', step: 'pending_payment', when: 'recent', offset: 1, slot: true },
];

const idempotencyKeyOf = (order: DemoOrder) => `oroshi-demo-order-${order.key}`;

export interface SeedOrdersResult {
  seeded: boolean;
  orders: number;
  statement: boolean;
  ms: number;
}

interface Picked {
  id: string;
  sku: string;
  minQuantity: number;
  lotTracked: boolean;
}

/** Six saleable variants of the shop for this member: lot-tracked ones first (lots on the slips), then by SKU. */
async function pickVariants(tx: Tx, tenantId: string): Promise<Picked[]> {
  const { rows } = await sql<{ id: string; sku: string; min_quantity: number; lot_tracked: boolean }>`
    SELECT v.id, v.sku, v.min_quantity, p.lot_tracked
      FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
     WHERE v.tenant_id = ${tenantId}::uuid AND v.status = 'active' AND p.status = 'active'
       AND v.stock_on_hand - v.stock_reserved >= v.min_quantity * 12 AND v.min_quantity = v.order_multiple AND v.min_quantity <= 6
       AND v.list_price_yen * v.min_quantity BETWEEN 500 AND 6000
     ORDER BY p.lot_tracked DESC, v.sku
     LIMIT 6`.execute(tx);
  return rows.map((r) => ({ id: r.id, sku: r.sku, minQuantity: r.min_quantity, lotTracked: r.lot_tracked }));
}

/** 棚番 for every variant of the shop still without one: zone by product, rack and level by SKU order. */
async function assignShelves(tx: Tx, tenantId: string): Promise<void> {
  await sql`
    UPDATE product_variants v SET shelf_location = s.shelf
      FROM (SELECT id, chr(65 + ((dense_rank() OVER (ORDER BY product_id) - 1) / 24 % 6)::int) || '-' ||
                   lpad((((row_number() OVER (ORDER BY sku) - 1) / 4) % 30 + 1)::text, 2, '0') || '-' ||
                   (((row_number() OVER (ORDER BY sku) - 1) % 4) + 1)::text AS shelf
              FROM product_variants WHERE tenant_id = ${tenantId}::uuid) s
     WHERE v.tenant_id = ${tenantId}::uuid AND v.id = s.id AND v.shelf_location = ''`.execute(tx);
}

function placedAtOf(order: DemoOrder, now: Date, closingDay: number): Date {
  if (order.when === 'recent') return new Date(now.getTime() - order.offset * 3_600_000);
  const period = lastClosedPeriod(jstDateTime(now).date, { closing_day: closingDay });
  // 10:30 JST on a day inside the closed period.
  let day = addDays(period.end, -order.offset);
  if (day < period.start) day = period.start;
  return new Date(`${day}T10:30:00+09:00`);
}

async function asOwner<T>(database: Database, tenantId: string, now: Date, fn: (tx: Tx, buyer: Buyer) => Promise<T>): Promise<T> {
  const accountId = demoId('salon', SALON.key);
  const userId = demoId('salon-user', OWNER.email);
  return withIdentity(database, { tenantId, accountId, principalId: userId, audience: 'salon' }, async (tx) =>
    fn(tx, await loadBuyer(tx, tenantId, { userId, accountId, email: OWNER.email, displayName: OWNER.name, isSynthetic: false }, now)),
  );
}

async function placeDemoOrder(database: Database, tenantId: string, order: DemoOrder, picked: Picked[], placedAt: Date): Promise<string> {
  return asOwner(database, tenantId, placedAt, async (tx, buyer) => {
    const existing = await tx.selectFrom('orders').select('id').where('tenant_id', '=', tenantId).where('account_id', '=', buyer.accountId).where('idempotency_key', '=', idempotencyKeyOf(order)).executeTakeFirst();
    if (existing) return existing.id;
    for (const item of order.items) {
      const variant = picked[item.pick % picked.length]!;
      await addToCart(tx, buyer, { variantId: variant.id, quantity: variant.minQuantity * item.packs });
    }
    const settings = await loadShopSettings(tx, tenantId);
    const date = order.slot ? (deliveryDateOptions(settings, placedAt)[2] ?? '') : '';
    const form = {
      destination: 'location',
      locationId: demoId('location', `${SALON.key}:main`),
      deliveryDate: date,
      deliverySlot: date ? '14-16' : '',
      paymentMethod: order.method,
      poNumber: order.po,
      notes: order.notes ?? '',
    };
    const draft = await prepareCheckout(tx, buyer, settings, form, placedAt);
    const outcome = await placeOrder(tx, { buyer, settings, form, idempotencyKey: idempotencyKeyOf(order), confirmedTotalInclTax: draft.totalInclTax, now: placedAt });
    if (outcome.kind === 'changed') throw new Error(`demo order ${order.key} not placed: ${outcome.messages.join(' ')}`);
    return outcome.orderId;
  });
}

/** Ships every line (lots on lot-tracked ones), then marks delivered when the order gets that far. */
async function advance(database: Database, tenantId: string, orderId: string, order: DemoOrder, placedAt: Date, n: number): Promise<void> {
  if (order.step === 'confirmed' || order.step === 'pending_payment') return;
  const status = await withTenant(database, tenantId, async (tx) => (await tx.selectFrom('orders').select('status').where('tenant_id', '=', tenantId).where('id', '=', orderId).executeTakeFirstOrThrow()).status);
  const shippedAt = new Date(placedAt.getTime() + (order.when === 'recent' ? 2 : 26) * 3_600_000);
  if (status === 'confirmed' || status === 'picking') {
    await withTenant(database, tenantId, async (tx) => {
      const lines = await tx.selectFrom('order_lines').select(['line_no', 'quantity', 'lot_tracked']).where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('line_no').execute();
      const yymm = jstDateTime(placedAt).date.slice(2, 7).replace('-', '');
      await recordShipment(tx, {
        tenantId,
        orderId,
        carrier: 'yamato',
        // Demo numbers in Yamato's 12-digit shape (not real parcels).
        trackingNumbers: [`4871${String(20_250_000 + n * 7).padStart(8, '0')}`],
        lines: lines.map((l) => ({ lineNo: l.line_no, quantity: l.quantity, lotNumber: l.lot_tracked ? `L${yymm}-${String.fromCharCode(65 + l.line_no)}${n}` : '' })),
        shippedAt,
        actor: SYSTEM,
      });
    });
  }
  if (order.step === 'shipped') return;
  if (status !== 'delivered' && status !== 'return_requested' && status !== 'returned') {
    await withTenant(database, tenantId, (tx) => markDelivered(tx, { tenantId, orderId, actor: SYSTEM, deliveredAt: new Date(shippedAt.getTime() + 24 * 3_600_000) }));
  }
}

async function requestDemoReturn(database: Database, tenantId: string, orderId: string, now: Date): Promise<void> {
  await asOwner(database, tenantId, now, async (tx, buyer) => {
    const open = await tx.selectFrom('returns').select('id').where('tenant_id', '=', tenantId).where('order_id', '=', orderId).executeTakeFirst();
    if (open) return;
    const line = await tx.selectFrom('order_lines').select(['line_no', 'quantity']).where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('line_no').executeTakeFirstOrThrow();
    await requestReturn(tx, { tenantId, accountId: buyer.accountId, userId: buyer.userId }, { orderId, reason: '外箱が潰れて1本液漏れしていました。写真をお送りします。', lines: [{ lineNo: line.line_no, quantity: Math.min(1, line.quantity) }] });
  });
}

export async function seedDemoOrders(database: Database, options: { dataDir?: string; now?: Date } = {}): Promise<SeedOrdersResult> {
  const startedAt = performance.now();
  const now = options.now ?? new Date();
  const done = (seeded: boolean, orders = 0, statement = false): SeedOrdersResult => ({ seeded, orders, statement, ms: Math.round(performance.now() - startedAt) });
  const tenant = await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').where('slug', '=', SHOP).executeTakeFirst());
  if (!tenant) return done(false);
  const tenantId = tenant.id;
  const accountId = demoId('salon', SALON.key);
  // Complete when the last step (the statement's PDF) exists: one query on every later start.
  const membership = await withTenant(database, tenantId, (tx) =>
    tx
      .selectFrom('memberships as m')
      .leftJoin('statements as s', (j) => j.onRef('s.tenant_id', '=', 'm.tenant_id').onRef('s.account_id', '=', 'm.account_id'))
      .select(['m.id', 'm.account_id', 'm.closing_day', 'm.payment_month_offset', 'm.payment_day', 'm.invoice_terms_enabled', 's.document_id'])
      .where('m.tenant_id', '=', tenantId)
      .where('m.account_id', '=', accountId)
      .orderBy('s.document_id', (ob) => ob.asc().nullsLast())
      .executeTakeFirst(),
  );
  if (!membership?.invoice_terms_enabled) return done(false);
  if (membership.document_id) return done(false);

  await withTenant(database, tenantId, (tx) => assignShelves(tx, tenantId));
  const picked = await withTenant(database, tenantId, (tx) => pickVariants(tx, tenantId));
  if (picked.length < 3) return done(false);
  let n = 0;
  for (const order of ORDERS) {
    n++;
    const placedAt = placedAtOf(order, now, membership.closing_day);
    const orderId = await placeDemoOrder(database, tenantId, order, picked, placedAt);
    await advance(database, tenantId, orderId, order, placedAt, n);
    if (order.step === 'return_requested') await requestDemoReturn(database, tenantId, orderId, now);
  }
  // The closing job's own steps: the statement of the last closed period, its PDF and mail.
  const statement = await withTenant(database, tenantId, (tx) => closeStatement(tx, tenantId, membership, jstDateTime(now).date));
  if (statement && options.dataDir) await attachStatementPdf({ inScope: (fn) => withTenant(database, tenantId, fn), dataDir: options.dataDir, now }, tenantId, statement.id);
  return done(true, ORDERS.length, Boolean(statement));
}
