import { sql } from 'kysely';
import { type Tx, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { applyProviderStatus, findPaymentByProviderRef, type PaymentDeps, providerOf, recordFailedAttempt } from './card-payment.service.ts';
import { noteFailedCardAttempt } from './card-testing.guard.ts';
import { type ProviderEvent, type ProviderPaymentStatus, WebhookRejectedError } from './payment-provider.ts';
import { loadProviderAccount, webhookSecretOf } from './provider-account.service.ts';

/**
 * Provider webhooks for one shop (POST /hooks/psp/:shop on the platform origin). The signature
 * and its age are checked with the provider's SDK against the shop's own signing secret. Each
 * event is applied once: its id goes into webhook_events in the same transaction as its effect,
 * so a retry or a concurrent duplicate waits on that row and then finds it. An event is only a
 * nudge: the payment's current state is asked from the provider (outside any transaction) and
 * applied through applyProviderStatus, so events arriving out of order, late or twice can never
 * walk an order backwards or confirm it twice.
 */

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

export async function tenantIdForSlug(deps: Pick<PaymentDeps, 'database'>, slug: string): Promise<string | null> {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(slug)) return null;
  const row = await withPlatform(deps.database, (tx) => tx.selectFrom('tenants').select(['id', 'status']).where('slug', '=', slug).executeTakeFirst());
  return row && row.status !== 'closed' ? row.id : null;
}

/** Verifies a delivery; throws WebhookRejectedError (→ 400) for anything not signed by this shop's provider. */
export async function verifyShopWebhook(deps: PaymentDeps, slug: string, rawBody: string, signature: string | undefined): Promise<{ tenantId: string; event: ProviderEvent }> {
  const tenantId = await tenantIdForSlug(deps, slug);
  if (!tenantId) throw new WebhookRejectedError('unknown_shop', 'no such shop');
  const account = await withTenant(deps.database, tenantId, (tx) => loadProviderAccount(tx, tenantId));
  const secret = account ? webhookSecretOf(account, deps.box) : null;
  if (!account || !secret) throw new WebhookRejectedError('unknown_shop', 'the shop has no webhook secret');
  const event = providerOf(deps, account).verifyWebhook(rawBody, signature, secret);
  return { tenantId, event };
}

/** Inserts the event's id; false when it was already there (a provider retry), throws on a replay. */
async function claimEvent(tx: Tx, tenantId: string, event: ProviderEvent): Promise<boolean> {
  const signedAt = new Date(event.signedAt * 1000);
  const inserted = await tx
    .insertInto('webhook_events')
    .values({ tenant_id: tenantId, provider: 'stripe', event_id: event.id.slice(0, 255), event_type: event.type.slice(0, 100), provider_created_at: event.createdAt, last_signature_at: signedAt })
    .onConflict((oc) => oc.columns(['tenant_id', 'provider', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  if (inserted) return true;
  const { rows } = await sql<{ last_signature_at: Date | null }>`
    SELECT last_signature_at FROM webhook_events
     WHERE tenant_id = ${tenantId}::uuid AND provider = 'stripe' AND event_id = ${event.id} FOR UPDATE`.execute(tx);
  const last = rows[0]?.last_signature_at ? new Date(rows[0].last_signature_at).getTime() : 0;
  if (signedAt.getTime() <= last) throw new WebhookRejectedError('replayed', 'this signed request was already received');
  await tx.updateTable('webhook_events').set({ last_signature_at: signedAt }).where('tenant_id', '=', tenantId).where('provider', '=', 'stripe').where('event_id', '=', event.id).execute();
  return false;
}

async function finishEvent(tx: Tx, tenantId: string, eventId: string, outcome: string) {
  await tx.updateTable('webhook_events').set({ processed_at: new Date(), outcome: outcome.slice(0, 200) }).where('tenant_id', '=', tenantId).where('provider', '=', 'stripe').where('event_id', '=', eventId).execute();
}

/** Applies a verified event. Throws ProviderUnavailableError when the provider cannot be asked (→ 503, the provider retries). */
export async function applyWebhookEvent(deps: PaymentDeps, tenantId: string, event: ProviderEvent): Promise<WebhookOutcome> {
  const known = await withTenant(deps.database, tenantId, async (tx) => {
    const seen = await tx.selectFrom('webhook_events').select('processed_at').where('tenant_id', '=', tenantId).where('provider', '=', 'stripe').where('event_id', '=', event.id).executeTakeFirst();
    const payment = await findPaymentByProviderRef(tx, tenantId, { sessionId: event.sessionId, paymentId: event.paymentId });
    const account = await loadProviderAccount(tx, tenantId);
    return { seen: Boolean(seen?.processed_at), payment, account };
  });
  // Ask the provider only for events that are new and about a payment we know.
  let status: ProviderPaymentStatus | null = null;
  if (!known.seen && known.payment && known.account) {
    status = await providerOf(deps, known.account).fetchStatus({ sessionId: known.payment.provider_session_id, paymentId: known.payment.provider_payment_id });
  }
  let failedNewAttempt = false;
  const outcome = await withTenant(deps.database, tenantId, async (tx) => {
    if (!(await claimEvent(tx, tenantId, event))) return 'duplicate' as const;
    const payment = known.payment;
    if (!payment || !status) {
      await finishEvent(tx, tenantId, event.id, 'ignored: no matching payment');
      return 'ignored' as const;
    }
    if (event.orderId && event.orderId !== payment.order_id) {
      deps.log.error({ event: 'security.webhook_order_mismatch', tenantId, eventId: event.id }, 'webhook names another order than its payment');
      await finishEvent(tx, tenantId, event.id, 'ignored: order mismatch');
      return 'ignored' as const;
    }
    if (event.failedAttempt) failedNewAttempt = await recordFailedAttempt(tx, tenantId, payment, event.failedAttempt);
    const applied = await applyProviderStatus(tx, tenantId, payment, status, deps.log);
    await finishEvent(tx, tenantId, event.id, applied.kind === 'applied' ? `${status.outcome} → ${applied.orderPaymentStatus}` : applied.kind);
    return 'applied' as const;
  });
  if (failedNewAttempt) await noteFailedCardAttempt(deps, tenantId);
  return outcome;
}
