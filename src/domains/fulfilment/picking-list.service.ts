import type { Tx } from '../../platform/db/tenant-scope.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import { deliveryDateLabel } from '../orders/order-format.ts';
import type { PickingListModel, PickingOrder } from './picking-list.pdf.ts';
import { remainingLines, shipmentProgress } from './shipment.service.ts';

/**
 * The picking list for orders ready to ship (or the chosen ones): what is still to ship of each
 * line, with the variant's current 棚番 (the list sorts by it). It is a working sheet, not an issued document, so it is drawn fresh every time.
 */
export async function loadPickingList(tx: Tx, tenantId: string, orderIds: readonly string[] | null, now: Date = new Date()): Promise<PickingListModel> {
  let query = tx
    .selectFrom('orders as o')
    .innerJoin('salon_accounts as a', 'a.id', 'o.account_id')
    .select(['o.id', 'o.order_number', 'o.delivery_date', 'a.salon_name', 'o.recipient_name'])
    .where('o.tenant_id', '=', tenantId)
    .where('o.status', 'in', ['confirmed', 'picking'])
    .where('o.is_synthetic', '=', false);
  if (orderIds) query = query.where('o.id', 'in', orderIds.length ? orderIds : ['00000000-0000-0000-0000-000000000000']);
  const orders = await query.orderBy('o.placed_at').limit(500).execute();
  const picking: PickingOrder[] = [];
  for (const o of orders) {
    const remaining = new Map(remainingLines(await shipmentProgress(tx, tenantId, o.id)).map((l) => [l.lineNo, l.quantity]));
    const lines = await tx
      .selectFrom('order_lines as l')
      .leftJoin('product_variants as v', (j) => j.onRef('v.tenant_id', '=', 'l.tenant_id').onRef('v.id', '=', 'l.variant_id'))
      .select(['l.line_no', 'l.sku', 'l.jan_code', 'l.name', 'l.capacity', 'v.shelf_location'])
      .where('l.tenant_id', '=', tenantId)
      .where('l.order_id', '=', o.id)
      .orderBy('l.line_no')
      .execute();
    picking.push({
      orderNumber: o.order_number,
      customerName: o.salon_name,
      deliveryDate: o.delivery_date ? String(o.delivery_date).slice(0, 10) : undefined,
      shippingMethod: o.delivery_date ? `指定日 ${deliveryDateLabel(String(o.delivery_date).slice(0, 10))}` : undefined,
      lines: lines
        .filter((l) => (remaining.get(l.line_no) ?? 0) > 0)
        .map((l) => ({ sku: l.sku, janCode: l.jan_code ?? undefined, name: `${l.name}${l.capacity ? ` ${l.capacity}` : ''}`, location: l.shelf_location ?? '', quantity: remaining.get(l.line_no)! })),
    });
  }
  const date = jstDateTime(now).date;
  return { listNumber: `PL-${date.replace(/-/g, '')}-${String(now.getTime()).slice(-5)}`, pickingDate: date, orders: picking.filter((o) => o.lines.length) };
}
