import type Stripe from 'stripe';
import { newObjectId } from './object-id.generate.ts';
import { nowSeconds, type SandboxContext } from './sandbox.context.ts';
import type { CardSummary, PendingChallenge, StoredSession } from './sandbox.store.ts';
import { newCharge, type ThreeDSecureResult } from './stripe-objects.build.ts';
import { type IssuerDecision, profileCard } from './test-cards.catalog.ts';

/** What the buyer typed. Lives only for the duration of one request; nothing here is stored. */
export interface CardEntry {
  number: string;
  expiry: string;
  cvc: string;
  holderName: string;
}

export type CardField = 'number' | 'expiry' | 'cvc' | 'name';

export type PaymentStep =
  | { kind: 'invalid'; errors: Partial<Record<CardField, string>> }
  | { kind: 'challenge'; challengeId: string }
  | { kind: 'wrong_code'; challengeId: string; attemptsLeft: number }
  | { kind: 'succeeded'; redirectUrl: string | null }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' };

export const CHALLENGE_CODE = '123456';
const MAX_WRONG_CODES = 3;

const BUYER_MESSAGES: Record<string, string> = {
  insufficient_funds: '残高不足のため、カードが承認されませんでした。別のカードをお試しください。',
  expired_card: 'カードの有効期限が切れています。別のカードをお試しください。',
  incorrect_cvc: 'セキュリティコードが正しくありません。',
  processing_error: 'カードの処理中にエラーが発生しました。しばらくしてからもう一度お試しください。',
  authentication: 'カードの本人認証(3Dセキュア)に失敗しました。別のカードをお試しください。',
};
const GENERIC_DECLINE = 'カードが承認されませんでした。別のカードをお試しください。';

const API_MESSAGES: Record<string, string> = {
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: 'An error occurred while processing your card. Try again in a little bit.',
};
const AUTHENTICATION_FAILURE =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

function parseExpiry(text: string, now: Date): { month: number; year: number } | 'invalid' | 'expired' {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return 'invalid';
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return 'invalid';
  const endOfMonth = Date.UTC(year, month, 1);
  if (endOfMonth <= now.getTime()) return 'expired';
  return { month, year };
}

function intentOf(ctx: SandboxContext, stored: StoredSession): Stripe.PaymentIntent {
  const id = stored.object.payment_intent as string;
  return ctx.store.data.paymentIntents.get(id)!.object;
}

function wantsChallenge(stored: StoredSession, threeDSecure: string): boolean {
  const request = stored.object.payment_method_options?.card?.request_three_d_secure ?? 'automatic';
  if (threeDSecure === 'required') return true;
  return threeDSecure === 'supported' && (request === 'any' || request === 'challenge');
}

export function submitCard(ctx: SandboxContext, stored: StoredSession, entry: CardEntry): PaymentStep {
  if (stored.object.status !== 'open') return { kind: 'closed' };
  // A new card replaces any challenge left open for an earlier one.
  for (const [id, pending] of ctx.store.data.challenges) if (pending.sessionId === stored.object.id) ctx.store.data.challenges.delete(id);
  const errors: Partial<Record<CardField, string>> = {};
  const profile = profileCard(entry.number);
  if (!profile) errors.number = 'カード番号が正しくありません';
  const expiry = parseExpiry(entry.expiry, new Date(ctx.nowMs()));
  if (expiry === 'invalid') errors.expiry = '有効期限を MM/YY の形で入力してください';
  if (expiry === 'expired') errors.expiry = 'カードの有効期限が切れています';
  const cvcDigits = profile?.brand === 'amex' ? /^\d{4}$/ : /^\d{3,4}$/;
  if (!cvcDigits.test(entry.cvc.trim())) errors.cvc = 'セキュリティコードが正しくありません';
  const holderName = entry.holderName.trim();
  if (!holderName) errors.name = 'カード名義を入力してください';
  if (holderName.length > 100) errors.name = 'カード名義が長すぎます';
  if (!profile || typeof expiry === 'string' || Object.keys(errors).length > 0) return { kind: 'invalid', errors };

  const card: CardSummary = {
    brand: profile.brand,
    last4: profile.last4,
    expMonth: expiry.month,
    expYear: expiry.year,
    funding: profile.funding,
    country: profile.country,
    holderName,
  };
  const asked = wantsChallenge(stored, profile.threeDSecure);
  const lookupFails =
    profile.threeDSecure === 'lookup_error' ||
    (profile.threeDSecure === 'lookup_error_if_requested' && wantsChallenge(stored, 'supported'));
  if (lookupFails) return failAuthentication(ctx, stored);
  if (!asked) return settle(ctx, stored, card, profile.decision, null, newObjectId('pm'));

  const intent = intentOf(ctx, stored);
  const challenge: PendingChallenge = {
    id: newObjectId('threeds'),
    sessionId: stored.object.id,
    card,
    decisionAfterAuthentication: profile.decision,
    wrongCodeAttempts: 0,
    createdAt: ctx.nowMs(),
  };
  ctx.store.data.challenges.set(challenge.id, challenge);
  intent.status = 'requires_action';
  intent.payment_method = newObjectId('pm');
  intent.next_action = {
    type: 'redirect_to_url',
    redirect_to_url: { url: `${ctx.publicOrigin}/pay/${stored.object.id}/3ds/${challenge.id}`, return_url: null },
  };
  ctx.store.changed();
  return { kind: 'challenge', challengeId: challenge.id };
}

