import { sql } from 'kysely';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { transitionOrder } from '../orders/order-state.ts';
import { applyProviderStatus, type PaymentDeps, type PaymentRow, PROVIDER_ACTOR, providerOf } from './card-payment.service.ts';
import { ProviderRejectedError, ProviderUnavailableError } from './payment-provider.ts';
import { loadProviderAccount } from './provider-account.service.ts';

/**
 * Settles card payments whose webhook never came (the process died, the endpoint was down, the
 * provider gave up): every open payment older than a short grace period is asked about at the
 * provider and applied like a webhook would be. Card orders left unpaid past the payment window
 * are given up: their provider session is closed first (so the buyer cannot pay it any more),
 * its final state is applied (a payment that made it in time still confirms the order), and
 * only then is the order cancelled, which releases its stock.
 */

export const RECONCILE_JOB = 'payments.reconcile';

export interface ReconcileOptions {
  /** A payment younger than this is left to its webhook. */
  graceSeconds?: number;
  /** A card order unpaid this long after placement is cancelled. */
  paymentWindowMinutes?: number;
}

export interface ReconcileReport {
  checked: number;
  settled: number;
  cancelledOrders: number;
  errors: number;
}

interface OpenPayment extends PaymentRow {
  order_status: string;
  placed_at: Date;
}

export async function reconcileCardPayments(deps: PaymentDeps, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const grace = options.graceSeconds ?? 120;
  const windowMinutes = options.paymentWindowMinutes ?? 90;
  const report: ReconcileReport = { checked: 0, settled: 0, cancelledOrders: 0, errors: 0 };
  const tenants = await withPlatform(deps.database, (tx) => tx.selectFrom('tenants').select('id').where('status', '!=', 'closed').execute());
  for (const { id: tenantId } of tenants) {
    const work = await withTenant(deps.database, tenantId, async (tx) => {
      const account = await loadProviderAccount(tx, tenantId);
      const { rows } = await sql<OpenPayment>`
        SELECT p.id, p.tenant_id, p.order_id, p.account_id, p.user_id, p.provider_session_id, p.provider_payment_id, p.status, p.amount_yen,
               o.status AS order_status, o.placed_at
          FROM payments p JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
         WHERE p.tenant_id = ${tenantId}::uuid AND p.method = 'card' AND p.provider_session_id IS NOT NULL
           AND p.status IN ('started', 'pending', 'failed')
           AND o.payment_status NOT IN ('paid', 'refunded', 'partially_refunded', 'cancelled')
           AND p.started_at < now() - make_interval(secs => ${grace})
         ORDER BY p.started_at`.execute(tx);
      const { rows: stale } = await sql<{ id: string }>`
        SELECT o.id FROM orders o
         WHERE o.tenant_id = ${tenantId}::uuid AND o.payment_method = 'card' AND o.status = 'pending_payment'
           AND o.payment_status IN ('unpaid', 'pending', 'failed')
           AND o.placed_at < now() - make_interval(mins => ${windowMinutes})`.execute(tx);
      return { account, payments: rows, staleOrders: new Set(stale.map((r) => r.id)) };
    });
    if (!work.account || (work.payments.length === 0 && work.staleOrders.size === 0)) continue;
    const provider = providerOf(deps, work.account);
    for (const payment of work.payments) {
      report.checked++;
      try {
        if (work.staleOrders.has(payment.order_id)) await provider.cancel({ sessionId: payment.provider_session_id });
        const status = await provider.fetchStatus({ sessionId: payment.provider_session_id, paymentId: payment.provider_payment_id });
        const applied = await withTenant(deps.database, tenantId, (tx) => applyProviderStatus(tx, tenantId, payment, status, deps.log));
        if (applied.kind === 'applied' && (status.outcome === 'succeeded' || status.outcome === 'authorized')) {
          report.settled++;
          work.staleOrders.delete(payment.order_id);
          deps.log.info({ event: 'payments.reconciled', tenantId, orderId: payment.order_id }, 'payment settled by reconciliation');
        }
      } catch (err) {
        if (!(err instanceof ProviderUnavailableError || err instanceof ProviderRejectedError)) throw err;
        report.errors++;
        // Without the provider's final word the order stays payable; the next run tries again.
        work.staleOrders.delete(payment.order_id);
        deps.log.warn({ event: 'payments.reconcile_failed', tenantId, paymentId: payment.id, err: err.message }, 'reconciliation could not reach the provider');
      }
    }
    for (const orderId of work.staleOrders) {
      const cancelled = await withTenant(deps.database, tenantId, async (tx) => {
        const order = await tx.selectFrom('orders').select(['status', 'payment_status']).where('tenant_id', '=', tenantId).where('id', '=', orderId).executeTakeFirst();
        if (order?.status !== 'pending_payment' || !['unpaid', 'pending', 'failed'].includes(order.payment_status)) return false;
        const result = await transitionOrder(tx, { tenantId, orderId, to: 'cancelled', actor: PROVIDER_ACTOR, note: 'お支払い期限を過ぎたため自動キャンセルしました' });
        return result.changed;
      });
      if (cancelled) report.cancelledOrders++;
    }
  }
  return report;
}

/** For the lead's boot wiring: the reconciliation every 5 minutes on the job queue (one process runs each tick). */
export async function startPaymentJobs(queue: JobQueue, deps: PaymentDeps, options: ReconcileOptions = {}): Promise<void> {
  await queue.work(RECONCILE_JOB, async () => {
    const report = await reconcileCardPayments(deps, options);
    if (report.checked || report.cancelledOrders) deps.log.info({ event: 'payments.reconcile_run', ...report }, 'card payment reconciliation');
  }, { retryLimit: 0, expireInSeconds: 240 });
  await queue.schedule(RECONCILE_JOB, '*/5 * * * *', {});
}
