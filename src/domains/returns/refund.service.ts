import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { isIsoDate } from '../calendar/calendar-date.ts';
import { auditOrderAction } from '../fulfilment/order-actor-audit.ts';
import { type InvoiceOrderLine, type ReturnedQuantity, returnedInvoiceLines } from '../invoicing/order-invoice.ts';
import { bankAccountFields, fieldErrorsOf } from '../orders/bank-account.schema.ts';
import { type OrderActor, setPaymentStatus } from '../orders/order-state.ts';
import type { BankAccountSetting, PaymentMethod, RefundMethod, RefundStatus, RefundsTable } from '../orders/orders.tables.ts';
import type { PaymentDeps } from '../payments/card-payment.service.ts';
import { refundCardPayment } from '../payments/card-refund.service.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import type { StaffActor } from '../staff/staff-actor.ts';
import { returnInvoiceTax } from '../tax/invoice-tax.ts';

/**
 * What an approved return (or the cancellation of a paid order) gives back — decision record
 * 0008. One `refunds` row per decision, opened in the decision's own transaction:
 *
 * - card: refunded through the payment provider after the decision commits (no transaction is
 *   open during the provider call); every call for the row carries the row id as its idempotency
 *   key, so a retry after a crash or a timeout can never refund twice.
 * - bank transfer and COD: 返金待ち until staff transfer the money to the member's account and
 *   record the account and the day (返金済み).
 * - invoice terms (掛け払い): a credit the next monthly statement nets off, complete at once; the
 *   掛け払い ledger subtracts it (credit.ts).
 *
 * The amount of a return is the 返還インボイス's: returned goods at their unit price, tax once per
 * rate. Shipping and COD fees stay charged (a cancellation gives back everything paid). It never
 * exceeds what was paid and not yet refunded.
 */

export type Refund = Selectable<RefundsTable>;

export const REFUND_METHOD_LABELS: Readonly<Record<RefundMethod, string>> = {
  card: 'カードへ返金',
  bank_transfer: '銀行振込で返金',
  cod: '銀行振込で返金（代金引換のご注文）',
  statement_credit: '次回のご請求で相殺',
};

export function refundStatusLabel(refund: Pick<Refund, 'method' | 'status'>): string {
  if (refund.method === 'statement_credit') return '相殺済み（次回請求書に記載）';
  return ({ pending: '返金待ち', completed: '返金済み', failed: '返金エラー（再試行できます）' } as Record<RefundStatus, string>)[refund.status];
}

/** The 返還インボイス amount of returned quantities: goods at unit price, tax once per rate. */
export function returnCreditYen(lines: readonly InvoiceOrderLine[], returned: readonly ReturnedQuantity[]): number {
  if (returned.length === 0) return 0;
  return returnInvoiceTax(returnedInvoiceLines(lines, returned)).total;
}

function refundMethodOf(payment: PaymentMethod): RefundMethod {
  return payment === 'invoice' ? 'statement_credit' : payment;
}

const parseLines = (raw: unknown): ReturnedQuantity[] => (typeof raw === 'string' ? JSON.parse(raw) : (raw as ReturnedQuantity[]));

/**
 * Paid and not yet given back: what the payment records captured, less what they refunded, less
 * refunds already opened and not yet completed (their money is spoken for).
 */
export async function refundableBalance(tx: Tx, tenantId: string, orderId: string): Promise<number> {
  const { rows } = await sql<{ paid: string; open: string }>`
    SELECT
      (SELECT coalesce(sum(captured_yen - refunded_yen), 0) FROM payments
        WHERE tenant_id = ${tenantId}::uuid AND order_id = ${orderId}::uuid AND status IN ('succeeded', 'partially_refunded')) AS paid,
      (SELECT coalesce(sum(amount_yen), 0) FROM refunds
        WHERE tenant_id = ${tenantId}::uuid AND order_id = ${orderId}::uuid AND status <> 'completed' AND method <> 'statement_credit') AS open`.execute(tx);
  return Math.max(0, Number(rows[0]?.paid ?? 0) - Number(rows[0]?.open ?? 0));
}

async function orderOf(tx: Tx, tenantId: string, orderId: string) {
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'order_number', 'account_id', 'status', 'payment_method', 'payment_status', 'is_synthetic'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!order) throw new NotFoundError('注文が見つかりません。');
  return order;
}

