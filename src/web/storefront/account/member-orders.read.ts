import { currentDocumentsOfOrder } from '../../../domains/invoicing/document-store.ts';
import { refundsOfOrder } from '../../../domains/returns/refund.service.ts';
import { returnableQuantities } from '../../../domains/returns/return.service.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';

/** A member's own orders. RLS already limits a salon session to its account; every query also says so. */

export async function listMemberOrders(tx: Tx, tenantId: string, accountId: string, page: number) {
  const rows = await tx
    .selectFrom('orders')
    .select(['id', 'order_number', 'status', 'payment_method', 'payment_status', 'total_incl_tax', 'placed_at', 'po_number'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('is_synthetic', '=', false)
    .orderBy('placed_at', 'desc')
    .limit(31)
    .offset((page - 1) * 30)
    .execute();
  return { rows: rows.slice(0, 30), hasMore: rows.length > 30 };
}

export type MemberOrderRow = Awaited<ReturnType<typeof listMemberOrders>>['rows'][number];

export async function loadMemberOrder(tx: Tx, tenantId: string, accountId: string, orderId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) return null;
  const order = await tx.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId).where('account_id', '=', accountId).where('id', '=', orderId).executeTakeFirst();
  if (!order) return null;
  const lines = await tx.selectFrom('order_lines').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('line_no').execute();
  const events = await tx.selectFrom('order_events').select(['id', 'kind', 'to_state', 'at']).where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('id').execute();
  const shipments = await tx.selectFrom('shipments').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('created_at').execute();
  const returns = await tx.selectFrom('returns').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('requested_at').execute();
  const documents = (await currentDocumentsOfOrder(tx, tenantId, orderId)).filter((d) => d.account_id === accountId);
  const returnable = order.status === 'delivered' ? await returnableQuantities(tx, tenantId, orderId) : new Map<number, number>();
  const refunds = await refundsOfOrder(tx, tenantId, orderId);
  return { order, lines, events, shipments, returns, documents, returnable, refunds };
}

export type MemberOrder = NonNullable<Awaited<ReturnType<typeof loadMemberOrder>>>;

export async function listMemberStatements(tx: Tx, tenantId: string, accountId: string) {
  return tx.selectFrom('statements').selectAll().where('tenant_id', '=', tenantId).where('account_id', '=', accountId).orderBy('period_end', 'desc').limit(36).execute();
}
