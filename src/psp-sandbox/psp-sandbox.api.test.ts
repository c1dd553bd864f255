import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PspSandbox } from './psp-sandbox.server.ts';
import { postCard, sessionParams, startSandbox, stripeFor } from './psp-sandbox.test-support.ts';

let sandbox: PspSandbox;
let stripe: Stripe;
let clock = Date.now();

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock });
  stripe = stripeFor(sandbox);
});
afterAll(() => sandbox.close());

async function paidSession(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  const session = await stripe.checkout.sessions.create(sessionParams(overrides));
  const answer = await postCard(session.url!, { number: '4242424242424242' });
  expect(answer.status).toBe(303);
  return { session, intentId: session.payment_intent as string };
}

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to be refused');
}

describe('checkout sessions through the official SDK', () => {
  it('creates a session with a hosted URL and an intent carrying the order data', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams({ payment_intent_data: { capture_method: 'manual', metadata: { order_id: 'o_9' } } }));
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.object).toBe('checkout.session');
    expect(session.amount_total).toBe(3200);
    expect(session.currency).toBe('jpy');
    expect(session.status).toBe('open');
    expect(session.client_reference_id).toBe('order_0001');
    expect(session.metadata).toEqual({ shop_name: 'テスト美容商材', order_id: 'order_0001' });
    expect(session.payment_method_options?.card?.request_three_d_secure).toBe('automatic');
    const intent = await stripe.paymentIntents.retrieve(session.payment_intent as string);
    expect(intent).toMatchObject({ status: 'requires_payment_method', amount: 3200, capture_method: 'manual', metadata: { order_id: 'o_9' } });
  });

  it('refuses bad parameters with the SDK typed error and the parameter name', async () => {
    const missing = await rejection(stripe.checkout.sessions.create({ mode: 'payment', success_url: 'http://shop.test/ok' }));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing.param).toBe('line_items');
    const tooSmall = await rejection(
      stripe.checkout.sessions.create(sessionParams({ line_items: [{ price_data: { currency: 'jpy', unit_amount: 10, product_data: { name: 'x' } }, quantity: 1 }] })),
    );
    expect(tooSmall.code).toBe('amount_too_small');
    const unknown = await rejection(stripe.checkout.sessions.create({ ...sessionParams(), allow_promotion_codes: true }));
    expect(unknown.message).toContain('allow_promotion_codes');
    const threeDS = await rejection(
      stripe.checkout.sessions.create(sessionParams({ payment_method_options: { card: { request_three_d_secure: 'sometimes' as 'any' } } })),
    );
    expect(threeDS.param).toBe('payment_method_options[card][request_three_d_secure]');
  });

  it('refuses keys that are not test secret keys', async () => {
    const error = await rejection(new Stripe('pk_test_12345678', { host: '127.0.0.1', port: sandbox.port, protocol: 'http' }).checkout.sessions.retrieve('cs_test_x'));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it("hides another account's objects behind resource_missing 404s", async () => {
    const { session, intentId } = await paidSession();
    const other = stripeFor(sandbox, 'sk_test_oroshi_shop_b');
    for (const attempt of [
      other.checkout.sessions.retrieve(session.id),
      other.checkout.sessions.expire(session.id),
      other.paymentIntents.retrieve(intentId),
      other.refunds.create({ payment_intent: intentId }),
    ]) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('resource_missing');
    }
    // The owner still sees it, untouched.
    expect((await stripe.paymentIntents.retrieve(intentId)).status).toBe('succeeded');
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses it with other parameters', async () => {
    const key = `order_0001-attempt-${Date.now()}`;
    const first = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: key });
    const second = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    const changed = await rejection(stripe.checkout.sessions.create(sessionParams({ client_reference_id: 'order_0002' }), { idempotencyKey: key }));
    expect(changed).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    // Keys are per account.
    const otherAccount = await stripeFor(sandbox, 'sk_test_oroshi_shop_b').checkout.sessions.create(sessionParams(), { idempotencyKey: key });
    expect(otherAccount.id).not.toBe(first.id);
  });

  it('expands payment_intent and payment_intent.latest_charge', async () => {
    const { session } = await paidSession();
    const expanded = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent', 'payment_intent.latest_charge'] });
    const intent = expanded.payment_intent as Stripe.PaymentIntent;
    const charge = intent.latest_charge as Stripe.Charge;
    expect(intent.object).toBe('payment_intent');
    expect(charge.object).toBe('charge');
    expect(charge.payment_method_details?.card?.last4).toBe('4242');
    const plain = await stripe.paymentIntents.retrieve(intent.id);
    expect(typeof plain.latest_charge).toBe('string');
    const viaIntent = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
    expect((viaIntent.latest_charge as Stripe.Charge).id).toBe(charge.id);
    const bad = await rejection(stripe.checkout.sessions.retrieve(session.id, { expand: ['customer_details'] }));
    expect(bad.message).toContain('cannot be expanded');
  });
});

