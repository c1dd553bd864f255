import { sql } from 'kysely';
import { shipmentProgress } from '../../../domains/fulfilment/shipment.service.ts';
import { currentDocumentsOfOrder } from '../../../domains/invoicing/document-store.ts';
import { ORDER_STATUS_LABELS, PAYMENT_STATUS_LABELS } from '../../../domains/orders/order-state.ts';
import type { OrderPaymentStatus, OrderStatus } from '../../../domains/orders/orders.tables.ts';
import { refundsOfOrder } from '../../../domains/returns/refund.service.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';

/** The console's order queries: list with filters (bounded, paged) and one order with everything around it. */

export const PAGE_SIZE = 50;

export interface OrderFilter {
  status?: string;
  payment?: string;
  from?: string;
  to?: string;
  member?: string;
  po?: string;
  q?: string;
  page?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function cleanFilter(query: Record<string, unknown>): OrderFilter {
  const s = (k: string, max = 100) => (typeof query[k] === 'string' ? (query[k] as string).normalize('NFKC').trim().slice(0, max) : '');
  const status = s('status');
  const payment = s('payment');
  const page = Number(s('page')) || 1;
  return {
    status: status in ORDER_STATUS_LABELS ? status : undefined,
    payment: payment in PAYMENT_STATUS_LABELS ? payment : undefined,
    from: DATE.test(s('from')) ? s('from') : undefined,
    to: DATE.test(s('to')) ? s('to') : undefined,
    member: s('member') || undefined,
    po: s('po', 50) || undefined,
    q: s('q') || undefined,
    page: Math.min(Math.max(1, Math.floor(page)), 1000),
  };
}

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listOrders(tx: Tx, tenantId: string, filter: OrderFilter) {
  let query = tx
    .selectFrom('orders as o')
    .innerJoin('salon_accounts as a', 'a.id', 'o.account_id')
    .where('o.tenant_id', '=', tenantId)
    .where('o.is_synthetic', '=', false);
  if (filter.status) query = query.where('o.status', '=', filter.status as OrderStatus);
  if (filter.payment) query = query.where('o.payment_status', '=', filter.payment as OrderPaymentStatus);
  if (filter.from) query = query.where(sql<string>`(o.placed_at AT TIME ZONE 'Asia/Tokyo')::date`, '>=', sql<string>`${filter.from}::date`);
  if (filter.to) query = query.where(sql<string>`(o.placed_at AT TIME ZONE 'Asia/Tokyo')::date`, '<=', sql<string>`${filter.to}::date`);
  if (filter.member) {
    const like = `%${escapeLike(filter.member)}%`;
    query = query.where((eb) => eb.or([eb('a.company_name', 'ilike', like), eb('a.salon_name', 'ilike', like)]));
  }
  if (filter.po) query = query.where('o.po_number', 'ilike', `%${escapeLike(filter.po)}%`);
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    query = query.where((eb) => eb.or([eb('o.order_number', 'ilike', like), eb('o.po_number', 'ilike', like), eb('o.recipient_name', 'ilike', like), eb('a.salon_name', 'ilike', like)]));
  }
  const total = Number((await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n);
  const rows = await query
    .select(['o.id', 'o.order_number', 'o.status', 'o.payment_method', 'o.payment_status', 'o.total_incl_tax', 'o.placed_at', 'o.po_number', 'o.delivery_date', 'a.salon_name', 'a.company_name'])
    .orderBy('o.placed_at', 'desc')
    .limit(PAGE_SIZE)
    .offset(((filter.page ?? 1) - 1) * PAGE_SIZE)
    .execute();
  return { rows, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export type OrderListRow = Awaited<ReturnType<typeof listOrders>>['rows'][number];

export async function loadOrderDetail(tx: Tx, tenantId: string, orderId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) return null;
  const order = await tx.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', orderId).executeTakeFirst();
  if (!order) return null;
  const account = await tx.selectFrom('salon_accounts').select(['company_name', 'salon_name', 'phone']).where('id', '=', order.account_id).executeTakeFirstOrThrow();
  const lines = await tx.selectFrom('order_lines').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('line_no').execute();
  const progress = await shipmentProgress(tx, tenantId, orderId);
  const shipments = await tx.selectFrom('shipments').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('created_at').execute();
  const shipmentLines = await tx.selectFrom('shipment_lines').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).execute();
  const payments = await tx.selectFrom('payments').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('started_at').execute();
  const events = await tx.selectFrom('order_events').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('id').execute();
  const returns = await tx.selectFrom('returns').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('requested_at').execute();
  const documents = await currentDocumentsOfOrder(tx, tenantId, orderId);
  const refunds = await refundsOfOrder(tx, tenantId, orderId);
  return { order, account, lines, progress, shipments, shipmentLines, payments, events, returns, documents, refunds };
}

export type OrderDetail = NonNullable<Awaited<ReturnType<typeof loadOrderDetail>>>;