async function insertRefund(tx: Tx, actor: OrderActor, orderNumber: string, row: Insertable<RefundsTable>): Promise<Refund> {
  const refund = await tx.insertInto('refunds').values(row).returningAll().executeTakeFirstOrThrow();
  await auditOrderAction(tx, actor, 'order.refund_opened', orderNumber, { refundId: refund.id, kind: refund.kind, method: refund.method, status: refund.status, amountYen: refund.amount_yen, returnId: refund.return_id });
  return refund;
}

/** The refund of an approved return, opened once (the same row on every later call); null when nothing is owed. */
export async function openReturnRefund(tx: Tx, input: { tenantId: string; returnId: string; actor: OrderActor }): Promise<Refund | null> {
  const existing = await tx.selectFrom('refunds').selectAll().where('tenant_id', '=', input.tenantId).where('return_id', '=', input.returnId).executeTakeFirst();
  if (existing) return existing;
  const ret = await tx.selectFrom('returns').selectAll().where('tenant_id', '=', input.tenantId).where('id', '=', input.returnId).executeTakeFirst();
  if (!ret) throw new NotFoundError('返品申請が見つかりません。');
  if (ret.kind !== 'return' || (ret.status !== 'approved' && ret.status !== 'completed')) throw new ConflictError('承認された返品にのみ返金できます。');
  const order = await orderOf(tx, input.tenantId, ret.order_id);
  if (order.is_synthetic) return null;
  const lines = await tx.selectFrom('order_lines').selectAll().where('tenant_id', '=', input.tenantId).where('order_id', '=', order.id).execute();
  const credit = returnCreditYen(lines, parseLines(ret.lines));
  const method = refundMethodOf(order.payment_method);
  // A credit reduces what the member owes; a refund gives back money actually received.
  const amount = method === 'statement_credit' ? credit : Math.min(credit, await refundableBalance(tx, input.tenantId, order.id));
  if (amount <= 0) return null;
  const completed = method === 'statement_credit';
  return insertRefund(tx, input.actor, order.order_number, {
    tenant_id: input.tenantId,
    order_id: order.id,
    account_id: order.account_id,
    kind: 'return',
    return_id: ret.id,
    method,
    status: completed ? 'completed' : 'pending',
    amount_yen: amount,
    reason: `返品: ${ret.reason}`.slice(0, 500),
    payee_bank: '{}',
    created_by: input.actor.type === 'staff' ? (input.actor.id ?? null) : null,
    completed_at: completed ? new Date() : null,
  });
}

/**
 * The refund of a cancelled order that was already paid (card captured, transfer received):
 * everything paid comes back. Invoice-terms and unpaid orders owe nothing. Once per order.
 */
export async function openCancellationRefund(tx: Tx, input: { tenantId: string; orderId: string; returnId?: string | null; actor: OrderActor }): Promise<Refund | null> {
  const existing = await tx.selectFrom('refunds').selectAll().where('tenant_id', '=', input.tenantId).where('order_id', '=', input.orderId).where('kind', '=', 'cancellation').executeTakeFirst();
  if (existing) return existing;
  const order = await orderOf(tx, input.tenantId, input.orderId);
  if (order.status !== 'cancelled') throw new ConflictError('キャンセルされた注文にのみ返金できます。');
  if (order.is_synthetic || order.payment_method === 'invoice') return null;
  const amount = await refundableBalance(tx, input.tenantId, order.id);
  if (amount <= 0) return null;
  return insertRefund(tx, input.actor, order.order_number, {
    tenant_id: input.tenantId,
    order_id: order.id,
    account_id: order.account_id,
    kind: 'cancellation',
    return_id: input.returnId ?? null,
    method: refundMethodOf(order.payment_method),
    status: 'pending',
    amount_yen: amount,
    reason: 'キャンセル',
    payee_bank: '{}',
    created_by: input.actor.type === 'staff' ? (input.actor.id ?? null) : null,
    completed_at: null,
  });
}

export async function refundsOfOrder(tx: Tx, tenantId: string, orderId: string): Promise<Refund[]> {
  return tx.selectFrom('refunds').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('created_at').execute();
}

