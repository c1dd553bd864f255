import type Stripe from 'stripe';
import { invalidRequest, unexpectedState } from './api-error.model.ts';
import type { FormObject } from './form-body.parse.ts';
import { enumParam, integerParam, rejectUnknownParams } from './request-params.read.ts';
import { nowSeconds, type SandboxContext } from './sandbox.context.ts';
import type { EventRequestInfo } from './sandbox-event.build.ts';

const CANCELABLE: readonly string[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];

export function findPaymentIntent(ctx: SandboxContext, account: string, id: string): Stripe.PaymentIntent {
  return ctx.store.owned(ctx.store.data.paymentIntents, account, id, 'payment_intent', 'intent').object;
}

function latestCharge(ctx: SandboxContext, intent: Stripe.PaymentIntent): Stripe.Charge | undefined {
  const id = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
  return id ? ctx.store.data.charges.get(id)?.object : undefined;
}

export function capturePaymentIntent(
  ctx: SandboxContext,
  account: string,
  id: string,
  body: FormObject,
  request: EventRequestInfo,
): Stripe.PaymentIntent {
  rejectUnknownParams(body, ['amount_to_capture', 'metadata', 'expand']);
  const intent = findPaymentIntent(ctx, account, id);
  if (intent.status !== 'requires_capture') {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    );
  }
  const amount = integerParam(body['amount_to_capture'], 'amount_to_capture') ?? intent.amount_capturable;
  if (amount <= 0) throw invalidRequest('amount_to_capture must be a positive integer', 'amount_to_capture');
  if (amount > intent.amount_capturable) {
    throw invalidRequest(
      `The amount_to_capture (¥${amount}) is greater than the amount capturable on this PaymentIntent (¥${intent.amount_capturable}).`,
      'amount_to_capture',
      'amount_too_large',
    );
  }
  const charge = latestCharge(ctx, intent)!;
  charge.captured = true;
  charge.amount_captured = amount;
  intent.status = 'succeeded';
  intent.amount_received = amount;
  intent.amount_capturable = 0;
  for (const stored of ctx.store.data.sessions.values()) {
    if (stored.object.payment_intent === intent.id) stored.object.payment_status = 'paid';
  }
  ctx.emit(account, 'charge.captured', charge, request);
  ctx.emit(account, 'payment_intent.succeeded', intent, request);
  ctx.store.changed();
  return intent;
}

export function cancelPaymentIntent(
  ctx: SandboxContext,
  account: string,
  id: string,
  body: FormObject,
  request: EventRequestInfo,
): Stripe.PaymentIntent {
  rejectUnknownParams(body, ['cancellation_reason', 'expand']);
  const reason = enumParam(body['cancellation_reason'], 'cancellation_reason', ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] as const);
  const intent = findPaymentIntent(ctx, account, id);
  if (!CANCELABLE.includes(intent.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
    );
  }
  const openSession = [...ctx.store.data.sessions.values()].find((s) => s.object.payment_intent === intent.id && s.object.status === 'open');
  if (openSession) {
    throw unexpectedState(
      `This PaymentIntent is managed by Checkout Session ${openSession.object.id}, which is still open. Expire the Checkout Session instead.`,
    );
  }
  if (intent.status === 'requires_capture') {
    // Releasing an authorisation shows on the charge as a full refund of the uncaptured amount.
    const charge = latestCharge(ctx, intent);
    if (charge) {
      charge.amount_refunded = charge.amount;
      charge.refunded = true;
    }
  }
  intent.status = 'canceled';
  intent.canceled_at = nowSeconds(ctx);
  intent.cancellation_reason = reason ?? null;
  intent.amount_capturable = 0;
  intent.next_action = null;
  ctx.emit(account, 'payment_intent.canceled', intent, request);
  ctx.store.changed();
  return intent;
}
