import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type OrderActor, setPaymentStatus, transitionOrder } from '../orders/order-state.ts';
import { commitShippedStock } from '../orders/order-stock.ts';
import type { Carrier, OrderStatus } from '../orders/orders.tables.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { auditOrderAction } from './order-actor-audit.ts';
import { queueShipmentMail } from './shipment-mail.ts';

/**
 * Shipments: an order may leave in several parcels, each with its carrier, tracking numbers and
 * the quantity of each line it carries (with the lot for lot-tracked, salon-exclusive goods).
 * Each shipment takes its goods off the shelf (commitShippedStock); the order becomes 'shipped'
 * through the state machine when the last line is complete.
 */

export const CARRIERS: readonly Carrier[] = ['yamato', 'sagawa', 'japanpost', 'other'];

export interface ShipmentLineInput {
  lineNo: number;
  quantity: number;
  lotNumber?: string;
}

export interface RecordShipmentInput {
  tenantId: string;
  orderId: string;
  carrier: Carrier;
  trackingNumbers: string[];
  lines: ShipmentLineInput[];
  actor: OrderActor;
  shippedAt?: Date;
}

export interface LineProgress {
  lineNo: number;
  ordered: number;
  shipped: number;
  lotTracked: boolean;
}

const SHIPPABLE: readonly OrderStatus[] = ['confirmed', 'picking'];
const LOT = /^[0-9A-Za-z][0-9A-Za-z/_.-]{0,39}$/;

/** Ordered and already-shipped quantity per line. */
export async function shipmentProgress(tx: Tx, tenantId: string, orderId: string): Promise<LineProgress[]> {
  const { rows } = await sql<{ line_no: number; quantity: number; lot_tracked: boolean; shipped: number }>`
    SELECT l.line_no, l.quantity, l.lot_tracked, coalesce(sum(s.quantity), 0)::int AS shipped
      FROM order_lines l
      LEFT JOIN shipment_lines s ON s.tenant_id = l.tenant_id AND s.order_id = l.order_id AND s.line_no = l.line_no
     WHERE l.tenant_id = ${tenantId}::uuid AND l.order_id = ${orderId}::uuid
     GROUP BY l.line_no, l.quantity, l.lot_tracked ORDER BY l.line_no`.execute(tx);
  return rows.map((r) => ({ lineNo: Number(r.line_no), ordered: Number(r.quantity), shipped: Number(r.shipped), lotTracked: r.lot_tracked }));
}

export function remainingLines(progress: readonly LineProgress[]): ShipmentLineInput[] {
  return progress.filter((p) => p.shipped < p.ordered).map((p) => ({ lineNo: p.lineNo, quantity: p.ordered - p.shipped }));
}

/** Checks a shipment against what is left to ship; every problem is reported per field. */
export function validateShipmentLines(progress: readonly LineProgress[], lines: readonly ShipmentLineInput[]): { ok: true; lines: Required<ShipmentLineInput>[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const merged = new Map<string, Required<ShipmentLineInput>>();
  const perLine = new Map<number, number>();
  for (const line of lines) {
    if (line.quantity === 0) continue;
    const p = progress.find((x) => x.lineNo === line.lineNo);
    if (!p) {
      errors[`qty_${line.lineNo}`] = '注文にない明細です。';
      continue;
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 0) {
      errors[`qty_${line.lineNo}`] = '数量は0以上の整数で入力してください。';
      continue;
    }
    const lot = (line.lotNumber ?? '').normalize('NFKC').trim();
    if (p.lotTracked && !lot) errors[`lot_${line.lineNo}`] = 'ロット管理商品です。ロット番号を入力してください。';
    else if (lot && !LOT.test(lot)) errors[`lot_${line.lineNo}`] = 'ロット番号は英数字と - / _ . の40文字以内で入力してください。';
    perLine.set(line.lineNo, (perLine.get(line.lineNo) ?? 0) + line.quantity);
    const key = `${line.lineNo}\u0000${lot}`;
    const prev = merged.get(key);
    merged.set(key, { lineNo: line.lineNo, quantity: (prev?.quantity ?? 0) + line.quantity, lotNumber: lot });
  }
  for (const [lineNo, quantity] of perLine) {
    const p = progress.find((x) => x.lineNo === lineNo)!;
    if (quantity > p.ordered - p.shipped) errors[`qty_${lineNo}`] = `出荷できるのは残り${p.ordered - p.shipped}個までです。`;
  }
  if (!Object.keys(errors).length && merged.size === 0) errors._form = '出荷する数量を1つ以上入力してください。';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, lines: [...merged.values()] };
}

async function lockOrderForShipping(tx: Tx, tenantId: string, orderId: string) {
  const { rows } = await sql<{ id: string; order_number: string; status: OrderStatus }>`
    SELECT id, order_number, status FROM orders WHERE tenant_id = ${tenantId}::uuid AND id = ${orderId}::uuid FOR UPDATE`.execute(tx);
  if (!rows[0]) throw new NotFoundError('注文が見つかりません。');
  return rows[0];
}

