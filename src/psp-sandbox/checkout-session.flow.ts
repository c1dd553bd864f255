import type Stripe from 'stripe';
import { invalidRequest, missingParam } from './api-error.model.ts';
import type { FormObject } from './form-body.parse.ts';
import { newObjectId } from './object-id.generate.ts';
import {
  enumParam,
  integerParam,
  listParam,
  metadataParam,
  objectParam,
  rejectUnknownParams,
  requiredString,
  stringParam,
} from './request-params.read.ts';
import { nowSeconds, type SandboxContext } from './sandbox.context.ts';
import type { SandboxLineItem, StoredSession } from './sandbox.store.ts';
import type { EventRequestInfo } from './sandbox-event.build.ts';
import { newCheckoutSession, newPaymentIntent, type ThreeDSecureRequest } from './stripe-objects.build.ts';

const KNOWN_PARAMS = [
  'mode',
  'currency',
  'line_items',
  'success_url',
  'cancel_url',
  'client_reference_id',
  'metadata',
  'customer_email',
  'expires_at',
  'payment_intent_data',
  'payment_method_options',
  'payment_method_types',
  'locale',
  'submit_type',
  'ui_mode',
  'expand',
];
// Stripe's limits for JPY: at least ¥50, at most ¥99,999,999.
const MIN_AMOUNT_JPY = 50;
const MAX_AMOUNT_JPY = 99_999_999;
const MIN_LIFETIME_S = 30 * 60;
const MAX_LIFETIME_S = 24 * 60 * 60;
const DEFAULT_LIFETIME_S = 24 * 60 * 60;

function readLineItems(body: FormObject): SandboxLineItem[] {
  const items = listParam(body['line_items'], 'line_items');
  if (items.length === 0) throw missingParam('line_items');
  return items.map((raw, i) => {
    const at = `line_items[${i}]`;
    const item = objectParam(raw, at) ?? {};
    rejectUnknownParams(item, ['price', 'price_data', 'quantity', 'amount', 'currency', 'name'], at);
    if (item['price'] !== undefined) throw invalidRequest('Saved prices are not supported by the sandbox; use price_data.', `${at}[price]`);
    const quantity = integerParam(item['quantity'], `${at}[quantity]`) ?? 1;
    if (quantity < 1) throw invalidRequest('Quantity must be at least 1', `${at}[quantity]`);
    const priceData = objectParam(item['price_data'], `${at}[price_data]`);
    if (priceData) {
      rejectUnknownParams(priceData, ['currency', 'unit_amount', 'product_data', 'tax_behavior'], `${at}[price_data]`);
      const currency = requiredString(priceData['currency'], `${at}[price_data][currency]`);
      if (currency !== 'jpy') throw invalidRequest('The sandbox accepts only jpy.', `${at}[price_data][currency]`);
      const unitAmount = integerParam(priceData['unit_amount'], `${at}[price_data][unit_amount]`);
      if (unitAmount === undefined) throw missingParam(`${at}[price_data][unit_amount]`);
      if (unitAmount < 0) throw invalidRequest('unit_amount must not be negative', `${at}[price_data][unit_amount]`);
      const product = objectParam(priceData['product_data'], `${at}[price_data][product_data]`) ?? {};
      const name = requiredString(product['name'], `${at}[price_data][product_data][name]`);
      return { name, unitAmount, quantity };
    }
    // The older inline form: one amount and a name per line (handy for "the whole order" lines).
    const amount = integerParam(item['amount'], `${at}[amount]`);
    if (amount === undefined) throw missingParam(`${at}[price_data]`);
    const currency = stringParam(item['currency'], `${at}[currency]`) ?? 'jpy';
    if (currency !== 'jpy') throw invalidRequest('The sandbox accepts only jpy.', `${at}[currency]`);
    return { name: requiredString(item['name'], `${at}[name]`), unitAmount: amount, quantity };
  });
}

function readThreeDSecure(body: FormObject): ThreeDSecureRequest {
  const options = objectParam(body['payment_method_options'], 'payment_method_options') ?? {};
  rejectUnknownParams(options, ['card'], 'payment_method_options');
  const card = objectParam(options['card'], 'payment_method_options[card]') ?? {};
  rejectUnknownParams(card, ['request_three_d_secure'], 'payment_method_options[card]');
  return (
    enumParam(card['request_three_d_secure'], 'payment_method_options[card][request_three_d_secure]', ['any', 'automatic', 'challenge'] as const) ??
    'automatic'
  );
}

