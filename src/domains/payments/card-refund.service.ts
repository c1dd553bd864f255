import type { Tx } from '../../platform/db/tenant-scope.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { ConflictError, ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../staff/staff-actor.ts';
import { applyProviderStatus, type PaymentDeps, type PaymentRow, providerOf } from './card-payment.service.ts';
import { ProviderRejectedError, ProviderUnavailableError } from './payment-provider.ts';
import { loadProviderAccount } from './provider-account.service.ts';

/**
 * Staff refund a card payment, in full or in part. The amount is checked against what was
 * captured and not yet refunded before the provider is asked (the provider checks again); the
 * provider call happens outside any transaction, keyed so a double submit refunds once, and
 * the result is applied like any provider report.
 */

export interface RefundRequest {
  tenantId: string;
  orderId: string;
  amountYen: number;
  reason: string;
  actor: StaffActor;
  /** Distinguishes two deliberate refunds of the same amount; a resubmitted form reuses it. */
  requestKey: string;
  /**
   * A repeat of an earlier attempt with the same requestKey whose outcome is unknown (crash,
   * timeout): the provider replays its answer for the key, so the local "refundable" check is
   * skipped (it may already count this very refund) and a fully refunded payment is accepted.
   */
  replay?: boolean;
  /** Runs in the transaction that records the provider's answer (e.g. to settle a return's refund row). */
  onApplied?: (tx: Tx, result: { refundId: string; refundedTotalYen: number }) => Promise<void>;
}

async function refundablePayment(tx: Tx, tenantId: string, orderId: string, replay: boolean) {
  return tx
    .selectFrom('payments')
    .select(['id', 'tenant_id', 'order_id', 'account_id', 'user_id', 'provider_session_id', 'provider_payment_id', 'status', 'amount_yen', 'captured_yen', 'refunded_yen'])
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('method', '=', 'card')
    .where('status', 'in', replay ? ['succeeded', 'partially_refunded', 'refunded'] : ['succeeded', 'partially_refunded'])
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
}

export async function refundCardPayment(deps: PaymentDeps, request: RefundRequest): Promise<{ refundedYen: number; remainingYen: number }> {
  if (!Number.isInteger(request.amountYen) || request.amountYen <= 0) throw new ValidationError({ amountYen: '返金額を1円以上の整数で入力してください。' });
  const reason = request.reason.trim();
  if (!reason || reason.length > 500) throw new ValidationError({ reason: '返金の理由を入力してください（500文字以内）。' });
  const found = await withTenant(deps.database, request.tenantId, async (tx) => ({
    payment: await refundablePayment(tx, request.tenantId, request.orderId, request.replay === true),
    account: await loadProviderAccount(tx, request.tenantId),
  }));
  if (!found.payment?.provider_payment_id || !found.account) throw new ConflictError('返金できるカード決済がありません。');
  const remaining = found.payment.captured_yen - found.payment.refunded_yen;
  if (!request.replay && request.amountYen > remaining) {
    throw new ValidationError({ amountYen: `返金額が返金可能額（${remaining.toLocaleString('ja-JP')}円）を超えています。` });
  }
  const provider = providerOf(deps, found.account);
  let refundId: string;
  try {
    ({ refundId } = await provider.refund(found.payment.provider_payment_id, request.amountYen, `oroshi-refund-${found.payment.id}-${request.requestKey}`.slice(0, 255)));
  } catch (err) {
    if (err instanceof ProviderRejectedError) throw new ConflictError(`決済サービスが返金を受け付けませんでした: ${err.message}`);
    if (err instanceof ProviderUnavailableError) throw new ConflictError('決済サービスに接続できませんでした。しばらくしてからもう一度お試しください。');
    throw err;
  }
  const status = await provider.fetchStatus({ sessionId: found.payment.provider_session_id, paymentId: found.payment.provider_payment_id });
  const payment = found.payment as PaymentRow;
  await withTenant(deps.database, request.tenantId, async (tx) => {
    await applyProviderStatus(tx, request.tenantId, payment, status, deps.log);
    await auditByStaff(tx, request.actor, {
      action: 'payments.refunded',
      resourceType: 'order',
      resourceId: request.orderId,
      result: 'success',
      reason,
      detail: { amountYen: request.amountYen, refundedTotalYen: status.refundedYen },
    });
    await request.onApplied?.(tx, { refundId, refundedTotalYen: status.refundedYen });
  });
  return { refundedYen: status.refundedYen, remainingYen: status.capturedYen - status.refundedYen };
}
