import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import type { PspSandbox } from './psp-sandbox.server.ts';
import { postCard, sessionParams, startReceiver, startSandbox, stripeFor } from './psp-sandbox.test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setUp(options: { failFirst?: number; enabledEvents?: Stripe.WebhookEndpointCreateParams.EnabledEvent[] } = {}) {
  const receiver = await startReceiver(options.failFirst ?? 0);
  const sandbox: PspSandbox = await startSandbox();
  cleanups.push(receiver.close, sandbox.close);
  const stripe = stripeFor(sandbox);
  const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: options.enabledEvents ?? ['*'] });
  return { receiver, sandbox, stripe, endpoint, secret: endpoint.secret! };
}

function verified(stripe: Stripe, body: string, signature: string, secret: string): Stripe.Event {
  return stripe.webhooks.constructEvent(body, signature, secret);
}

describe('webhooks', () => {
  it('creates an endpoint whose secret is shown once', async () => {
    const { stripe, endpoint } = await setUp();
    expect(endpoint.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(endpoint.status).toBe('enabled');
    const again = await stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(again.secret).toBeUndefined();
    expect(again.url).toBe(endpoint.url);
  });

  it('delivers signed events that constructEvent accepts', async () => {
    const { receiver, sandbox, stripe, secret } = await setUp();
    const session = await stripe.checkout.sessions.create(sessionParams());
    await postCard(session.url!, { number: '4242424242424242' });
    await sandbox.webhooksIdle();

    const events = receiver.received.map((r) => verified(stripe, r.body, r.headers['stripe-signature'] as string, secret));
    // Like Stripe, deliveries run concurrently and their order is not guaranteed.
    expect(events.map((e) => e.type).sort()).toEqual(['charge.succeeded', 'checkout.session.completed', 'payment_intent.succeeded']);
    const completed = events.find((e) => e.type === 'checkout.session.completed') as Stripe.CheckoutSessionCompletedEvent;
    expect(completed.data.object.id).toBe(session.id);
    expect(completed.data.object.payment_status).toBe('paid');
    expect(completed.data.object.client_reference_id).toBe('order_0001');
    expect(receiver.received[0]!.headers['user-agent']).toContain('Stripe/1.0');

    // A changed payload or the wrong secret fails verification.
    const first = receiver.received[0]!;
    expect(() => verified(stripe, first.body.replace('"livemode": false', '"livemode": true'), first.headers['stripe-signature'] as string, secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => verified(stripe, first.body, first.headers['stripe-signature'] as string, 'whsec_wrong')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('retries after a 500 with backoff until the receiver accepts', async () => {
    const { receiver, sandbox, stripe, secret } = await setUp({ failFirst: 2, enabledEvents: ['checkout.session.completed'] });
    const session = await stripe.checkout.sessions.create(sessionParams());
    await postCard(session.url!, { number: '4242424242424242' });
    await sandbox.webhooksIdle();

    expect(receiver.statuses).toEqual([500, 500, 200]);
    const attempts = sandbox.webhookAttempts();
    expect(attempts.map((a) => [a.attempt, a.status, a.delivered])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    // 20 ms, then 40 ms between attempts (the test policy; production starts at 1 s).
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(15);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(35);
    const event = verified(stripe, receiver.received[0]!.body, receiver.received[0]!.headers['stripe-signature'] as string, secret);
    expect(event.type).toBe('checkout.session.completed');
    expect((await stripe.events.retrieve(event.id)).pending_webhooks).toBe(0);
  });

  it('gives up after the last attempt when the receiver is unreachable', async () => {
    const sandbox = await startSandbox();
    cleanups.push(sandbox.close);
    const stripe = stripeFor(sandbox);
    await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/unreachable', enabled_events: ['checkout.session.completed'] });
    const session = await stripe.checkout.sessions.create(sessionParams());
    await postCard(session.url!, { number: '4242424242424242' });
    await sandbox.webhooksIdle();
    const attempts = sandbox.webhookAttempts();
    expect(attempts).toHaveLength(4);
    expect(attempts.every((a) => !a.delivered && a.status === null && a.error)).toBe(true);
    const [event] = (await stripe.events.list({ type: 'checkout.session.completed' })).data;
    expect(event!.pending_webhooks).toBe(1);
  });

  it('sends only the events an endpoint enabled: failures, expiry, cancellation and refunds', async () => {
    const { receiver, sandbox, stripe, secret } = await setUp({
      enabledEvents: ['payment_intent.payment_failed', 'checkout.session.expired', 'payment_intent.canceled', 'charge.refunded'],
    });
    const declined = await stripe.checkout.sessions.create(sessionParams());
    await postCard(declined.url!, { number: '4000000000000002' });
    await stripe.checkout.sessions.expire(declined.id);

    const paid = await stripe.checkout.sessions.create(sessionParams());
    await postCard(paid.url!, { number: '4242424242424242' });
    await stripe.refunds.create({ payment_intent: paid.payment_intent as string, amount: 1000 });
    await sandbox.webhooksIdle();

    const events = receiver.received.map((r) => verified(stripe, r.body, r.headers['stripe-signature'] as string, secret));
    expect(events.map((e) => e.type).sort()).toEqual(['charge.refunded', 'checkout.session.expired', 'payment_intent.canceled', 'payment_intent.payment_failed']);
    const failed = events.find((e) => e.type === 'payment_intent.payment_failed') as Stripe.PaymentIntentPaymentFailedEvent;
    expect(failed.data.object.last_payment_error?.decline_code).toBe('generic_decline');
    const refunded = events.find((e) => e.type === 'charge.refunded') as Stripe.ChargeRefundedEvent;
    expect(refunded.data.object.amount_refunded).toBe(1000);
    expect(refunded.request?.id).toMatch(/^req_/);
  });

  it("never sends one account's events to another account's endpoint", async () => {
    const { receiver, sandbox } = await setUp();
    const other = stripeFor(sandbox, 'sk_test_oroshi_shop_b');
    const session = await other.checkout.sessions.create(sessionParams());
    await postCard(session.url!, { number: '4242424242424242' });
    await sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(0);
  });
});