export function answerChallenge(
  ctx: SandboxContext,
  stored: StoredSession,
  challengeId: string,
  answer: { action: 'authenticate' | 'cancel'; code: string },
): PaymentStep {
  const challenge = ctx.store.data.challenges.get(challengeId);
  if (!challenge || challenge.sessionId !== stored.object.id) return { kind: 'closed' };
  if (stored.object.status !== 'open') return { kind: 'closed' };
  const intent = intentOf(ctx, stored);
  const paymentMethod = typeof intent.payment_method === 'string' ? intent.payment_method : newObjectId('pm');
  if (answer.action === 'authenticate' && answer.code.trim() !== CHALLENGE_CODE) {
    challenge.wrongCodeAttempts++;
    const attemptsLeft = MAX_WRONG_CODES - challenge.wrongCodeAttempts;
    ctx.store.changed();
    if (attemptsLeft > 0) return { kind: 'wrong_code', challengeId, attemptsLeft };
  }
  ctx.store.data.challenges.delete(challengeId);
  if (answer.action === 'cancel' || answer.code.trim() !== CHALLENGE_CODE) return failAuthentication(ctx, stored);
  const threeDSecure: ThreeDSecureResult = { result: 'authenticated', transactionId: crypto.randomUUID() };
  return settle(ctx, stored, challenge.card, challenge.decisionAfterAuthentication, threeDSecure, paymentMethod);
}

/** 3DS failed or could not start: Stripe makes no charge, the intent waits for another card. */
function failAuthentication(ctx: SandboxContext, stored: StoredSession): PaymentStep {
  const intent = intentOf(ctx, stored);
  intent.status = 'requires_payment_method';
  intent.next_action = null;
  intent.payment_method = null;
  intent.last_payment_error = {
    type: 'invalid_request_error',
    code: 'payment_intent_authentication_failure',
    message: AUTHENTICATION_FAILURE,
    doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
    payment_method_type: 'card',
  };
  ctx.emit(stored.account, 'payment_intent.payment_failed', intent);
  ctx.store.changed();
  return { kind: 'failed', message: BUYER_MESSAGES['authentication']! };
}

function settle(
  ctx: SandboxContext,
  stored: StoredSession,
  card: CardSummary,
  decision: IssuerDecision,
  threeDSecure: ThreeDSecureResult | null,
  paymentMethod: string,
): PaymentStep {
  const session = stored.object;
  const intent = intentOf(ctx, stored);
  const manual = intent.capture_method === 'manual';
  const failure = decision.approved
    ? null
    : { code: decision.code, declineCode: decision.declineCode, message: API_MESSAGES[decision.declineCode] ?? 'Your card was declined.' };
  const charge = newCharge({
    id: newObjectId('ch'),
    createdAt: nowSeconds(ctx),
    paymentIntent: intent,
    paymentMethodId: paymentMethod,
    card,
    threeDSecure,
    failure,
    capture: !manual,
  });
  ctx.store.data.charges.set(charge.id, { account: stored.account, object: charge });
  intent.latest_charge = charge.id;
  intent.next_action = null;

  if (failure) {
    intent.status = 'requires_payment_method';
    intent.payment_method = null;
    intent.last_payment_error = {
      type: 'card_error',
      charge: charge.id,
      code: failure.code,
      decline_code: failure.declineCode,
      message: failure.message,
      doc_url: `https://stripe.com/docs/error-codes/${failure.code.replace(/_/g, '-')}`,
      payment_method_type: 'card',
    };
    ctx.emit(stored.account, 'charge.failed', charge);
    ctx.emit(stored.account, 'payment_intent.payment_failed', intent);
    ctx.store.changed();
    return { kind: 'failed', message: BUYER_MESSAGES[failure.declineCode] ?? GENERIC_DECLINE };
  }

  intent.payment_method = paymentMethod;
  intent.last_payment_error = null;
  if (manual) {
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
  } else {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
  }
  session.status = 'complete';
  // With manual capture nothing is collected yet: Checkout reports the session as unpaid.
  session.payment_status = manual ? 'unpaid' : 'paid';
  session.url = null;
  session.customer_details = {
    address: null,
    business_name: null,
    email: session.customer_email,
    individual_name: null,
    name: card.holderName,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  ctx.emit(stored.account, 'charge.succeeded', charge);
  if (manual) ctx.emit(stored.account, 'payment_intent.amount_capturable_updated', intent);
  else ctx.emit(stored.account, 'payment_intent.succeeded', intent);
  ctx.emit(stored.account, 'checkout.session.completed', session);
  ctx.store.changed();
  const redirectUrl = session.success_url ? session.success_url.split('{CHECKOUT_SESSION_ID}').join(session.id) : null;
  return { kind: 'succeeded', redirectUrl };
}
