// Finds card numbers (PANs) in free text: logs, uploads, database dumps. A hit is a run of
// 12–19 digits (ASCII or full-width, optionally grouped by single spaces or hyphens) whose
// prefix and length fit a card brand's IIN range and that passes the Luhn check.
//
// What is deliberately not reported:
// - Runs of 20+ unseparated digits, and digits glued to other digits: they are not card numbers
//   as people or systems write them.
// - Grouped runs with a group shorter than 3 digits (dates, phone numbers, version strings):
//   every card layout in use groups by 4/6/5 or 4/4/4/4(/3).
// - 13-digit runs that are a valid JAN (EAN-13), a valid 法人番号, or a T-number (T + 13 digits).
//   Visa no longer issues 13-digit PANs, while every product row carries a 13-digit JAN that
//   passes Luhn about one time in ten; flagging those would bury real findings. A caller that
//   scans a context where 13-digit Visa numbers matter sets `flagThirteenDigitCodes`.
// Phone numbers (10–11 digits) are too short to match any brand.

import { isValidJan } from '../catalog/jan-code.ts';
import { isValidCorporateNumber } from '../invoicing/registration-number.ts';

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'jcb' | 'diners' | 'discover' | 'unionpay';

export interface CardNumberMatch {
  /** The text as it appears, separators and full-width digits included. */
  match: string;
  /** Offset of match in the scanned text (UTF-16 code units). */
  index: number;
  brand: CardBrand;
}

export interface DigitRun {
  digits: string;
  match: string;
  index: number;
  brand: CardBrand;
  /** The character just before the run, '' at the start of the text. */
  before: string;
}

export interface FindCardNumbersOptions {
  /** Return true to drop a candidate, e.g. when the caller knows the column holds JANs. */
  ignore?: (run: DigitRun) => boolean;
  /** Also report 13-digit Visa-shaped runs that are valid JANs or 法人番号. */
  flagThirteenDigitCodes?: boolean;
}

interface BrandRule {
  brand: CardBrand;
  lengths: readonly number[];
  matches: (digits: string) => boolean;
}

const prefixBetween = (digits: string, width: number, low: number, high: number): boolean => {
  const prefix = Number(digits.slice(0, width));
  return prefix >= low && prefix <= high;
};

const SIXTEEN_TO_NINETEEN = [16, 17, 18, 19];

// Order matters: Discover's co-branded UnionPay range (622126–622925) is checked before UnionPay.
const BRANDS: readonly BrandRule[] = [
  { brand: 'amex', lengths: [15], matches: (d) => d.startsWith('34') || d.startsWith('37') },
  { brand: 'jcb', lengths: SIXTEEN_TO_NINETEEN, matches: (d) => prefixBetween(d, 4, 3528, 3589) },
  { brand: 'diners', lengths: [14, 15, 16, 17, 18, 19], matches: (d) => d.startsWith('36') },
  {
    brand: 'diners',
    lengths: SIXTEEN_TO_NINETEEN,
    matches: (d) => prefixBetween(d, 3, 300, 305) || d.startsWith('3095') || d.startsWith('38') || d.startsWith('39'),
  },
  { brand: 'visa', lengths: [13, 16, 19], matches: (d) => d.startsWith('4') },
  { brand: 'mastercard', lengths: [16], matches: (d) => prefixBetween(d, 2, 51, 55) || prefixBetween(d, 4, 2221, 2720) },
  {
    brand: 'discover',
    lengths: SIXTEEN_TO_NINETEEN,
    matches: (d) => d.startsWith('6011') || prefixBetween(d, 3, 644, 649) || d.startsWith('65') || prefixBetween(d, 6, 622126, 622925),
  },
  { brand: 'unionpay', lengths: SIXTEEN_TO_NINETEEN, matches: (d) => d.startsWith('62') },
];

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function cardBrandOf(digits: string): CardBrand | null {
  if (digits.length < 12 || digits.length > 19) return null;
  for (const rule of BRANDS) {
    if (rule.lengths.includes(digits.length) && rule.matches(digits)) return rule.brand;
  }
  return null;
}

/** Keeps the first six and last four digits, masking the rest with '*' (as PCI DSS allows). */
export function maskCardNumber(digits: string): string {
  if (digits.length < 12) return '*'.repeat(digits.length);
  return digits.slice(0, 6) + '*'.repeat(digits.length - 10) + digits.slice(-4);
}

const FULLWIDTH_ZERO = 0xff10;

function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= FULLWIDTH_ZERO && code <= FULLWIDTH_ZERO + 9) return code - FULLWIDTH_ZERO;
  return -1;
}

// Single characters that may separate digit groups: space, ideographic space, hyphen look-alikes.
const SEPARATORS = new Set([' ', '\u3000', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2212', '\uff0d']);

interface Group {
  start: number;
  end: number; // exclusive
  digits: string;
}

/** Splits text into runs of digit groups joined by single separators. */
function* digitRuns(text: string): Generator<Group[]> {
  let i = 0;
  while (i < text.length) {
    if (digitValue(text.charCodeAt(i)) < 0) {
      i++;
      continue;
    }
    const groups: Group[] = [];
    while (true) {
      const start = i;
      let digits = '';
      while (i < text.length && digitValue(text.charCodeAt(i)) >= 0) {
        digits += String(digitValue(text.charCodeAt(i)));
        i++;
      }
      groups.push({ start, end: i, digits });
      if (i + 1 < text.length && SEPARATORS.has(text[i]!) && digitValue(text.charCodeAt(i + 1)) >= 0) {
        i++;
        continue;
      }
      break;
    }
    yield groups;
  }
}

function isExcludedThirteen(digits: string, before: string): boolean {
  return before === 'T' || before === 't' || before === 'Ｔ' || isValidJan(digits) || isValidCorporateNumber(digits);
}

export function findCardNumbers(text: string, opts: FindCardNumbersOptions = {}): CardNumberMatch[] {
  const found: CardNumberMatch[] = [];
  for (const groups of digitRuns(text)) {
    let first = 0;
    while (first < groups.length) {
      let matched = -1;
      // Longest window of whole groups starting at `first` that is a card number.
      for (let last = groups.length - 1; last >= first; last--) {
        const window = groups.slice(first, last + 1);
        if (window.length > 1 && window.some((g) => g.digits.length < 3)) continue;
        const digits = window.map((g) => g.digits).join('');
        if (digits.length < 12 || digits.length > 19) continue;
        const brand = cardBrandOf(digits);
        if (brand === null || !luhnValid(digits)) continue;
        const start = window[0]!.start;
        const before = start > 0 ? text[start - 1]! : '';
        if (digits.length === 13 && !opts.flagThirteenDigitCodes && isExcludedThirteen(digits, before)) continue;
        const match = text.slice(start, window[window.length - 1]!.end);
        if (opts.ignore?.({ digits, match, index: start, brand, before })) continue;
        found.push({ match, index: start, brand });
        matched = last;
        break;
      }
      first = matched >= 0 ? matched + 1 : first + 1;
    }
  }
  return found;
}
