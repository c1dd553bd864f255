/**
 * How the sandbox's "issuer" treats a card number, after Stripe's published test cards
 * (docs.stripe.com/testing). The catalog is the only code that looks at a full number; the rest of
 * the sandbox receives a CardProfile, which carries no number.
 */
export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'unknown';

/**
 * required: challenged always; supported: challenged only when the merchant asks (`any`);
 * not_supported: never challenged, the payment proceeds unauthenticated; lookup_error: authentication
 * cannot start and the payment fails; lookup_error_if_requested: same, but only when 3DS is asked for.
 */
export type ThreeDSecureBehaviour = 'required' | 'supported' | 'not_supported' | 'lookup_error' | 'lookup_error_if_requested';

export type IssuerDecision =
  | { approved: true }
  | { approved: false; code: 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error'; declineCode: string };

export interface CardProfile {
  brand: CardBrand;
  last4: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string | null;
  threeDSecure: ThreeDSecureBehaviour;
  /** The issuer's answer once any authentication is done. */
  decision: IssuerDecision;
}

interface CatalogEntry {
  threeDSecure?: ThreeDSecureBehaviour;
  decision?: IssuerDecision;
  funding?: CardProfile['funding'];
  country?: string;
  note: string;
}

const declined = (declineCode: string, code: 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error' = 'card_declined'): IssuerDecision => ({
  approved: false,
  code,
  declineCode,
});

export const TEST_CARDS: Readonly<Record<string, CatalogEntry>> = {
  '4242424242424242': { note: 'Visa, succeeds' },
  '4000056655665556': { funding: 'debit', note: 'Visa debit, succeeds' },
  '5555555555554444': { note: 'Mastercard, succeeds' },
  '2223003122003222': { note: 'Mastercard 2-series, succeeds' },
  '5200828282828210': { funding: 'debit', note: 'Mastercard debit, succeeds' },
  '5105105105105100': { funding: 'prepaid', note: 'Mastercard prepaid, succeeds' },
  '378282246310005': { threeDSecure: 'not_supported', note: 'American Express, succeeds; 3DS not supported' },
  '371449635398431': { threeDSecure: 'not_supported', note: 'American Express, succeeds; 3DS not supported' },
  '6011111111111117': { note: 'Discover, succeeds' },
  '3566002020360505': { note: 'JCB, succeeds' },
  '30569309025904': { note: 'Diners Club, succeeds' },
  '6200000000000005': { note: 'UnionPay, succeeds' },
  '4000003920000003': { country: 'JP', note: 'Visa issued in Japan, succeeds' },
  '4000000000000002': { decision: declined('generic_decline'), note: 'declined: generic_decline' },
  '4000000000009995': { decision: declined('insufficient_funds'), note: 'declined: insufficient_funds' },
  '4000000000009987': { decision: declined('lost_card'), note: 'declined: lost_card' },
  '4000000000009979': { decision: declined('stolen_card'), note: 'declined: stolen_card' },
  '4000000000000069': { decision: declined('expired_card', 'expired_card'), note: 'declined: expired_card' },
  '4000000000000127': { decision: declined('incorrect_cvc', 'incorrect_cvc'), note: 'declined: incorrect_cvc' },
  '4000000000000119': { decision: declined('processing_error', 'processing_error'), note: 'declined: processing_error' },
  '4000000000003220': { threeDSecure: 'required', note: '3DS2 required; succeeds once authenticated' },
  '4000002760003184': { threeDSecure: 'required', note: '3DS required on every payment; succeeds once authenticated' },
  '4000002500003155': { threeDSecure: 'required', note: '3DS required on session; succeeds once authenticated' },
  '4000008400001629': { threeDSecure: 'required', decision: declined('generic_decline'), note: '3DS required, then declined: card_declined' },
  '4000008260003178': { threeDSecure: 'required', decision: declined('insufficient_funds'), note: '3DS required, then declined: insufficient_funds' },
  '4000008400001280': { threeDSecure: 'lookup_error', note: '3DS required, authentication fails to start; payment fails' },
  '4000000000003055': { threeDSecure: 'supported', note: '3DS supported, not required; succeeds' },
  '4000000000003097': { threeDSecure: 'lookup_error_if_requested', note: '3DS supported; attempting it fails with a processing error' },
};

export function digitsOnly(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function passesLuhn(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function brandOf(digits: string): CardBrand {
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return 'visa';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (two === 34 || two === 37) return 'amex';
  if (four >= 3528 && four <= 3589) return 'jcb';
  if (two === 36 || two === 38 || two === 39 || (Number(digits.slice(0, 3)) >= 300 && Number(digits.slice(0, 3)) <= 305)) return 'diners';
  if (digits.startsWith('6011') || digits.startsWith('65') || (two === 64 && Number(digits[2]) >= 4)) return 'discover';
  if (two === 62) return 'unionpay';
  return 'unknown';
}

/** Returns undefined when the number is not a card number at all (fails Luhn or length). */
export function profileCard(cardNumber: string): CardProfile | undefined {
  const digits = digitsOnly(cardNumber);
  if (!passesLuhn(digits)) return undefined;
  const entry = TEST_CARDS[digits];
  return {
    brand: brandOf(digits),
    last4: digits.slice(-4),
    funding: entry?.funding ?? 'credit',
    country: entry?.country ?? (entry ? 'US' : null),
    threeDSecure: entry?.threeDSecure ?? 'supported',
    decision: entry?.decision ?? { approved: true },
  };
}