export function createCheckoutSession(ctx: SandboxContext, account: string, body: FormObject): Stripe.Checkout.Session {
  rejectUnknownParams(body, KNOWN_PARAMS);
  const mode = requiredString(body['mode'], 'mode');
  if (mode !== 'payment') throw invalidRequest('The sandbox supports only mode=payment.', 'mode');
  const currency = stringParam(body['currency'], 'currency') ?? 'jpy';
  if (currency !== 'jpy') throw invalidRequest('The sandbox accepts only jpy.', 'currency');
  const lineItems = readLineItems(body);
  const amountTotal = lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
  if (amountTotal < MIN_AMOUNT_JPY) {
    throw invalidRequest(`The Checkout Session's total amount due must add up to at least ¥${MIN_AMOUNT_JPY}`, 'line_items', 'amount_too_small');
  }
  if (amountTotal > MAX_AMOUNT_JPY) throw invalidRequest(`The total amount due must be no more than ¥${MAX_AMOUNT_JPY}`, 'line_items', 'amount_too_large');

  const successUrl = stringParam(body['success_url'], 'success_url') ?? null;
  const cancelUrl = stringParam(body['cancel_url'], 'cancel_url') ?? null;
  for (const [param, url] of [['success_url', successUrl], ['cancel_url', cancelUrl]] as const) {
    if (url !== null && !/^https?:\/\/[^\s]+$/.test(url)) throw invalidRequest(`Not a valid URL`, param, 'url_invalid');
  }
  const created = nowSeconds(ctx);
  const expiresAt = integerParam(body['expires_at'], 'expires_at') ?? created + DEFAULT_LIFETIME_S;
  if (expiresAt < created + MIN_LIFETIME_S - 5 || expiresAt > created + MAX_LIFETIME_S + 5) {
    throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
  }
  const intentData = objectParam(body['payment_intent_data'], 'payment_intent_data') ?? {};
  rejectUnknownParams(intentData, ['capture_method', 'metadata', 'description', 'receipt_email'], 'payment_intent_data');
  const captureMethod = enumParam(intentData['capture_method'], 'payment_intent_data[capture_method]', ['automatic', 'manual'] as const) ?? 'automatic';
  const requestThreeDSecure = readThreeDSecure(body);
  const customerEmail = stringParam(body['customer_email'], 'customer_email') || null;
  const metadata = metadataParam(body['metadata'], 'metadata');

  const sessionId = newObjectId('cs_test', 58);
  const intent = newPaymentIntent({
    id: newObjectId('pi'),
    createdAt: created,
    amount: amountTotal,
    currency,
    captureMethod,
    metadata: metadataParam(intentData['metadata'], 'payment_intent_data[metadata]'),
    description: stringParam(intentData['description'], 'payment_intent_data[description]') ?? null,
    receiptEmail: stringParam(intentData['receipt_email'], 'payment_intent_data[receipt_email]') ?? customerEmail,
    requestThreeDSecure,
  });
  const session = newCheckoutSession({
    id: sessionId,
    paymentIntentId: intent.id,
    createdAt: created,
    expiresAt,
    amountTotal,
    currency,
    url: `${ctx.publicOrigin}/pay/${sessionId}`,
    successUrl,
    cancelUrl,
    clientReferenceId: stringParam(body['client_reference_id'], 'client_reference_id') || null,
    customerEmail,
    metadata,
    requestThreeDSecure,
  });
  ctx.store.data.paymentIntents.set(intent.id, { account, object: intent });
  ctx.store.data.sessions.set(session.id, { account, object: session, lineItems });
  ctx.store.changed();
  return session;
}

export function expireSession(ctx: SandboxContext, stored: StoredSession, request: EventRequestInfo | null): void {
  const session = stored.object;
  session.status = 'expired';
  session.url = null;
  for (const [id, challenge] of ctx.store.data.challenges) if (challenge.sessionId === session.id) ctx.store.data.challenges.delete(id);
  const intentId = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
  const intent = intentId ? ctx.store.data.paymentIntents.get(intentId)?.object : undefined;
  if (intent && ['requires_payment_method', 'requires_action', 'requires_confirmation'].includes(intent.status)) {
    intent.status = 'canceled';
    intent.canceled_at = nowSeconds(ctx);
    intent.cancellation_reason = 'abandoned';
    intent.next_action = null;
    ctx.emit(stored.account, 'payment_intent.canceled', intent, request);
  }
  ctx.emit(stored.account, 'checkout.session.expired', session, request);
  ctx.store.changed();
}

/** Sessions past their expires_at expire on first sight, and on the periodic sweep. */
export function expireIfDue(ctx: SandboxContext, stored: StoredSession): void {
  if (stored.object.status === 'open' && stored.object.expires_at <= nowSeconds(ctx)) expireSession(ctx, stored, null);
}

export function expireDueSessions(ctx: SandboxContext): number {
  let count = 0;
  for (const stored of ctx.store.data.sessions.values()) {
    if (stored.object.status === 'open' && stored.object.expires_at <= nowSeconds(ctx)) {
      expireSession(ctx, stored, null);
      count++;
    }
  }
  return count;
}

export function expireSessionByApi(ctx: SandboxContext, account: string, id: string, request: EventRequestInfo): Stripe.Checkout.Session {
  const stored = ctx.store.session(account, id);
  expireIfDue(ctx, stored);
  if (stored.object.status !== 'open') {
    throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${stored.object.status}".`);
  }
  expireSession(ctx, stored, request);
  return stored.object;
}
