import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Database } from '../../platform/db/database.ts';
import { type ScopeIdentity, type Tx, withIdentity } from '../../platform/db/tenant-scope.ts';
import { type OrderActor, setPaymentStatus } from '../orders/order-state.ts';
import type { OrderPaymentStatus, PaymentAttemptStatus } from '../orders/orders.tables.ts';
import { cardKillState } from './card-kill-switch.service.ts';
import { type PaymentProvider, type ProviderFailedAttempt, type ProviderPaymentStatus, ProviderRejectedError, ProviderUnavailableError } from './payment-provider.ts';
import { loadProviderAccount, type ProviderAccount, type ProviderOptions, providerFor } from './provider-account.service.ts';

/**
 * A card payment for an order, from the buyer's click to the settled order. Provider calls never
 * happen inside a database transaction: each step is (1) a short transaction that decides and
 * records, (2) the provider call, (3) a short transaction that records what the provider said.
 * Whatever the provider reports — on the return page, in a webhook, or to the reconciliation
 * job — goes through applyProviderStatus, which is idempotent and moves the order only through
 * the orders state machine.
 */

export interface PaymentDeps {
  database: Database;
  box: SecretBox;
  log: Logger;
  providerOptions?: ProviderOptions;
  /** Tests may swap the adapter; production always uses providerFor. */
  providerFactory?: (account: ProviderAccount, box: SecretBox, options?: ProviderOptions) => PaymentProvider;
}

export const PROVIDER_ACTOR: OrderActor = { type: 'provider', label: 'payment-provider' };

export function providerOf(deps: PaymentDeps, account: ProviderAccount): PaymentProvider {
  return (deps.providerFactory ?? providerFor)(account, deps.box, deps.providerOptions);
}

export interface PaymentRow {
  id: string;
  tenant_id: string;
  order_id: string;
  account_id: string;
  user_id: string | null;
  provider_session_id: string | null;
  provider_payment_id: string | null;
  status: PaymentAttemptStatus;
  amount_yen: number;
}

const PAYMENT_COLUMNS = ['id', 'tenant_id', 'order_id', 'account_id', 'user_id', 'provider_session_id', 'provider_payment_id', 'status', 'amount_yen'] as const;

export interface PayableOrder {
  id: string;
  orderNumber: string;
  accountId: string;
  status: string;
  paymentMethod: string;
  paymentStatus: OrderPaymentStatus;
  totalInclTax: number;
  isSynthetic: boolean;
}

