import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { ConflictError, NotFoundError } from '../shared/domain-error.ts';
import { queueOrderCancelledMail } from './order-mail.ts';
import { releaseOrderStock } from './order-stock.ts';
import type { OrderPaymentStatus, OrderStatus } from './orders.tables.ts';

/**
 * The one place an order's status or payment status changes. Every change is checked against
 * the tables below, written to order_events with its actor, and audited when staff or an
 * operator made it. Cancellation gives the stock back here, so no path can cancel and forget.
 */

export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['confirmed', 'cancelled'],
  confirmed: ['picking', 'cancelled'],
  picking: ['shipped'],
  shipped: ['delivered', 'return_requested'],
  delivered: ['return_requested'],
  // A refused return puts the order back where the goods are: with the buyer.
  return_requested: ['returned', 'delivered'],
  cancelled: [],
  returned: [],
};

export const PAYMENT_TRANSITIONS: Readonly<Record<OrderPaymentStatus, readonly OrderPaymentStatus[]>> = {
  unpaid: ['pending', 'authorized', 'paid', 'failed', 'cancelled'],
  pending: ['authorized', 'paid', 'failed', 'cancelled'],
  authorized: ['paid', 'failed', 'cancelled'],
  // A failed attempt may be retried.
  failed: ['pending', 'authorized', 'paid', 'cancelled'],
  paid: ['partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  cancelled: [],
  refunded: [],
};

export const ORDER_STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  pending_payment: 'お支払い待ち',
  confirmed: '受注確定',
  picking: '出荷準備中',
  shipped: '出荷済み',
  delivered: '配達完了',
  cancelled: 'キャンセル',
  return_requested: '返品申請中',
  returned: '返品完了',
};

export const PAYMENT_STATUS_LABELS: Readonly<Record<OrderPaymentStatus, string>> = {
  unpaid: '未入金',
  pending: '処理中',
  authorized: 'オーソリ済み',
  paid: '入金済み',
  failed: '決済失敗',
  cancelled: '取消',
  refunded: '返金済み',
  partially_refunded: '一部返金',
};

export interface OrderActor {
  type: 'salon_user' | 'staff' | 'operator' | 'system' | 'provider';
  id?: string | null;
  /** Shown in the audit log (e.g. the staff member's name). */
  label?: string;
  sourceIp?: string;
  requestId?: string;
}

export interface TransitionInput {
  tenantId: string;
  orderId: string;
  to: OrderStatus;
  actor: OrderActor;
  note?: string;
  /** Cancellation mails the buyer unless false (e.g. a caller that sends its own notice). */
  notify?: boolean;
}

