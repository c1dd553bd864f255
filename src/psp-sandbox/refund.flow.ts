import type Stripe from 'stripe';
import { invalidRequest, missingParam } from './api-error.model.ts';
import type { FormObject } from './form-body.parse.ts';
import { newObjectId } from './object-id.generate.ts';
import { findPaymentIntent } from './payment-intent.flow.ts';
import { enumParam, integerParam, metadataParam, rejectUnknownParams, stringParam } from './request-params.read.ts';
import { nowSeconds, type SandboxContext } from './sandbox.context.ts';
import type { EventRequestInfo } from './sandbox-event.build.ts';
import { newRefund } from './stripe-objects.build.ts';

function chargeToRefund(ctx: SandboxContext, account: string, body: FormObject): Stripe.Charge {
  const intentId = stringParam(body['payment_intent'], 'payment_intent');
  const chargeId = stringParam(body['charge'], 'charge');
  if (!intentId && !chargeId) throw missingParam('payment_intent');
  if (chargeId) return ctx.store.owned(ctx.store.data.charges, account, chargeId, 'charge', 'charge').object;
  const intent = findPaymentIntent(ctx, account, intentId!);
  const latest = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
  if (intent.status !== 'succeeded' || !latest) {
    throw invalidRequest(
      `This PaymentIntent (${intent.id}) does not have a successful charge to refund (status: ${intent.status}).`,
      'payment_intent',
      'charge_not_refundable',
    );
  }
  return ctx.store.data.charges.get(latest)!.object;
}

export function createRefund(ctx: SandboxContext, account: string, body: FormObject, request: EventRequestInfo): Stripe.Refund {
  rejectUnknownParams(body, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
  const charge = chargeToRefund(ctx, account, body);
  if (!charge.captured || charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${charge.id} has not been captured and cannot be refunded.`, 'charge', 'charge_not_refundable');
  }
  const refundable = charge.amount_captured - charge.amount_refunded;
  if (refundable <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
  const amount = integerParam(body['amount'], 'amount') ?? refundable;
  if (amount <= 0) throw invalidRequest('Refund amount must be a positive integer.', 'amount');
  if (amount > refundable) {
    throw invalidRequest(`Refund amount (¥${amount}) is greater than unrefunded amount on charge (¥${refundable})`, 'amount', 'amount_too_large');
  }
  const refund = newRefund({
    id: newObjectId('re'),
    createdAt: nowSeconds(ctx),
    amount,
    charge,
    reason: enumParam(body['reason'], 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null,
    metadata: metadataParam(body['metadata'], 'metadata'),
  });
  ctx.store.data.refunds.set(refund.id, { account, object: refund });
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount_captured;
  ctx.emit(account, 'refund.created', refund, request);
  ctx.emit(account, 'charge.refunded', charge, request);
  ctx.store.changed();
  return refund;
}
