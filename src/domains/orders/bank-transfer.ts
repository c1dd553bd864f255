import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { createBankCalendar } from '../calendar/business-calendar.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import { unsafeAcrossTenants } from '../operator/across-tenants.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { type OrderActor, setPaymentStatus, transitionOrder } from './order-state.ts';
import type { ShopSettings } from './shop-settings.ts';

/**
 * 銀行振込（前払い）: each order gets a transfer reference the buyer types before their name, and
 * a due date counted in bank business days. Staff record the receipt (which confirms the order);
 * a daily job cancels orders still unpaid after the due date and gives their stock back.
 */

const bankCalendar = createBankCalendar();

/** Shop prefix + the order number's digits, e.g. AYA250100042: short enough for a 振込依頼人名. */
export function transferReference(shopSlug: string, orderNumber: string): string {
  const prefix = shopSlug.replace(/[^a-z0-9]/gi, '').slice(0, 3).toUpperCase().padEnd(3, 'X');
  return `${prefix}${orderNumber.replace(/\D/g, '')}`;
}

export function bankTransferDueDate(settings: Pick<ShopSettings, 'bankTransferDueBusinessDays'>, placedAt: Date): string {
  return bankCalendar.addBusinessDays(jstDateTime(placedAt).date, settings.bankTransferDueBusinessDays);
}

/**
 * Staff record that the transfer arrived: the payment becomes paid and a waiting order is
 * confirmed (through the state machine, audited for staff). Amounts must match the order.
 */
export async function markBankTransferReceived(
  tx: Tx,
  input: { tenantId: string; orderId: string; amountYen: number; receivedOn: string; actor: OrderActor; note?: string },
): Promise<void> {
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'account_id', 'placed_by', 'payment_method', 'payment_status', 'status', 'total_incl_tax', 'is_synthetic'])
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', input.orderId)
    .executeTakeFirst();
  if (!order) throw new NotFoundError('注文が見つかりません。');
  if (order.payment_method !== 'bank_transfer') throw new ConflictError('銀行振込の注文ではありません。');
  if (order.payment_status === 'paid') return;
  if (order.status === 'cancelled') throw new ConflictError('キャンセル済みの注文です。返金の手続きをしてください。');
  if (!Number.isInteger(input.amountYen) || input.amountYen !== order.total_incl_tax) {
    throw new ValidationError({ amountYen: `入金額が注文金額（${order.total_incl_tax.toLocaleString('ja-JP')}円）と一致しません。` });
  }
  await tx
    .insertInto('payments')
    .values({
      tenant_id: input.tenantId,
      order_id: order.id,
      account_id: order.account_id,
      user_id: order.placed_by,
      method: 'bank_transfer',
      status: 'succeeded',
      amount_yen: input.amountYen,
      captured_yen: input.amountYen,
      is_synthetic: order.is_synthetic,
    })
    .execute();
  await setPaymentStatus(tx, {
    tenantId: input.tenantId,
    orderId: order.id,
    to: 'paid',
    actor: input.actor,
    note: input.note ?? `銀行振込 入金確認（${input.receivedOn}）`,
  });
}

/** Orders whose transfer is overdue: due date passed by more than `graceBankDays` bank days. */
export function isTransferOverdue(dueDate: string, now: Date, graceBankDays = 1): boolean {
  return bankCalendar.addBusinessDays(dueDate, graceBankDays) < jstDateTime(now).date;
}

/**
 * Cancels this shop's unpaid bank-transfer orders past their due date (+ one bank day, so a
 * transfer made on the due date can still be recorded). Idempotent: a cancelled order is no
 * longer pending, and each cancellation releases its stock once.
 */
export async function cancelOverdueBankTransfers(tx: Tx, tenantId: string, now: Date = new Date(), graceBankDays = 1): Promise<string[]> {
  const candidates = await tx
    .selectFrom('orders')
    .select(['id', 'order_number', 'payment_due_date'])
    .where('tenant_id', '=', tenantId)
    .where('payment_method', '=', 'bank_transfer')
    .where('status', '=', 'pending_payment')
    .where('payment_status', 'in', ['unpaid', 'pending', 'failed'])
    .where('payment_due_date', '<', sql<string>`${jstDateTime(now).date}::date`)
    .orderBy('placed_at')
    .execute();
  const cancelled: string[] = [];
  for (const order of candidates) {
    if (!order.payment_due_date || !isTransferOverdue(String(order.payment_due_date), now, graceBankDays)) continue;
    const result = await transitionOrder(tx, {
      tenantId,
      orderId: order.id,
      to: 'cancelled',
      actor: { type: 'system', label: '銀行振込期限切れ' },
      note: `お支払期限（${order.payment_due_date}）までにご入金が確認できなかったため`,
    });
    if (result.changed) cancelled.push(order.order_number);
  }
  return cancelled;
}

export const BANK_TRANSFER_EXPIRY_JOB = 'orders.bank-transfer-expiry';
/** 10:00 JST daily: after the morning's bank statement has been reconciled. */
export const BANK_TRANSFER_EXPIRY_CRON = '0 1 * * *';

export async function runBankTransferExpiry(database: Database, now: Date = new Date()): Promise<Map<string, string[]>> {
  return unsafeAcrossTenants(
    database,
    { actor: { type: 'system', label: 'orders.bank-transfer-expiry' }, reason: '銀行振込の期限切れ注文の自動キャンセル', tenantIds: 'all' },
    (tenantId, tx) => cancelOverdueBankTransfers(tx, tenantId, now),
  );
}

/** Registers the daily expiry run and its worker (call once per process at boot). */
export async function registerBankTransferExpiryJob(queue: JobQueue, database: Database, log: Logger): Promise<void> {
  await queue.work(BANK_TRANSFER_EXPIRY_JOB, async () => {
    const result = await runBankTransferExpiry(database);
    const cancelled = [...result.values()].reduce((n, list) => n + list.length, 0);
    log.info({ job: BANK_TRANSFER_EXPIRY_JOB, cancelled }, 'overdue bank transfers cancelled');
  });
  await queue.schedule(BANK_TRANSFER_EXPIRY_JOB, BANK_TRANSFER_EXPIRY_CRON, {}, { tz: 'UTC' });
}
