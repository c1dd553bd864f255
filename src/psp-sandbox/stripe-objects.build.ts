import type Stripe from 'stripe';
import { newObjectId } from './object-id.generate.ts';
import type { CardSummary } from './sandbox.store.ts';

/**
 * Fresh Stripe objects with every field the SDK's types declare, set the way a test-mode account
 * without Connect, tax, customers or shipping would return them. The flows only change the fields
 * that move.
 */
export type ThreeDSecureRequest = 'any' | 'automatic' | 'challenge';

export interface NewSessionInput {
  id: string;
  paymentIntentId: string;
  createdAt: number;
  expiresAt: number;
  amountTotal: number;
  currency: string;
  url: string;
  successUrl: string | null;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  customerEmail: string | null;
  metadata: Record<string, string>;
  requestThreeDSecure: ThreeDSecureRequest;
}

export function newCheckoutSession(input: NewSessionInput): Stripe.Checkout.Session {
  return {
    id: input.id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: input.amountTotal,
    amount_total: input.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: input.createdAt,
    currency: input.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: 'if_required',
    customer_details: null,
    customer_email: input.customerEmail,
    discounts: [],
    expires_at: input.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: 'ja',
    managed_payments: null,
    metadata: input.metadata,
    mode: 'payment',
    origin_context: null,
    payment_intent: input.paymentIntentId,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: input.requestThreeDSecure } },
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: input.url,
    wallet_options: null,
  };
}

export interface NewPaymentIntentInput {
  id: string;
  createdAt: number;
  amount: number;
  currency: string;
  captureMethod: 'automatic' | 'manual';
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
  requestThreeDSecure: ThreeDSecureRequest;
}

export function newPaymentIntent(input: NewPaymentIntentInput): Stripe.PaymentIntent {
  return {
    id: input.id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: input.captureMethod,
    client_secret: `${input.id}_secret_${newObjectId('s').slice(2)}`,
    confirmation_method: 'automatic',
    created: input.createdAt,
    currency: input.currency,
    customer: null,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: input.requestThreeDSecure },
    },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: input.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_group: null,
  };
}

export interface ThreeDSecureResult {
  result: 'authenticated';
  transactionId: string;
}

export interface NewChargeInput {
  id: string;
  createdAt: number;
  paymentIntent: Stripe.PaymentIntent;
  paymentMethodId: string;
  card: CardSummary;
  threeDSecure: ThreeDSecureResult | null;
  /** null when the issuer approved; otherwise the failure to record. */
  failure: { code: string; declineCode: string; message: string } | null;
  capture: boolean;
}

function eciFor(brand: string): string {
  // Mastercard reports a fully authenticated payment as ECI 02, the other schemes as 05.
  return brand === 'mastercard' ? '02' : '05';
}

export function newCharge(input: NewChargeInput): Stripe.Charge {
  const { card, paymentIntent, failure } = input;
  const approved = failure === null;
  const captured = approved && input.capture;
  return {
    id: input.id,
    object: 'charge',
    amount: paymentIntent.amount,
    amount_captured: captured ? paymentIntent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured ? newObjectId('txn') : null,
    billing_details: { address: null, email: paymentIntent.receipt_email, name: card.holderName, phone: null, tax_id: null },
    calculated_statement_descriptor: 'OROSHI SANDBOX',
    captured,
    created: input.createdAt,
    currency: paymentIntent.currency,
    customer: null,
    description: paymentIntent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...paymentIntent.metadata },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: approved ? 'approved_by_network' : 'declined_by_network',
      reason: failure?.declineCode ?? null,
      risk_level: 'normal',
      seller_message: approved ? 'Payment complete.' : 'The bank did not return any further details with this decline.',
      type: approved ? 'authorized' : 'issuer_declined',
    },
    paid: approved,
    payment_intent: paymentIntent.id,
    payment_method: input.paymentMethodId,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: approved ? paymentIntent.amount : null,
        authorization_code: approved ? String(100000 + Math.floor(Math.random() * 900000)) : null,
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: card.country,
        electronic_commerce_indicator: input.threeDSecure ? eciFor(card.brand) : null,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        funding: card.funding,
        installments: null,
        last4: card.last4,
        mandate: null,
        network: card.brand,
        network_transaction_id: approved ? newObjectId('ntx', 15).slice(4) : null,
        regulated_status: 'unregulated',
        three_d_secure: input.threeDSecure
          ? {
              authentication_flow: 'challenge',
              electronic_commerce_indicator: eciFor(card.brand) as '02' | '05',
              exemption_indicator: null,
              result: input.threeDSecure.result,
              result_reason: null,
              transaction_id: input.threeDSecure.transactionId,
              version: '2.2.0',
            }
          : null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: paymentIntent.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: approved ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

export function newRefund(input: {
  id: string;
  createdAt: number;
  amount: number;
  charge: Stripe.Charge;
  reason: Stripe.Refund.Reason | null;
  metadata: Record<string, string>;
}): Stripe.Refund {
  return {
    id: input.id,
    object: 'refund',
    amount: input.amount,
    balance_transaction: newObjectId('txn'),
    charge: input.charge.id,
    created: input.createdAt,
    currency: input.charge.currency,
    customer: null,
    customer_account: null,
    destination_details: { type: 'card', card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' } },
    metadata: input.metadata,
    payment_intent: typeof input.charge.payment_intent === 'string' ? input.charge.payment_intent : null,
    payment_method: input.charge.payment_method,
    reason: input.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

export function newWebhookEndpoint(input: {
  id: string;
  createdAt: number;
  url: string;
  enabledEvents: string[];
  description: string | null;
  metadata: Record<string, string>;
  apiVersion: string | null;
}): Stripe.WebhookEndpoint {
  return {
    id: input.id,
    object: 'webhook_endpoint',
    api_version: input.apiVersion,
    application: null,
    created: input.createdAt,
    description: input.description,
    enabled_events: input.enabledEvents,
    livemode: false,
    metadata: input.metadata,
    status: 'enabled',
    url: input.url,
  };
}