export async function recordShipment(tx: Tx, input: RecordShipmentInput): Promise<{ shipmentId: string; orderShipped: boolean }> {
  const order = await lockOrderForShipping(tx, input.tenantId, input.orderId);
  if (!SHIPPABLE.includes(order.status)) throw new ConflictError('受注確定または出荷準備中の注文だけを出荷できます。');
  if (!CARRIERS.includes(input.carrier)) throw new ValidationError({ carrier: '配送業者を選んでください。' });
  const progress = await shipmentProgress(tx, input.tenantId, input.orderId);
  const checked = validateShipmentLines(progress, input.lines);
  if (!checked.ok) throw new ValidationError(checked.errors);
  if (order.status === 'confirmed') {
    await transitionOrder(tx, { tenantId: input.tenantId, orderId: input.orderId, to: 'picking', actor: input.actor, note: '出荷登録' });
  }
  const shipment = await tx
    .insertInto('shipments')
    .values({
      tenant_id: input.tenantId,
      order_id: input.orderId,
      carrier: input.carrier,
      tracking_numbers: input.trackingNumbers,
      shipped_at: input.shippedAt ?? new Date(),
      created_by: input.actor.type === 'staff' ? (input.actor.id ?? null) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('shipment_lines')
    .values(checked.lines.map((l) => ({ tenant_id: input.tenantId, shipment_id: shipment.id, order_id: input.orderId, line_no: l.lineNo, quantity: l.quantity, lot_number: l.lotNumber })))
    .execute();
  const perLine = new Map<number, number>();
  for (const l of checked.lines) perLine.set(l.lineNo, (perLine.get(l.lineNo) ?? 0) + l.quantity);
  await commitShippedStock(tx, {
    tenantId: input.tenantId,
    orderId: input.orderId,
    lines: [...perLine].map(([lineNo, quantity]) => ({ lineNo, quantity })),
    actorId: input.actor.type === 'staff' ? (input.actor.id ?? null) : null,
  });
  const complete = progress.every((p) => p.shipped + (perLine.get(p.lineNo) ?? 0) >= p.ordered);
  await auditOrderAction(tx, input.actor, 'order.shipment_recorded', order.order_number, {
    orderId: input.orderId,
    shipmentId: shipment.id,
    carrier: input.carrier,
    trackingNumbers: input.trackingNumbers,
    lines: checked.lines,
  });
  if (complete) {
    await transitionOrder(tx, { tenantId: input.tenantId, orderId: input.orderId, to: 'shipped', actor: input.actor, note: '全明細を出荷しました' });
  }
  await queueShipmentMail(tx, input.tenantId, shipment.id);
  return { shipmentId: shipment.id, orderShipped: complete };
}

/** Adds tracking numbers to a shipment (labels printed later, extra parcels). */
export async function addTrackingNumbers(tx: Tx, input: { tenantId: string; shipmentId: string; trackingNumbers: string[]; actor: OrderActor; notify?: boolean }): Promise<string[]> {
  const shipment = await tx.selectFrom('shipments').select(['id', 'order_id', 'tracking_numbers']).where('tenant_id', '=', input.tenantId).where('id', '=', input.shipmentId).executeTakeFirst();
  if (!shipment) throw new NotFoundError('出荷が見つかりません。');
  const added = input.trackingNumbers.filter((n) => !shipment.tracking_numbers.includes(n));
  if (!added.length) return [];
  await tx
    .updateTable('shipments')
    .set({ tracking_numbers: [...shipment.tracking_numbers, ...added] })
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', input.shipmentId)
    .execute();
  const order = await tx.selectFrom('orders').select('order_number').where('tenant_id', '=', input.tenantId).where('id', '=', shipment.order_id).executeTakeFirstOrThrow();
  await auditOrderAction(tx, input.actor, 'order.tracking_added', order.order_number, { shipmentId: input.shipmentId, added });
  if (input.notify !== false && shipment.tracking_numbers.length === 0) await queueShipmentMail(tx, input.tenantId, input.shipmentId);
  return added;
}

/**
 * 配達完了: every parcel of the order is marked delivered with the order. A COD order's money was
 * collected by the driver at the door: it is recorded as a payment then, so a later return can be
 * refunded against it.
 */
export async function markDelivered(tx: Tx, input: { tenantId: string; orderId: string; actor: OrderActor; deliveredAt?: Date }): Promise<void> {
  const result = await transitionOrder(tx, { tenantId: input.tenantId, orderId: input.orderId, to: 'delivered', actor: input.actor, note: '配達完了' });
  await tx
    .updateTable('shipments')
    .set({ delivered_at: input.deliveredAt ?? new Date() })
    .where('tenant_id', '=', input.tenantId)
    .where('order_id', '=', input.orderId)
    .where('delivered_at', 'is', null)
    .execute();
  if (result.changed) await recordCodCollection(tx, input.tenantId, input.orderId, input.actor);
}

async function recordCodCollection(tx: Tx, tenantId: string, orderId: string, actor: OrderActor): Promise<void> {
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'account_id', 'placed_by', 'payment_method', 'payment_status', 'total_incl_tax', 'is_synthetic'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  if (order.payment_method !== 'cod' || order.payment_status !== 'unpaid') return;
  await tx
    .insertInto('payments')
    .values({
      tenant_id: tenantId,
      order_id: order.id,
      account_id: order.account_id,
      user_id: order.placed_by,
      method: 'cod',
      status: 'succeeded',
      amount_yen: order.total_incl_tax,
      captured_yen: order.total_incl_tax,
      is_synthetic: order.is_synthetic,
    })
    .execute();
  await setPaymentStatus(tx, { tenantId, orderId, to: 'paid', actor, note: '代金引換: 配達時に代金を回収' });
}
