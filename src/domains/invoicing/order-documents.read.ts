import type { Selectable } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import type { OrderLinesTable, OrdersTable } from '../orders/orders.tables.ts';
import { loadShopSettings, type ShopSettings } from '../orders/shop-settings.ts';
import { NotFoundError } from '../shared/domain-error.ts';
import type { BuyerAccount } from './order-invoice.ts';

/** What every order document (invoice, 返還インボイス, 納品書) is drawn from, read in one scope. */
export interface OrderDocumentSource {
  order: Selectable<OrdersTable>;
  lines: Selectable<OrderLinesTable>[];
  account: BuyerAccount;
  settings: ShopSettings;
  /** JST date the first parcel left, or null before shipment. */
  firstShippedOn: string | null;
}

export async function loadOrderDocumentSource(tx: Tx, tenantId: string, orderId: string): Promise<OrderDocumentSource> {
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) throw new NotFoundError('注文が見つかりません。');
  const order = await tx.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', orderId).executeTakeFirst();
  if (!order) throw new NotFoundError('注文が見つかりません。');
  const lines = await tx.selectFrom('order_lines').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('line_no').execute();
  const account = await tx
    .selectFrom('salon_accounts')
    .select(['company_name', 'salon_name', 'postal_code', 'prefecture', 'city', 'address_line1', 'address_line2'])
    .where('id', '=', order.account_id)
    .executeTakeFirstOrThrow();
  const shipped = await tx
    .selectFrom('shipments')
    .select('shipped_at')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('shipped_at', 'is not', null)
    .orderBy('shipped_at')
    .executeTakeFirst();
  return {
    order,
    lines,
    account,
    settings: await loadShopSettings(tx, tenantId),
    firstShippedOn: shipped?.shipped_at ? jstDateTime(new Date(shipped.shipped_at)).date : null,
  };
}

export function transactionDateOf(source: Pick<OrderDocumentSource, 'order' | 'firstShippedOn'>): string {
  return source.firstShippedOn ?? jstDateTime(new Date(source.order.placed_at)).date;
}
