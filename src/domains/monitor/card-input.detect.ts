import type { InputRecord } from './walk-snapshot.ts';

/**
 * Does this input look like it takes card data? Oroshi never takes a card on its own origin (the
 * card is typed only on the provider's page), so on an Oroshi page any such input is a fake card
 * form (BRIEF catalogue 3) and always critical — whatever the baseline says.
 *
 * Deliberately broad: a false alarm costs an operator a look; a missed fake form costs card numbers.
 */

const CARD_WORDS = /(^|[^a-z0-9])(cc|card|pan|cvc|cvv|cvn|csc|cid)([^a-z0-9]|$)|card.?(number|num|no|holder|name)|credit.?card|security.?code|sec.?code|expir|exp.?(month|year|date|mm|yy)|カード|セキュリティコード|有効期限/i;
const TEXT_LIKE = new Set(['', 'text', 'tel', 'number', 'password', 'search']);

export interface InputForDetection extends InputRecord {
  id?: string;
  placeholder?: string;
  ariaLabel?: string;
}

export function cardLikeReasons(input: InputForDetection): string[] {
  if (input.tag !== 'input' && input.tag !== 'select') return [];
  const type = input.type.toLowerCase();
  if (type === 'hidden' || type === 'submit' || type === 'button' || type === 'checkbox' || type === 'radio') return [];
  const reasons: string[] = [];
  const autocomplete = input.autocomplete.toLowerCase();
  if (/(^|\s)cc-/.test(autocomplete)) reasons.push(`autocomplete=${autocomplete}`);
  for (const [label, value] of [
    ['name', input.name],
    ['id', input.id ?? ''],
    ['placeholder', input.placeholder ?? ''],
    ['aria-label', input.ariaLabel ?? ''],
  ] as const) {
    // Ids often carry a UUID (qty-<uuid>): its hex runs are not words.
    const words = value.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '');
    if (words && CARD_WORDS.test(words)) reasons.push(`${label}=${value.slice(0, 60)}`);
  }
  if (TEXT_LIKE.has(type)) {
    const maxlength = Number(input.maxlength);
    if (Number.isInteger(maxlength) && maxlength >= 13 && maxlength <= 19) reasons.push(`maxlength=${maxlength}`);
    // \d{13,19}, [0-9]{16}, \d{4} \d{4}… : a pattern that wants a long run of digits.
    const quantifiers = [...input.pattern.matchAll(/\{(\d+)(?:,(\d*))?\}/g)].map((m) => Number(m[2] || m[1]));
    if (/\\d|\[0-9/.test(input.pattern) && (quantifiers.some((q) => q >= 13) || /(\\d\{4\}[\s-]?\??){3}/.test(input.pattern))) {
      reasons.push(`pattern=${input.pattern.slice(0, 60)}`);
    }
  }
  return reasons;
}