async function lockRefund(tx: Tx, tenantId: string, refundId: string): Promise<Refund> {
  if (!/^[0-9a-f-]{36}$/i.test(refundId)) throw new NotFoundError('返金が見つかりません。');
  const { rows } = await sql<Refund>`SELECT * FROM refunds WHERE tenant_id = ${tenantId}::uuid AND id = ${refundId}::uuid FOR UPDATE`.execute(tx);
  if (!rows[0]) throw new NotFoundError('返金が見つかりません。');
  return rows[0];
}

/** Moves the order's payment status after money went back: all of it → 返金済み, part → 一部返金. */
async function settleOrderPaymentStatus(tx: Tx, tenantId: string, orderId: string, actor: OrderActor, note: string): Promise<void> {
  const { rows } = await sql<{ captured: string; refunded: string; status: string }>`
    SELECT coalesce(sum(p.captured_yen), 0) AS captured, coalesce(sum(p.refunded_yen), 0) AS refunded,
           (SELECT payment_status FROM orders WHERE tenant_id = ${tenantId}::uuid AND id = ${orderId}::uuid) AS status
      FROM payments p WHERE p.tenant_id = ${tenantId}::uuid AND p.order_id = ${orderId}::uuid AND p.status IN ('succeeded', 'partially_refunded', 'refunded')`.execute(tx);
  const captured = Number(rows[0]?.captured ?? 0);
  const refunded = Number(rows[0]?.refunded ?? 0);
  if (captured === 0 || refunded === 0) return;
  const to = refunded >= captured ? 'refunded' : 'partially_refunded';
  if (rows[0]?.status === 'refunded') return;
  await setPaymentStatus(tx, { tenantId, orderId, to, actor, note });
}

/** Books a manual refund against the order's bank-transfer or COD payment records. */
async function bookManualRefund(tx: Tx, refund: Refund): Promise<void> {
  const payments = await tx
    .selectFrom('payments')
    .select(['id', 'captured_yen', 'refunded_yen'])
    .where('tenant_id', '=', refund.tenant_id)
    .where('order_id', '=', refund.order_id)
    .where('method', '=', refund.method === 'cod' ? 'cod' : 'bank_transfer')
    .where('status', 'in', ['succeeded', 'partially_refunded'])
    .orderBy('started_at')
    .execute();
  let left = refund.amount_yen;
  for (const p of payments) {
    const take = Math.min(left, p.captured_yen - p.refunded_yen);
    if (take <= 0) continue;
    const refunded = p.refunded_yen + take;
    await tx
      .updateTable('payments')
      .set({ refunded_yen: refunded, status: refunded >= p.captured_yen ? 'refunded' : 'partially_refunded' })
      .where('tenant_id', '=', refund.tenant_id)
      .where('id', '=', p.id)
      .execute();
    left -= take;
    if (left === 0) break;
  }
}

const manualRefundSchema = z.object({
  ...bankAccountFields,
  paidOn: z.string({ error: '返金日を入力してください。' }).refine(isIsoDate, '返金日を正しく入力してください（例: 2025-03-31）。'),
  note: z
    .string()
    .optional()
    .default('')
    .transform((v) => v.normalize('NFKC').trim())
    .pipe(z.string().max(200, 'メモは200文字以内で入力してください。')),
});

export function parseManualRefundForm(form: Record<string, string | undefined>, today: string): { payee: BankAccountSetting; paidOn: string; note: string } {
  const parsed = manualRefundSchema.safeParse(form);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrorsOf(parsed.error);
  if (!errors.paidOn && isIsoDate(String(form.paidOn ?? '')) && String(form.paidOn) > today) errors.paidOn = '未来の日付は入力できません。';
  if (!parsed.success || Object.keys(errors).length) throw new ValidationError(errors);
  const { paidOn, note, ...payee } = parsed.data;
  return { payee, paidOn, note };
}

