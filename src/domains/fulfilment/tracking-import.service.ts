import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { OrderActor } from '../orders/order-state.ts';
import { parseTrackingCsv, type TrackingImportError, type TrackingRow } from '../shipping/carrier-csv/tracking-import.csv.ts';
import { auditOrderAction } from './order-actor-audit.ts';
import { addTrackingNumbers, recordShipment, remainingLines, shipmentProgress } from './shipment.service.ts';

/**
 * 送り状番号の取込: the file the carrier's software writes after printing labels. Every row is
 * checked against this shop's orders first; one bad row (unknown order, an order not ready to
 * ship, lot numbers still missing) and nothing is applied, with every problem listed by line.
 */

export interface TrackingImportOutcome {
  applied: boolean;
  encoding: 'utf-8' | 'cp932';
  errors: TrackingImportError[];
  /** Order number → tracking numbers added (when applied). */
  updated: Map<string, string[]>;
  shippedOrders: string[];
}

interface OrderTarget {
  id: string;
  orderNumber: string;
  status: string;
  needsShipment: boolean;
}

export async function importTrackingCsv(tx: Tx, input: { tenantId: string; file: Uint8Array; carrier?: 'yamato' | 'sagawa'; actor: OrderActor }): Promise<TrackingImportOutcome> {
  const parsed = parseTrackingCsv(input.file, input.carrier ? { carrier: input.carrier } : {});
  const errors: TrackingImportError[] = [...parsed.errors];
  const numbers = [...new Set(parsed.rows.map((r) => r.orderNumber))];
  const orders = numbers.length
    ? await tx.selectFrom('orders').select(['id', 'order_number', 'status']).where('tenant_id', '=', input.tenantId).where('order_number', 'in', numbers).execute()
    : [];
  const targets = new Map<string, OrderTarget>();
  for (const o of orders) {
    const progress = await shipmentProgress(tx, input.tenantId, o.id);
    const remaining = remainingLines(progress);
    targets.set(o.order_number, { id: o.id, orderNumber: o.order_number, status: o.status, needsShipment: remaining.length > 0 });
    if (remaining.length > 0 && ['confirmed', 'picking'].includes(o.status) && progress.some((p) => p.lotTracked && p.shipped < p.ordered)) {
      for (const row of parsed.rows.filter((r) => r.orderNumber === o.order_number)) {
        errors.push({ line: row.line, message: `注文番号 ${o.order_number} にはロット管理商品があります。注文詳細の出荷登録でロット番号を入力してください。` });
      }
    }
  }
  const seen = new Set<string>();
  for (const row of parsed.rows) {
    const target = targets.get(row.orderNumber);
    if (!target) {
      errors.push({ line: row.line, message: `注文番号 ${row.orderNumber} はこのショップの注文にありません。` });
      continue;
    }
    if (!['confirmed', 'picking', 'shipped', 'delivered'].includes(target.status) || (target.needsShipment && !['confirmed', 'picking'].includes(target.status))) {
      errors.push({ line: row.line, message: `注文番号 ${row.orderNumber} は出荷できる状態ではありません。` });
      continue;
    }
    const key = `${row.orderNumber}\u0000${row.trackingNumber}`;
    if (seen.has(key)) errors.push({ line: row.line, message: `伝票番号 ${row.trackingNumber} が同じ注文に重複しています。` });
    seen.add(key);
  }
  const outcome: TrackingImportOutcome = { applied: false, encoding: parsed.encoding, errors: errors.sort((a, b) => a.line - b.line), updated: new Map(), shippedOrders: [] };
  if (errors.length || parsed.rows.length === 0) {
    if (!errors.length) outcome.errors.push({ line: 0, message: '取り込む行がありません。' });
    return outcome;
  }

  const byOrder = new Map<string, TrackingRow[]>();
  for (const row of parsed.rows) byOrder.set(row.orderNumber, [...(byOrder.get(row.orderNumber) ?? []), row]);
  for (const [orderNumber, rows] of byOrder) {
    const target = targets.get(orderNumber)!;
    const trackingNumbers = rows.map((r) => r.trackingNumber);
    if (target.needsShipment) {
      const progress = await shipmentProgress(tx, input.tenantId, target.id);
      const result = await recordShipment(tx, { tenantId: input.tenantId, orderId: target.id, carrier: rows[0]!.carrier, trackingNumbers, lines: remainingLines(progress), actor: input.actor });
      if (result.orderShipped) outcome.shippedOrders.push(orderNumber);
      outcome.updated.set(orderNumber, trackingNumbers);
    } else {
      const latest = await tx.selectFrom('shipments').select('id').where('tenant_id', '=', input.tenantId).where('order_id', '=', target.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      outcome.updated.set(orderNumber, await addTrackingNumbers(tx, { tenantId: input.tenantId, shipmentId: latest.id, trackingNumbers, actor: input.actor }));
    }
  }
  await auditOrderAction(tx, input.actor, 'order.tracking_imported', '', { orders: [...outcome.updated.keys()], rows: parsed.rows.length, encoding: parsed.encoding });
  outcome.applied = true;
  return outcome;
}