describe('capture, cancel and refund', () => {
  it('captures part of a manual authorisation, once', async () => {
    const { session, intentId } = await paidSession({ payment_intent_data: { capture_method: 'manual' } });
    const authorised = await stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] });
    expect(authorised.status).toBe('requires_capture');
    expect(authorised.amount_capturable).toBe(3200);
    expect((authorised.latest_charge as Stripe.Charge).captured).toBe(false);
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe('unpaid');

    const tooMuch = await rejection(stripe.paymentIntents.capture(intentId, { amount_to_capture: 5000 }));
    expect(tooMuch.code).toBe('amount_too_large');
    const captured = await stripe.paymentIntents.capture(intentId, { amount_to_capture: 3000 });
    expect(captured.status).toBe('succeeded');
    expect(captured.amount_received).toBe(3000);
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe('paid');
    const twice = await rejection(stripe.paymentIntents.capture(intentId));
    expect(twice.code).toBe('payment_intent_unexpected_state');
    // Only what was captured can be refunded.
    const over = await rejection(stripe.refunds.create({ payment_intent: intentId, amount: 3001 }));
    expect(over.code).toBe('amount_too_large');
  });

  it('cancels an authorisation but not a session still open or a finished payment', async () => {
    const open = await stripe.checkout.sessions.create(sessionParams());
    const whileOpen = await rejection(stripe.paymentIntents.cancel(open.payment_intent as string));
    expect(whileOpen.code).toBe('payment_intent_unexpected_state');

    const { intentId } = await paidSession({ payment_intent_data: { capture_method: 'manual' } });
    const canceled = await stripe.paymentIntents.cancel(intentId, { cancellation_reason: 'requested_by_customer' });
    expect(canceled.status).toBe('canceled');
    expect(canceled.cancellation_reason).toBe('requested_by_customer');
    const charge = await stripe.charges.retrieve(canceled.latest_charge as string);
    expect(charge.refunded).toBe(true);

    const { intentId: succeeded } = await paidSession();
    const error = await rejection(stripe.paymentIntents.cancel(succeeded));
    expect(error.message).toContain('status of succeeded');
  });

  it('refunds in parts and refuses more than what is left', async () => {
    const { intentId } = await paidSession();
    const first = await stripe.refunds.create({ payment_intent: intentId, amount: 1200, reason: 'requested_by_customer', metadata: { return_id: 'r1' } });
    expect(first).toMatchObject({ object: 'refund', amount: 1200, status: 'succeeded', payment_intent: intentId, currency: 'jpy' });
    expect((await stripe.refunds.retrieve(first.id)).metadata).toEqual({ return_id: 'r1' });

    const over = await rejection(stripe.refunds.create({ payment_intent: intentId, amount: 2001 }));
    expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(over.code).toBe('amount_too_large');
    expect(over.message).toContain('2000');

    const rest = await stripe.refunds.create({ payment_intent: intentId });
    expect(rest.amount).toBe(2000);
    const charge = await stripe.charges.retrieve(first.charge as string);
    expect(charge).toMatchObject({ amount_refunded: 3200, refunded: true });
    const again = await rejection(stripe.refunds.create({ payment_intent: intentId, amount: 1 }));
    expect(again.code).toBe('charge_already_refunded');
  });

  it('refuses to refund a payment that never succeeded', async () => {
    const open = await stripe.checkout.sessions.create(sessionParams());
    const error = await rejection(stripe.refunds.create({ payment_intent: open.payment_intent as string }));
    expect(error.code).toBe('charge_not_refundable');
  });
});

describe('expiry and events', () => {
  it('expires a session on request and cancels its intent', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired.status).toBe('expired');
    expect(expired.url).toBeNull();
    expect((await stripe.paymentIntents.retrieve(session.payment_intent as string)).status).toBe('canceled');
    const again = await rejection(stripe.checkout.sessions.expire(session.id));
    expect(again.message).toContain('status of "expired"');
  });

  it('expires sessions once expires_at has passed', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams({ expires_at: Math.floor(clock / 1000) + 1800 }));
    expect(sandbox.expireDueSessions()).toBe(0);
    clock += 1801 * 1000;
    expect(sandbox.expireDueSessions()).toBeGreaterThanOrEqual(1);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('expired');
    const tooSoon = await rejection(stripe.checkout.sessions.create(sessionParams({ expires_at: Math.floor(clock / 1000) + 60 })));
    expect(tooSoon.param).toBe('expires_at');
  });

  it('lists and retrieves events for the account only, newest first', async () => {
    const { session } = await paidSession();
    const completed = await stripe.events.list({ type: 'checkout.session.completed', limit: 100 });
    const mine = completed.data.find((e) => (e.data.object as Stripe.Checkout.Session).id === session.id);
    expect(mine).toBeDefined();
    expect(completed.data.every((e) => e.type === 'checkout.session.completed')).toBe(true);
    const created = completed.data.map((e) => e.created);
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    expect((await stripe.events.retrieve(mine!.id)).type).toBe('checkout.session.completed');
    const other = await stripeFor(sandbox, 'sk_test_oroshi_shop_c').events.list();
    expect(other.data).toEqual([]);
    const page = await stripe.events.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    const next = await stripe.events.list({ limit: 2, starting_after: page.data[1]!.id });
    expect(next.data[0]!.id).not.toBe(page.data[0]!.id);
  });
});
