import Stripe from 'stripe';
import {
  type PaymentProvider,
  type ProviderCard,
  type ProviderEvent,
  type ProviderFailedAttempt,
  type ProviderOutcome,
  type ProviderPaymentStatus,
  ProviderRejectedError,
  ProviderUnavailableError,
  type StartedPayment,
  type StartPaymentInput,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookRejectedError,
} from './payment-provider.ts';

/**
 * Card payments through Stripe Checkout with the official SDK. There is no sandbox branch: the
 * account's API base URL (https://api.stripe.com, or the sandbox's origin) becomes the SDK's
 * host/port/protocol, and that is the only difference.
 */

export interface StripeProviderConfig {
  secretKey: string;
  apiBaseUrl: string;
  hostedPageOrigin: string;
  /** Per request; a slow provider becomes ProviderUnavailableError after this (default 10 s). */
  timeoutMs?: number;
}

/** The order's id in metadata ties every provider object back to the order (never the buyer's data). */
const ORDER_ID = 'order_id';

function sdkFor(config: StripeProviderConfig): Stripe {
  const url = new URL(config.apiBaseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(config.secretKey, {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
    timeout: config.timeoutMs ?? 10_000,
    // Retries are ours to decide (the page shows a message; the job tries again later).
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError) {
      throw new ProviderUnavailableError(err.message);
    }
    if (err instanceof Stripe.errors.StripeError) {
      if ((err.statusCode ?? 0) >= 500 || err.statusCode === 429) throw new ProviderUnavailableError(err.message);
      throw new ProviderRejectedError(err.message, err.code ?? null);
    }
    throw new ProviderUnavailableError((err as Error).message ?? String(err));
  }
}

const idOf = (value: string | { id: string } | null | undefined): string | null => (value == null ? null : typeof value === 'string' ? value : value.id);

function cardOf(charge: Stripe.Charge | null): ProviderCard | null {
  const card = charge?.payment_method_details?.card;
  return card?.last4 ? { brand: card.brand ?? 'unknown', last4: card.last4 } : null;
}

function outcomeOf(session: Stripe.Checkout.Session | null, intent: Stripe.PaymentIntent | null): ProviderOutcome {
  switch (intent?.status) {
    case 'succeeded':
      return 'succeeded';
    case 'requires_capture':
      return 'authorized';
    case 'processing':
      return 'processing';
    case 'canceled':
      return session?.status === 'expired' ? 'expired' : 'cancelled';
  }
  if (session?.status === 'expired') return 'expired';
  if (intent?.last_payment_error) return 'failed';
  return 'open';
}

function statusFrom(session: Stripe.Checkout.Session | null, intent: Stripe.PaymentIntent | null): ProviderPaymentStatus {
  const charge = intent && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const error = intent?.last_payment_error;
  return {
    sessionId: session?.id ?? null,
    paymentId: intent?.id ?? idOf(session?.payment_intent as string | null),
    orderId: intent?.metadata?.[ORDER_ID] ?? session?.metadata?.[ORDER_ID] ?? session?.client_reference_id ?? null,
    outcome: outcomeOf(session, intent),
    amountYen: intent?.amount ?? session?.amount_total ?? 0,
    capturedYen: charge?.amount_captured ?? 0,
    refundedYen: charge?.amount_refunded ?? 0,
    card: cardOf(charge),
    threeDSecure: charge?.payment_method_details?.card?.three_d_secure?.result ?? null,
    failureCode: error ? (error.decline_code ?? error.code ?? 'failed') : null,
    chargeId: charge?.id ?? null,
  };
}

function failedAttemptOf(event: Stripe.Event): ProviderFailedAttempt | null {
  if (event.type === 'charge.failed') {
    const charge = event.data.object;
    return {
      paymentId: idOf(charge.payment_intent),
      chargeId: charge.id,
      orderId: charge.metadata?.[ORDER_ID] ?? null,
      amountYen: charge.amount,
      card: cardOf(charge),
      failureCode: charge.outcome?.reason ?? charge.failure_code ?? 'card_declined',
    };
  }
  if (event.type === 'payment_intent.payment_failed') {
    const intent = event.data.object;
    const error = intent.last_payment_error;
    return {
      paymentId: intent.id,
      chargeId: error?.charge ?? null,
      orderId: intent.metadata?.[ORDER_ID] ?? null,
      amountYen: intent.amount,
      card: null,
      failureCode: error?.decline_code ?? error?.code ?? 'payment_failed',
    };
  }
  return null;
}

function eventRefs(event: Stripe.Event): Pick<ProviderEvent, 'orderId' | 'sessionId' | 'paymentId' | 'refundedTotalYen'> {
  const object = event.data.object as unknown as Record<string, unknown> & { object?: string; id: string; metadata?: Record<string, string> | null };
  const metadataOrder = object.metadata?.[ORDER_ID] ?? null;
  switch (object.object) {
    case 'checkout.session': {
      const session = object as unknown as Stripe.Checkout.Session;
      return { orderId: metadataOrder ?? session.client_reference_id, sessionId: session.id, paymentId: idOf(session.payment_intent), refundedTotalYen: null };
    }
    case 'payment_intent':
      return { orderId: metadataOrder, sessionId: null, paymentId: object.id, refundedTotalYen: null };
    case 'charge': {
      const charge = object as unknown as Stripe.Charge;
      return { orderId: metadataOrder, sessionId: null, paymentId: idOf(charge.payment_intent), refundedTotalYen: event.type === 'charge.refunded' ? charge.amount_refunded : null };
    }
    default:
      return { orderId: metadataOrder, sessionId: null, paymentId: null, refundedTotalYen: null };
  }
}

export function signatureTimestamp(header: string): number {
  const t = /(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(header)?.[1];
  return t ? Number(t) : 0;
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly hostedPageOrigin: string;
  private readonly stripe: Stripe;

  constructor(config: StripeProviderConfig) {
    this.hostedPageOrigin = new URL(config.hostedPageOrigin).origin;
    this.stripe = sdkFor(config);
  }

  async startPayment(input: StartPaymentInput): Promise<StartedPayment> {
    const metadata = { [ORDER_ID]: input.orderId, order_number: input.orderNumber };
    const session = await call(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          currency: 'jpy',
          line_items: [{ price_data: { currency: 'jpy', unit_amount: input.amountYen, product_data: { name: input.description } }, quantity: 1 }],
          success_url: input.successUrl,
          cancel_url: input.cancelUrl,
          client_reference_id: input.orderId,
          metadata,
          customer_email: input.customerEmail,
          expires_at: input.expiresAt,
          payment_intent_data: { capture_method: input.captureMethod, metadata, description: `${input.orderNumber}` },
          // EMV 3-D Secure on every card payment (Japan's card security guideline).
          payment_method_options: { card: { request_three_d_secure: 'any' } },
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    if (!session.url) throw new ProviderRejectedError('the provider returned no payment page', null);
    return { sessionId: session.id, paymentId: idOf(session.payment_intent), redirectUrl: session.url };
  }

  handleReturn(sessionId: string): Promise<ProviderPaymentStatus> {
    return this.fetchStatus({ sessionId });
  }

  verifyWebhook(rawBody: string, signatureHeader: string | undefined, secret: string): ProviderEvent {
    if (!signatureHeader) throw new WebhookRejectedError('no_signature', 'no Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, WEBHOOK_TOLERANCE_SECONDS);
    } catch (err) {
      const message = (err as Error).message ?? '';
      const stale = /timestamp outside the tolerance zone/i.test(message);
      throw new WebhookRejectedError(stale ? 'stale' : 'bad_signature', stale ? 'signature timestamp outside the tolerance' : 'signature does not match');
    }
    if (typeof event?.id !== 'string' || typeof event.type !== 'string' || !event.data?.object) {
      throw new WebhookRejectedError('malformed', 'event without id, type or object');
    }
    return {
      id: event.id,
      type: event.type,
      createdAt: new Date(event.created * 1000),
      signedAt: signatureTimestamp(signatureHeader),
      failedAttempt: failedAttemptOf(event),
      ...eventRefs(event),
    };
  }

  async capture(paymentId: string, idempotencyKey: string): Promise<ProviderPaymentStatus> {
    const intent = await call(() => this.stripe.paymentIntents.capture(paymentId, { expand: ['latest_charge'] }, { idempotencyKey }));
    return statusFrom(null, intent);
  }

  async cancel(ref: { sessionId?: string | null; paymentId?: string | null }): Promise<void> {
    if (ref.sessionId) {
      const session = await call(() => this.stripe.checkout.sessions.retrieve(ref.sessionId!));
      if (session.status === 'open') await call(() => this.stripe.checkout.sessions.expire(session.id));
      return;
    }
    if (ref.paymentId) await call(() => this.stripe.paymentIntents.cancel(ref.paymentId!));
  }

  async refund(paymentId: string, amountYen: number, idempotencyKey: string): Promise<{ refundId: string; amountYen: number }> {
    const refund = await call(() => this.stripe.refunds.create({ payment_intent: paymentId, amount: amountYen }, { idempotencyKey }));
    return { refundId: refund.id, amountYen: refund.amount };
  }

  async fetchStatus(ref: { sessionId?: string | null; paymentId?: string | null }): Promise<ProviderPaymentStatus> {
    if (ref.sessionId) {
      const session = await call(() => this.stripe.checkout.sessions.retrieve(ref.sessionId!, { expand: ['payment_intent', 'payment_intent.latest_charge'] }));
      const intent = typeof session.payment_intent === 'object' ? session.payment_intent : null;
      return statusFrom(session, intent);
    }
    if (!ref.paymentId) throw new ProviderRejectedError('no session or payment to look up', null);
    const intent = await call(() => this.stripe.paymentIntents.retrieve(ref.paymentId!, { expand: ['latest_charge'] }));
    return statusFrom(null, intent);
  }

  async registerWebhook(url: string): Promise<{ endpointId: string; secret: string }> {
    const endpoint = await call(() =>
      this.stripe.webhookEndpoints.create({
        url,
        enabled_events: [
          'checkout.session.completed',
          'checkout.session.expired',
          'payment_intent.succeeded',
          'payment_intent.payment_failed',
          'payment_intent.amount_capturable_updated',
          'payment_intent.canceled',
          'charge.succeeded',
          'charge.failed',
          'charge.refunded',
        ],
        description: 'Oroshi',
      }),
    );
    if (!endpoint.secret) throw new ProviderRejectedError('the provider returned no signing secret', null);
    return { endpointId: endpoint.id, secret: endpoint.secret };
  }
}