export async function loadOrderForPayment(tx: Tx, tenantId: string, orderId: string): Promise<PayableOrder | undefined> {
  const row = await tx
    .selectFrom('orders')
    .select(['id', 'order_number', 'account_id', 'status', 'payment_method', 'payment_status', 'total_incl_tax', 'is_synthetic'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    orderNumber: row.order_number,
    accountId: row.account_id,
    status: row.status,
    paymentMethod: row.payment_method,
    paymentStatus: row.payment_status,
    totalInclTax: row.total_incl_tax,
    isSynthetic: row.is_synthetic,
  };
}

/** A card order still waiting for its money: the only state a payment may start from. */
export function isPayable(order: PayableOrder): boolean {
  return order.paymentMethod === 'card' && order.status === 'pending_payment' && ['unpaid', 'pending', 'failed'].includes(order.paymentStatus);
}

function attemptStatusOf(status: ProviderPaymentStatus): PaymentAttemptStatus {
  switch (status.outcome) {
    case 'succeeded':
      if (status.refundedYen > 0) return status.refundedYen >= status.capturedYen ? 'refunded' : 'partially_refunded';
      return 'succeeded';
    case 'authorized':
      return 'authorized';
    case 'failed':
      return 'failed';
    case 'expired':
      return 'abandoned';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'pending';
  }
}

export type SettleResult = { kind: 'applied'; orderPaymentStatus: OrderPaymentStatus; orderConfirmed: boolean } | { kind: 'mismatch' } | { kind: 'unknown_payment' };

/**
 * Records what the provider reports about one payment and moves the order accordingly. Safe to
 * run any number of times and in any order: a success is never undone by a late failure, and
 * the same success twice confirms the order once.
 */
export async function applyProviderStatus(tx: Tx, tenantId: string, payment: PaymentRow, status: ProviderPaymentStatus, log?: Logger): Promise<SettleResult> {
  if (status.orderId && status.orderId !== payment.order_id) {
    log?.error({ event: 'security.payment_order_mismatch', tenantId, paymentId: payment.id }, 'provider reports a different order for this payment');
    return { kind: 'mismatch' };
  }
  const attempt = attemptStatusOf(status);
  const { rows } = await sql<{ status: PaymentAttemptStatus; refunded_yen: number }>`
    SELECT status, refunded_yen FROM payments WHERE tenant_id = ${tenantId}::uuid AND id = ${payment.id}::uuid FOR UPDATE`.execute(tx);
  const before = rows[0]?.status;
  if (!before) return { kind: 'unknown_payment' };
  const refundGrew = status.refundedYen > Number(rows[0]!.refunded_yen);
  const settled = ['succeeded', 'authorized', 'refunded', 'partially_refunded'].includes(before);
  // Once money moved, only refund progress may change the row; a late "failed"/"pending" never does.
  const next: PaymentAttemptStatus = settled && !['succeeded', 'authorized', 'refunded', 'partially_refunded'].includes(attempt) ? before : attempt;
  await tx
    .updateTable('payments')
    .set({
      status: next,
      provider_payment_id: status.paymentId ?? payment.provider_payment_id,
      captured_yen: status.capturedYen,
      refunded_yen: status.refundedYen,
      ...(status.card ? { card_brand: status.card.brand.slice(0, 40), card_last4: /^\d{4}$/.test(status.card.last4) ? status.card.last4 : null } : {}),
      ...(status.threeDSecure ? { three_d_secure: status.threeDSecure.slice(0, 40) } : {}),
      ...(next === 'failed' ? { failure_code: (status.failureCode ?? 'failed').slice(0, 80) } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', payment.id)
    .execute();

  const order = await loadOrderForPayment(tx, tenantId, payment.order_id);
  if (!order) return { kind: 'unknown_payment' };
  let target: OrderPaymentStatus | null = null;
  if (next === 'succeeded') target = 'paid';
  else if (next === 'authorized') target = 'authorized';
  else if (next === 'refunded') target = 'refunded';
  else if (next === 'partially_refunded') target = 'partially_refunded';
  else if (next === 'failed' && ['unpaid', 'pending'].includes(order.paymentStatus)) target = 'failed';

  if (target === 'paid' && order.status === 'cancelled') {
    // Paid after the order was given up (timeout raced the buyer): staff must refund; never revive silently.
    log?.error({ event: 'payments.paid_after_cancel', tenantId, orderId: order.id, paymentId: payment.id }, 'payment succeeded for a cancelled order: refund needed');
    return { kind: 'applied', orderPaymentStatus: order.paymentStatus, orderConfirmed: false };
  }
  if (!target || (target === order.paymentStatus && !(target === 'partially_refunded' && refundGrew))) return { kind: 'applied', orderPaymentStatus: order.paymentStatus, orderConfirmed: false };
  // paid → partially_refunded → refunded; anything already further along stays.
  const rank: Record<OrderPaymentStatus, number> = { unpaid: 0, failed: 1, pending: 1, cancelled: 1, authorized: 2, paid: 3, partially_refunded: 4, refunded: 5 };
  if (rank[target] < rank[order.paymentStatus]) return { kind: 'applied', orderPaymentStatus: order.paymentStatus, orderConfirmed: false };
  if (target === 'paid' && order.paymentStatus === 'cancelled') return { kind: 'applied', orderPaymentStatus: order.paymentStatus, orderConfirmed: false };
  const result = await setPaymentStatus(tx, {
    tenantId,
    orderId: order.id,
    to: target,
    actor: PROVIDER_ACTOR,
    note: paymentNote(next, status),
  });
  return { kind: 'applied', orderPaymentStatus: target, orderConfirmed: result.orderConfirmed };
}

function paymentNote(status: PaymentAttemptStatus, provider: ProviderPaymentStatus): string {
  const card = provider.card ? `${provider.card.brand} ****${provider.card.last4}` : '';
  switch (status) {
    case 'succeeded':
      return `カード決済が完了しました ${card}`.trim();
    case 'authorized':
      return `カードのオーソリが完了しました ${card}`.trim();
    case 'failed':
      return `カード決済に失敗しました（${provider.failureCode ?? '不明'}）`;
    case 'refunded':
      return 'カード決済を全額返金しました';
    case 'partially_refunded':
      return `カード決済を一部返金しました（返金累計 ${provider.refundedYen}円）`;
    default:
      return '';
  }
}

/**
 * A failed attempt reported by the provider (a declined charge, a failed 3-D Secure) gets its
 * own row, so the incident scope sees every card tried: brand, last four, time, outcome.
 */
export async function recordFailedAttempt(tx: Tx, tenantId: string, session: PaymentRow, attempt: ProviderFailedAttempt): Promise<boolean> {
  if (attempt.chargeId) {
    const exists = await tx
      .selectFrom('payments')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('provider', '=', 'stripe')
      .where('provider_payment_id', '=', attempt.chargeId)
      .executeTakeFirst();
    if (exists) {
      if (attempt.card) {
        await tx.updateTable('payments').set({ card_brand: attempt.card.brand.slice(0, 40), card_last4: attempt.card.last4 }).where('tenant_id', '=', tenantId).where('id', '=', exists.id).execute();
      }
      return false;
    }
  }
  await tx
    .insertInto('payments')
    .values({
      tenant_id: tenantId,
      order_id: session.order_id,
      account_id: session.account_id,
      user_id: session.user_id,
      method: 'card',
      provider: 'stripe',
      // The session's row alone carries the session id; this row is linked by order.
      provider_session_id: null,
      provider_payment_id: attempt.chargeId,
      status: 'failed',
      amount_yen: attempt.amountYen || session.amount_yen,
      card_brand: attempt.card?.brand.slice(0, 40) ?? null,
      card_last4: attempt.card && /^\d{4}$/.test(attempt.card.last4) ? attempt.card.last4 : null,
      failure_code: attempt.failureCode.slice(0, 80),
    })
    .execute();
  return true;
}

export async function findPaymentBySession(tx: Tx, tenantId: string, sessionId: string): Promise<PaymentRow | undefined> {
  // Failed-attempt rows carry no session id, so the session's own row is the only match.
  return tx.selectFrom('payments').select(PAYMENT_COLUMNS).where('tenant_id', '=', tenantId).where('provider_session_id', '=', sessionId).orderBy('started_at').executeTakeFirst();
}

/** The row that tracks a provider payment (the session's row, not a failed charge's). */
export async function findPaymentByProviderRef(tx: Tx, tenantId: string, ref: { sessionId?: string | null; paymentId?: string | null }): Promise<PaymentRow | undefined> {
  if (ref.sessionId) {
    const bySession = await findPaymentBySession(tx, tenantId, ref.sessionId);
    if (bySession) return bySession;
  }
  if (ref.paymentId) {
    return tx.selectFrom('payments').select(PAYMENT_COLUMNS).where('tenant_id', '=', tenantId).where('provider', '=', 'stripe').where('provider_payment_id', '=', ref.paymentId).executeTakeFirst();
  }
  return undefined;
}

/** The open provider sessions of an order (an order has one at a time; older ones are closed). */
export async function openPaymentsOfOrder(tx: Tx, tenantId: string, orderId: string): Promise<PaymentRow[]> {
  return tx
    .selectFrom('payments')
    .select(PAYMENT_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('method', '=', 'card')
    .where('provider_session_id', 'is not', null)
    .where('status', 'in', ['started', 'pending', 'failed', 'authorized', 'succeeded'])
    .orderBy('started_at')
    .execute();
}

export type StartPaymentResult =
  | { kind: 'redirect'; url: string; origin: string }
  | { kind: 'already_paid' }
  | { kind: 'not_payable'; message: string }
  | { kind: 'card_stopped'; message: string }
  | { kind: 'unavailable'; message: string }
  | { kind: 'refused'; message: string };

export interface StartCardPaymentInput {
  identity: ScopeIdentity & { tenantId: string; accountId: string; principalId: string };
  orderId: string;
  shopName: string;
  customerEmail?: string;
  clientIp: string;
  /** Absolute URLs back to the shop; the return URL gets ?session_id={CHECKOUT_SESSION_ID}. */
  successUrl: string;
  cancelUrl: string;
  now?: Date;
}

export const PROVIDER_DOWN_MESSAGE = '決済サービスに接続できませんでした。ご注文はお支払い待ちのまま保存されています。しばらくしてからもう一度お試しいただくか、ご注文をキャンセルしてください。';

function inScope<T>(deps: PaymentDeps, input: StartCardPaymentInput, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withIdentity(deps.database, { ...input.identity, audience: input.identity.audience ?? 'salon' }, fn);
}

/**
 * The buyer pressed "カードで支払う": open a hosted payment session at the provider and say where
 * to send the buyer. The redirect target must be on the account's hosted-page origin; anything
 * else is refused and logged as critical (a tampered provider response or setting).
 */
export async function startCardPayment(deps: PaymentDeps, input: StartCardPaymentInput): Promise<StartPaymentResult> {
  const { tenantId } = input.identity;
  const prepared = await inScope(deps, input, async (tx) => {
    const order = await loadOrderForPayment(tx, tenantId, input.orderId);
    if (!order || order.accountId !== input.identity.accountId) return { kind: 'not_payable' as const, message: 'ご注文が見つかりません。' };
    if (order.paymentStatus === 'paid' || order.paymentStatus === 'authorized') return { kind: 'already_paid' as const };
    if (!isPayable(order)) return { kind: 'not_payable' as const, message: 'このご注文はカードでお支払いいただける状態ではありません。' };
    const kill = await cardKillState(tx, tenantId);
    if (kill.engaged) return { kind: 'card_stopped' as const, message: 'ただいまカード決済を一時停止しています。' };
    const account = await loadProviderAccount(tx, tenantId);
    if (!account) return { kind: 'card_stopped' as const, message: 'このショップではカード決済の準備ができていません。' };
    const previous = await openPaymentsOfOrder(tx, tenantId, order.id);
    return { kind: 'ok' as const, order, account, previous };
  });
  if (prepared.kind !== 'ok') return prepared;
  const provider = providerOf(deps, prepared.account);

  try {
    // Close what an earlier click opened, so one order can never be paid twice; if one was in fact paid, settle it.
    for (const payment of prepared.previous) {
      const status = await provider.fetchStatus({ sessionId: payment.provider_session_id });
      if (status.outcome === 'succeeded' || status.outcome === 'authorized') {
        await inScope(deps, input, (tx) => applyProviderStatus(tx, tenantId, payment, status, deps.log));
        return { kind: 'already_paid' };
      }
      if (status.outcome === 'open' || status.outcome === 'failed' || status.outcome === 'processing') await provider.cancel({ sessionId: payment.provider_session_id });
      const closed = await provider.fetchStatus({ sessionId: payment.provider_session_id });
      await inScope(deps, input, (tx) => applyProviderStatus(tx, tenantId, payment, closed, deps.log));
      if (closed.outcome === 'succeeded' || closed.outcome === 'authorized') return { kind: 'already_paid' };
    }
  } catch (err) {
    if (err instanceof ProviderUnavailableError || err instanceof ProviderRejectedError) {
      deps.log.warn({ event: 'payments.provider_unavailable', tenantId, orderId: input.orderId, err: err.message }, 'provider unavailable while closing an earlier session');
      return { kind: 'unavailable', message: PROVIDER_DOWN_MESSAGE };
    }
    throw err;
  }

  const { order, account } = prepared;
  const attempt = await inScope(deps, input, (tx) =>
    tx
      .insertInto('payments')
      .values({
        tenant_id: tenantId,
        order_id: order.id,
        account_id: order.accountId,
        user_id: input.identity.principalId,
        method: 'card',
        provider: 'stripe',
        status: 'started',
        amount_yen: order.totalInclTax,
        client_ip: input.clientIp.slice(0, 64),
        is_synthetic: order.isSynthetic,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );

  const fail = (code: string) =>
    inScope(deps, input, (tx) => tx.updateTable('payments').set({ status: 'failed', failure_code: code }).where('tenant_id', '=', tenantId).where('id', '=', attempt.id).execute());

  let started: Awaited<ReturnType<PaymentProvider['startPayment']>>;
  try {
    started = await provider.startPayment({
      orderId: order.id,
      orderNumber: order.orderNumber,
      tenantId,
      amountYen: order.totalInclTax,
      description: `${input.shopName} ご注文 ${order.orderNumber}`.slice(0, 200),
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
      customerEmail: input.customerEmail,
      captureMethod: account.capture_method,
      idempotencyKey: `oroshi-payment-${attempt.id}`,
      expiresAt: Math.floor((input.now ?? new Date()).getTime() / 1000) + 60 * 60,
    });
  } catch (err) {
    if (err instanceof ProviderUnavailableError) {
      deps.log.warn({ event: 'payments.provider_unavailable', tenantId, orderId: order.id, err: err.message }, 'provider unavailable: payment not started');
      await fail('provider_unavailable');
      return { kind: 'unavailable', message: PROVIDER_DOWN_MESSAGE };
    }
    if (err instanceof ProviderRejectedError) {
      deps.log.error({ event: 'payments.provider_rejected', tenantId, orderId: order.id, code: err.code, err: err.message }, 'provider refused to start the payment');
      await fail('provider_rejected');
      return { kind: 'unavailable', message: '決済を開始できませんでした。ショップにお問い合わせいただくか、他のお支払い方法をご利用ください。' };
    }
    throw err;
  }

  let target: URL | null = null;
  try {
    target = new URL(started.redirectUrl);
  } catch {
    target = null;
  }
  if (!target || target.origin !== provider.hostedPageOrigin || !/^https?:$/.test(target.protocol)) {
    deps.log.fatal(
      { event: 'security.psp_redirect_mismatch', tenantId, orderId: order.id, expectedOrigin: provider.hostedPageOrigin, receivedOrigin: target?.origin ?? 'invalid' },
      'payment redirect target is not the provider hosted-page origin: refused',
    );
    await fail('redirect_origin_mismatch');
    await provider.cancel({ sessionId: started.sessionId }).catch(() => undefined);
    return { kind: 'refused', message: '決済ページへの移動を安全のため中止しました。ショップにお問い合わせください。' };
  }

  await inScope(deps, input, async (tx) => {
    await tx
      .updateTable('payments')
      .set({ status: 'pending', provider_session_id: started.sessionId, provider_payment_id: started.paymentId })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', attempt.id)
      .execute();
    const current = await loadOrderForPayment(tx, tenantId, order.id);
    if (current && (current.paymentStatus === 'unpaid' || current.paymentStatus === 'failed')) {
      await setPaymentStatus(tx, { tenantId, orderId: order.id, to: 'pending', actor: { type: 'salon_user', id: input.identity.principalId }, note: 'カード決済ページへ移動' });
    }
  });
  return { kind: 'redirect', url: target.toString(), origin: target.origin };
}

export type ReturnResult = { kind: 'settled'; outcome: ProviderPaymentStatus['outcome']; orderNumber: string } | { kind: 'mismatch' } | { kind: 'unavailable' };

/**
 * The buyer is back from the hosted page with a session id. The session must belong to THIS
 * order and THIS buyer (RLS shows the salon only its own rows); a session id of another order
 * changes nothing. The outcome is what the provider says, never what the URL says.
 */
export async function handleCardReturn(deps: PaymentDeps, input: { identity: StartCardPaymentInput['identity']; orderId: string; sessionId: string }): Promise<ReturnResult> {
  const { tenantId } = input.identity;
  if (!/^[A-Za-z0-9_]{8,255}$/.test(input.sessionId)) return { kind: 'mismatch' };
  const found = await withIdentity(deps.database, { ...input.identity, audience: 'salon' }, async (tx) => {
    const payment = await findPaymentBySession(tx, tenantId, input.sessionId);
    const order = payment ? await loadOrderForPayment(tx, tenantId, payment.order_id) : undefined;
    const account = await loadProviderAccount(tx, tenantId);
    return { payment, order, account };
  });
  if (!found.payment || !found.order || !found.account || found.payment.order_id !== input.orderId || found.order.accountId !== input.identity.accountId) {
    deps.log.warn({ event: 'payments.return_mismatch', tenantId, orderId: input.orderId }, 'return with a session of another order: ignored');
    return { kind: 'mismatch' };
  }
  let status: ProviderPaymentStatus;
  try {
    status = await providerOf(deps, found.account).handleReturn(input.sessionId);
  } catch (err) {
    if (err instanceof ProviderUnavailableError || err instanceof ProviderRejectedError) return { kind: 'unavailable' };
    throw err;
  }
  const payment = found.payment;
  const applied = await withIdentity(deps.database, { ...input.identity, audience: 'salon' }, (tx) => applyProviderStatus(tx, tenantId, payment, status, deps.log));
  if (applied.kind === 'mismatch') return { kind: 'mismatch' };
  return { kind: 'settled', outcome: status.outcome, orderNumber: found.order.orderNumber };
}