/** 返金済み: staff transferred a bank-transfer or COD refund to the member's account on `paidOn`. */
export async function completeManualRefund(tx: Tx, input: { tenantId: string; refundId: string; form: Record<string, string | undefined>; actor: OrderActor; today: string }): Promise<Refund> {
  const { payee, paidOn, note } = parseManualRefundForm(input.form, input.today);
  const refund = await lockRefund(tx, input.tenantId, input.refundId);
  if (refund.method !== 'bank_transfer' && refund.method !== 'cod') throw new ConflictError('この返金は振込で行うものではありません。');
  if (refund.status === 'completed') throw new ConflictError('この返金は記録済みです。');
  const done = await tx
    .updateTable('refunds')
    .set({ status: 'completed', payee_bank: JSON.stringify(payee), paid_on: paidOn, note, completed_at: new Date(), completed_by: input.actor.id ?? null, last_error: '' })
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', refund.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await bookManualRefund(tx, done);
  const order = await orderOf(tx, input.tenantId, refund.order_id);
  await settleOrderPaymentStatus(tx, input.tenantId, refund.order_id, input.actor, `返金 ${done.amount_yen.toLocaleString('ja-JP')}円（振込日 ${paidOn}）`);
  await auditOrderAction(tx, input.actor, 'order.refund_completed', order.order_number, {
    refundId: refund.id,
    method: refund.method,
    amountYen: refund.amount_yen,
    paidOn,
    // The account is recorded on the refund; the audit keeps only its last digits.
    payee: `${payee.bankName} ${payee.branchName} ${payee.accountType} ***${payee.accountNumber.slice(-3)}`,
  });
  return done;
}

export type CardRefundOutcome = { ok: true; refund: Refund } | { ok: false; refund: Refund; message: string };

/**
 * Sends a pending (or failed) card refund to the provider. Call with no transaction open. The
 * row's id keys every provider call, so a second click, a retry after a timeout or after a crash
 * between the provider's answer and our record replays the same refund instead of making another.
 */
export async function processCardRefund(deps: PaymentDeps, input: { tenantId: string; refundId: string; actor: StaffActor }): Promise<CardRefundOutcome> {
  const started = await withTenant(deps.database, input.tenantId, async (tx) => {
    const refund = await lockRefund(tx, input.tenantId, input.refundId);
    if (refund.method !== 'card') throw new ConflictError('カード決済の返金ではありません。');
    if (refund.status === 'completed') return { refund, done: true as const };
    const updated = await tx.updateTable('refunds').set({ attempts: refund.attempts + 1 }).where('tenant_id', '=', input.tenantId).where('id', '=', refund.id).returningAll().executeTakeFirstOrThrow();
    return { refund: updated, done: false as const };
  });
  if (started.done) return { ok: true, refund: started.refund };
  const refund = started.refund;
  let completed: Refund | undefined;
  try {
    await refundCardPayment(deps, {
      tenantId: input.tenantId,
      orderId: refund.order_id,
      amountYen: refund.amount_yen,
      reason: refund.reason || '返品',
      actor: input.actor,
      requestKey: refund.id,
      replay: refund.attempts > 1,
      onApplied: async (tx, result) => {
        completed = await tx
          .updateTable('refunds')
          .set({ status: 'completed', provider_refund_id: result.refundId, completed_at: new Date(), completed_by: input.actor.id, last_error: '' })
          .where('tenant_id', '=', input.tenantId)
          .where('id', '=', refund.id)
          .where('status', '<>', 'completed')
          .returningAll()
          .executeTakeFirst();
      },
    });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const message = err instanceof ValidationError ? (Object.values(err.fieldErrors)[0] ?? err.message) : err.message;
    const failed = await withTenant(deps.database, input.tenantId, async (tx) => {
      const row = await tx
        .updateTable('refunds')
        .set({ status: 'failed', last_error: message.slice(0, 500) })
        .where('tenant_id', '=', input.tenantId)
        .where('id', '=', refund.id)
        .where('status', '<>', 'completed')
        .returningAll()
        .executeTakeFirst();
      const order = await orderOf(tx, input.tenantId, refund.order_id);
      await auditOrderAction(tx, { type: 'staff', id: input.actor.id, label: input.actor.label, sourceIp: input.actor.sourceIp, requestId: input.actor.requestId }, 'order.refund_failed', order.order_number, { refundId: refund.id, attempt: refund.attempts }, message);
      return row ?? refund;
    });
    return { ok: false, refund: failed, message };
  }
  return { ok: true, refund: completed ?? refund };
}
