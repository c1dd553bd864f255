import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { ConflictError } from '../shared/domain-error.ts';

/**
 * Stock held for orders. Placement reserves (stock_reserved += qty) under row locks taken in one
 * stable order (variant id), so two buyers of the last units queue on the same rows instead of
 * both reading "1 left", and no two placements can deadlock. Cancellation releases the
 * reservation; shipment turns it into a real decrement. Synthetic (monitor) orders never call these.
 */

export interface StockRequest {
  variantId: string;
  quantity: number;
}

export interface StockShortage {
  variantId: string;
  requested: number;
  available: number;
}

function aggregate(lines: readonly StockRequest[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.variantId, (totals.get(line.variantId) ?? 0) + line.quantity);
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The locked lines' reservation, to run in the same transaction (alone or alongside another statement). */
export type StockReservation = RawBuilder<unknown>;

/**
 * Locks the variants (stable order) and checks every line; when none is short, returns the
 * reservation as one statement for the caller to run in the same transaction — placement runs it
 * together with the order number (nextOrderNumber's `alongside`), one round trip for both.
 */
export async function lockStockForReservation(
  tx: Tx,
  tenantId: string,
  lines: readonly StockRequest[],
): Promise<{ ok: true; reserve: StockReservation | null } | { ok: false; shortages: StockShortage[] }> {
  const wanted = aggregate(lines);
  if (wanted.length === 0) return { ok: true, reserve: null };
  const ids = wanted.map(([id]) => id);
  const { rows } = await sql<{ id: string; stock_on_hand: number; stock_reserved: number }>`
    SELECT id, stock_on_hand, stock_reserved FROM product_variants
     WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${ids}::uuid[])
     ORDER BY id FOR UPDATE`.execute(tx);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const shortages: StockShortage[] = [];
  for (const [variantId, quantity] of wanted) {
    const row = byId.get(variantId);
    const available = row ? Number(row.stock_on_hand) - Number(row.stock_reserved) : 0;
    if (available < quantity) shortages.push({ variantId, requested: quantity, available: Math.max(0, available) });
  }
  if (shortages.length) return { ok: false, shortages };
  // Every line in one statement; the rows are locked above, so it waits for nothing.
  const reserve = sql`
    UPDATE product_variants v SET stock_reserved = v.stock_reserved + w.quantity
      FROM unnest(${ids}::uuid[], ${wanted.map(([, q]) => q)}::int[]) AS w(id, quantity)
     WHERE v.tenant_id = ${tenantId}::uuid AND v.id = w.id`;
  return { ok: true, reserve };
}

/** Locks the variants (stable order) and reserves every line, or nothing when any line is short. */
export async function reserveStock(tx: Tx, tenantId: string, lines: readonly StockRequest[]): Promise<{ ok: true } | { ok: false; shortages: StockShortage[] }> {
  const locked = await lockStockForReservation(tx, tenantId, lines);
  if (!locked.ok) return locked;
  if (locked.reserve) await locked.reserve.execute(tx);
  return { ok: true };
}

async function orderLines(tx: Tx, tenantId: string, orderId: string) {
  return tx.selectFrom('order_lines').select(['line_no', 'variant_id', 'quantity']).where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('line_no').execute();
}

/** Gives an unshipped order's reservation back (cancellation, payment timeout). */
export async function releaseOrderStock(tx: Tx, tenantId: string, orderId: string): Promise<void> {
  const lines = await orderLines(tx, tenantId, orderId);
  for (const [variantId, quantity] of aggregate(lines.map((l) => ({ variantId: l.variant_id, quantity: l.quantity })))) {
    await tx
      .updateTable('product_variants')
      .set({ stock_reserved: sql`greatest(stock_reserved - ${quantity}, 0)` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', variantId)
      .execute();
  }
}

export interface ShippedQuantity {
  lineNo: number;
  quantity: number;
}

/**
 * At shipment: the reserved quantity leaves the warehouse (on hand and reserved both go down) and
 * the change is recorded in stock_adjustments (reason 'order'). Call once per shipment with the
 * quantities it carries; omit `lines` to ship every line in full.
 */
export async function commitShippedStock(
  tx: Tx,
  input: { tenantId: string; orderId: string; lines?: readonly ShippedQuantity[]; actorId?: string | null },
): Promise<void> {
  const order = await tx.selectFrom('orders').select(['order_number', 'is_synthetic']).where('tenant_id', '=', input.tenantId).where('id', '=', input.orderId).executeTakeFirst();
  if (!order) throw new ConflictError('注文が見つかりません。');
  if (order.is_synthetic) return;
  const lines = await orderLines(tx, input.tenantId, input.orderId);
  const shipped = input.lines ?? lines.map((l) => ({ lineNo: l.line_no, quantity: l.quantity }));
  const requests: StockRequest[] = [];
  for (const s of shipped) {
    const line = lines.find((l) => l.line_no === s.lineNo);
    if (!line || !Number.isInteger(s.quantity) || s.quantity <= 0 || s.quantity > line.quantity) {
      throw new ConflictError(`出荷数量が注文明細（${s.lineNo}行目）と合いません。`);
    }
    requests.push({ variantId: line.variant_id, quantity: s.quantity });
  }
  for (const [variantId, quantity] of aggregate(requests)) {
    const updated = await sql<{ id: string }>`
      UPDATE product_variants
         SET stock_on_hand = stock_on_hand - ${quantity}, stock_reserved = greatest(stock_reserved - ${quantity}, 0)
       WHERE tenant_id = ${input.tenantId}::uuid AND id = ${variantId}::uuid AND stock_on_hand >= ${quantity}
       RETURNING id`.execute(tx);
    if (updated.rows.length === 0) throw new ConflictError('在庫数が出荷数量に足りません。在庫を確認してください。');
    await tx
      .insertInto('stock_adjustments')
      .values({ tenant_id: input.tenantId, variant_id: variantId, delta: -quantity, reason: 'order', note: `出荷 ${order.order_number}`, actor_id: input.actorId ?? null })
      .execute();
  }
}
