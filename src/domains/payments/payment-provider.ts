/**
 * The boundary between Oroshi and a card payment provider (PSP). Everything card-specific stays
 * on the provider's side of it: Oroshi asks for a hosted payment page, sends the buyer there,
 * and learns the outcome from signed webhooks or by asking. Nothing here carries a card number;
 * the provider reports brand and last four only. Stripe is one implementation
 * (stripe-provider.ts); GMO-PG or PAY.JP would be one more file implementing this interface.
 */

export type ProviderName = 'stripe';

export interface StartPaymentInput {
  orderId: string;
  orderNumber: string;
  tenantId: string;
  amountYen: number;
  /** Shown on the hosted page as the single line item. */
  description: string;
  successUrl: string;
  cancelUrl: string;
  customerEmail?: string;
  captureMethod: 'automatic' | 'manual';
  /** The same key gives the same session (a retried POST never opens two). */
  idempotencyKey: string;
  /** Unix seconds; the provider expires an unpaid session then. */
  expiresAt?: number;
}

export interface StartedPayment {
  sessionId: string;
  paymentId: string | null;
  /** Where the buyer goes: must be on the provider's hosted-page origin (checked by the caller). */
  redirectUrl: string;
}

/** The provider's view of one payment, as it reports it (never a card number). */
export type ProviderOutcome = 'open' | 'processing' | 'authorized' | 'succeeded' | 'failed' | 'expired' | 'cancelled';

export interface ProviderCard {
  brand: string;
  last4: string;
}

export interface ProviderPaymentStatus {
  sessionId: string | null;
  paymentId: string | null;
  /** Our order id as we gave it to the provider (metadata / client reference). */
  orderId: string | null;
  outcome: ProviderOutcome;
  amountYen: number;
  capturedYen: number;
  refundedYen: number;
  card: ProviderCard | null;
  threeDSecure: string | null;
  failureCode: string | null;
  chargeId: string | null;
}

/** A failed card attempt as the provider reported it in an event (a charge, or a failed 3-D Secure). */
export interface ProviderFailedAttempt {
  paymentId: string | null;
  chargeId: string | null;
  orderId: string | null;
  amountYen: number;
  card: ProviderCard | null;
  failureCode: string;
}

export interface ProviderEvent {
  id: string;
  type: string;
  createdAt: Date;
  /** The signature's own timestamp (seconds): an older or equal one for a known event is a replay. */
  signedAt: number;
  orderId: string | null;
  sessionId: string | null;
  paymentId: string | null;
  /** Set for events that report a failed attempt. */
  failedAttempt: ProviderFailedAttempt | null;
  /** Set for refund events: the total refunded so far on the charge. */
  refundedTotalYen: number | null;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** The only origin a buyer may be redirected to (BRIEF catalogue 4). */
  readonly hostedPageOrigin: string;
  startPayment(input: StartPaymentInput): Promise<StartedPayment>;
  /** The buyer came back with this session id: ask the provider what really happened. */
  handleReturn(sessionId: string): Promise<ProviderPaymentStatus>;
  /** Checks signature and age; throws WebhookRejectedError. Makes no network call. */
  verifyWebhook(rawBody: string, signatureHeader: string | undefined, secret: string): ProviderEvent;
  capture(paymentId: string, idempotencyKey: string): Promise<ProviderPaymentStatus>;
  /** Closes an unpaid session (and its payment) so the buyer can no longer pay it. */
  cancel(ref: { sessionId?: string | null; paymentId?: string | null }): Promise<void>;
  refund(paymentId: string, amountYen: number, idempotencyKey: string): Promise<{ refundId: string; amountYen: number }>;
  fetchStatus(ref: { sessionId?: string | null; paymentId?: string | null }): Promise<ProviderPaymentStatus>;
  registerWebhook(url: string): Promise<{ endpointId: string; secret: string }>;
}

/** The provider could not be reached, timed out or failed on its side: try again later. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

/** The provider refused the request (bad key, invalid amount, nothing to refund…). */
export class ProviderRejectedError extends Error {
  override name = 'ProviderRejectedError';
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export class WebhookRejectedError extends Error {
  override name = 'WebhookRejectedError';
  constructor(
    readonly reason: 'no_signature' | 'bad_signature' | 'stale' | 'malformed' | 'replayed' | 'unknown_shop',
    message: string,
  ) {
    super(message);
  }
}

/** Webhook signatures older than this are refused (Stripe's default tolerance). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