export interface TransitionResult<S extends string = OrderStatus> {
  changed: boolean;
  from: S;
  to: S;
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export function canSetPayment(from: OrderPaymentStatus, to: OrderPaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

async function lockOrder(tx: Tx, tenantId: string, orderId: string) {
  const { rows } = await sql<{ id: string; order_number: string; status: OrderStatus; payment_status: OrderPaymentStatus; is_synthetic: boolean }>`
    SELECT id, order_number, status, payment_status, is_synthetic FROM orders
     WHERE tenant_id = ${tenantId}::uuid AND id = ${orderId}::uuid FOR UPDATE`.execute(tx);
  const order = rows[0];
  if (!order) throw new NotFoundError('注文が見つかりません。');
  return order;
}

async function record(tx: Tx, input: { tenantId: string; orderId: string; orderNumber: string; kind: 'status' | 'payment'; from: string; to: string; actor: OrderActor; note: string }) {
  await tx
    .insertInto('order_events')
    .values({
      tenant_id: input.tenantId,
      order_id: input.orderId,
      kind: input.kind,
      from_state: input.from,
      to_state: input.to,
      actor_type: input.actor.type,
      actor_id: input.actor.id ?? null,
      note: input.note.slice(0, 1000),
    })
    .execute();
  if (input.actor.type === 'staff' || input.actor.type === 'operator') {
    await appendAudit(tx, {
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      actorLabel: input.actor.label ?? '',
      action: input.kind === 'status' ? 'order.status_changed' : 'order.payment_status_changed',
      resourceType: 'order',
      resourceId: input.orderNumber,
      result: 'success',
      sourceIp: input.actor.sourceIp,
      requestId: input.actor.requestId,
      reason: input.note,
      detail: { orderId: input.orderId, from: input.from, to: input.to },
    });
  }
}

/** Moves an order to `to`; the same state again is a no-op (webhooks and retries repeat). */
export async function transitionOrder(tx: Tx, input: TransitionInput): Promise<TransitionResult> {
  const order = await lockOrder(tx, input.tenantId, input.orderId);
  const note = input.note ?? '';
  if (order.status === input.to) return { changed: false, from: order.status, to: order.status };
  if (!canTransition(order.status, input.to)) {
    throw new ConflictError(`この注文は「${ORDER_STATUS_LABELS[order.status]}」のため、「${ORDER_STATUS_LABELS[input.to]}」にはできません。`);
  }
  const set: Record<string, unknown> = { status: input.to };
  if (input.to === 'confirmed') set.confirmed_at = sql`now()`;
  if (input.to === 'cancelled') {
    set.cancelled_at = sql`now()`;
    set.cancel_reason = note.slice(0, 500);
  }
  await tx.updateTable('orders').set(set).where('tenant_id', '=', input.tenantId).where('id', '=', input.orderId).execute();
  await record(tx, { tenantId: input.tenantId, orderId: input.orderId, orderNumber: order.order_number, kind: 'status', from: order.status, to: input.to, actor: input.actor, note });

  if (input.to === 'cancelled') {
    if (!order.is_synthetic) await releaseOrderStock(tx, input.tenantId, input.orderId);
    if (canSetPayment(order.payment_status, 'cancelled')) {
      await setPaymentStatus(tx, { tenantId: input.tenantId, orderId: input.orderId, to: 'cancelled', actor: input.actor, note });
    }
    if (input.notify !== false) await queueOrderCancelledMail(tx, input.tenantId, input.orderId);
  }
  return { changed: true, from: order.status, to: input.to };
}

export interface PaymentStatusInput {
  tenantId: string;
  orderId: string;
  to: OrderPaymentStatus;
  actor: OrderActor;
  note?: string;
}

/**
 * Sets the order's payment status. A payment that becomes authorized or paid confirms an order
 * still waiting for it (card after 3-D Secure, bank transfer on receipt). Repeating the current
 * status is a no-op, except another partial refund.
 */
export async function setPaymentStatus(tx: Tx, input: PaymentStatusInput): Promise<TransitionResult<OrderPaymentStatus> & { orderConfirmed: boolean }> {
  const order = await lockOrder(tx, input.tenantId, input.orderId);
  const note = input.note ?? '';
  if (order.payment_status === input.to && input.to !== 'partially_refunded') {
    return { changed: false, from: order.payment_status, to: order.payment_status, orderConfirmed: false };
  }
  if (!canSetPayment(order.payment_status, input.to)) {
    throw new ConflictError(`お支払い状況が「${PAYMENT_STATUS_LABELS[order.payment_status]}」のため、「${PAYMENT_STATUS_LABELS[input.to]}」にはできません。`);
  }
  await tx.updateTable('orders').set({ payment_status: input.to }).where('tenant_id', '=', input.tenantId).where('id', '=', input.orderId).execute();
  await record(tx, { tenantId: input.tenantId, orderId: input.orderId, orderNumber: order.order_number, kind: 'payment', from: order.payment_status, to: input.to, actor: input.actor, note });
  let orderConfirmed = false;
  if ((input.to === 'paid' || input.to === 'authorized') && order.status === 'pending_payment') {
    await transitionOrder(tx, { tenantId: input.tenantId, orderId: input.orderId, to: 'confirmed', actor: input.actor, note: note || 'お支払いを確認しました' });
    orderConfirmed = true;
  }
  return { changed: true, from: order.payment_status, to: input.to, orderConfirmed };
}
