import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { janCheckDigit } from '../catalog/jan-code.ts';
import { corporateNumberCheckDigit } from '../invoicing/registration-number.ts';
import { cardBrandOf, findCardNumbers, luhnValid, maskCardNumber } from './pan-detector.ts';

// Stripe's published test card numbers.
const STRIPE_TEST_CARDS: [string, string][] = [
  ['4242424242424242', 'visa'],
  ['4000056655665556', 'visa'],
  ['5555555555554444', 'mastercard'],
  ['2223003122003222', 'mastercard'],
  ['5200828282828210', 'mastercard'],
  ['5105105105105100', 'mastercard'],
  ['378282246310005', 'amex'],
  ['371449635398431', 'amex'],
  ['6011111111111117', 'discover'],
  ['6011000990139424', 'discover'],
  ['6555900000604105', 'discover'],
  ['3056930009020004', 'diners'],
  ['36227206271667', 'diners'],
  ['3566002020360505', 'jcb'],
  ['6200000000000005', 'unionpay'],
  ['6200000000000047', 'unionpay'],
  ['6205500000000000004', 'unionpay'],
];

const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const group = (digits: string, sizes: number[], sep: string) => {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  return parts.filter((p) => p !== '').join(sep);
};

describe('luhn and brands', () => {
  it('validates Luhn and identifies brands by IIN and length', () => {
    for (const [pan, brand] of STRIPE_TEST_CARDS) {
      expect(luhnValid(pan)).toBe(true);
      expect(cardBrandOf(pan)).toBe(brand);
    }
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(cardBrandOf('3528000000000007')).toBe('jcb');
    expect(cardBrandOf('3590000000000000')).toBeNull(); // just past JCB's range
    expect(cardBrandOf('2720990000000007')).toBe('mastercard');
    expect(cardBrandOf('2721000000000000')).toBeNull();
    expect(cardBrandOf('42424242424242')).toBeNull(); // Visa is never 14 digits
  });

  it('masks to first six and last four', () => {
    expect(maskCardNumber('4242424242424242')).toBe('424242******4242');
    expect(maskCardNumber('378282246310005')).toBe('378282*****0005');
  });
});

describe('findCardNumbers: finds', () => {
  it.each(STRIPE_TEST_CARDS)('%s (%s) plain, grouped, hyphenated and full-width', (pan, brand) => {
    const amexLike = pan.length === 15 ? [4, 6, 5] : pan.length === 14 ? [4, 6, 4] : [4, 4, 4, 4];
    const forms = [
      pan,
      group(pan, amexLike, ' '),
      group(pan, amexLike, '-'),
      toFullWidth(pan),
      toFullWidth(group(pan, amexLike, '　')),
      group(pan, amexLike, '－'),
    ];
    for (const form of forms) {
      const text = `カード番号：${form}、有効期限 12/28`;
      expect(findCardNumbers(text)).toEqual([{ match: form, index: text.indexOf(form), brand }]);
    }
  });

  it('finds several numbers, and a number with a CVC or phone number glued on by a space', () => {
    const text = '4242 4242 4242 4242 123 / 5555-5555-5555-4444 090-1234-5678';
    expect(findCardNumbers(text).map((m) => m.match)).toEqual(['4242 4242 4242 4242', '5555-5555-5555-4444']);
  });

  it('finds numbers inside JSON, URLs and log lines', () => {
    const text = '{"card":"4242424242424242"} GET /pay?pan=4000056655665556&x=1';
    expect(findCardNumbers(text).map((m) => m.index)).toEqual([9, text.indexOf('4000056655665556')]);
  });

  it('property: any Luhn-valid 16-digit Visa in arbitrary surrounding text is found', () => {
    const body = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }).map((d) => `4${d.join('')}`);
    const visa = body.map((b) => {
      for (let check = 0; check <= 9; check++) if (luhnValid(`${b}${check}`)) return `${b}${check}`;
      throw new Error('unreachable');
    });
    const layout = fc.constantFrom('plain', 'spaces', 'hyphens', 'fullwidth');
    // Delimiters that end a digit run: anything but a digit or a group separator.
    const delimiter = fc.constantFrom('\n', '：', ':', '"', '(', '|', 'x', '番号', '=');
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), delimiter, visa, layout, delimiter, fc.string({ maxLength: 40 }), (pre, d1, pan, how, d2, post) => {
        const formatted = how === 'plain' ? pan : how === 'spaces' ? group(pan, [4, 4, 4, 4], ' ') : how === 'hyphens' ? group(pan, [4, 4, 4, 4], '-') : toFullWidth(pan);
        const text = `${pre}${d1}${formatted}${d2}${post}`;
        const at = pre.length + d1.length;
        expect(findCardNumbers(text)).toContainEqual({ match: formatted, index: at, brand: 'visa' });
      }),
    );
  });
});

describe('findCardNumbers: does not flag', () => {
  const janArb = fc
    .tuple(fc.constantFrom('45', '49'), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }))
    .map(([prefix, rest]) => {
      const body = `${prefix}${rest.join('')}`;
      return `${body}${janCheckDigit(body)}`;
    });

  it('property: random Japanese JANs (45/49), alone or in a product CSV line', () => {
    fc.assert(
      fc.property(janArb, (jan) => {
        expect(findCardNumbers(jan)).toEqual([]);
        expect(findCardNumbers(`SKU-001,${jan},シャンプー 1000ml,3980`)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('a JAN that also passes Luhn is a card only when the caller asks for 13-digit codes', () => {
    // Find a 49-prefixed JAN that happens to pass Luhn (about one in ten do).
    let jan = '';
    for (let n = 0; jan === ''; n++) {
      const body = `49${String(n).padStart(10, '0')}`;
      const candidate = `${body}${janCheckDigit(body)}`;
      if (luhnValid(candidate)) jan = candidate;
    }
    expect(findCardNumbers(jan)).toEqual([]);
    expect(findCardNumbers(jan, { flagThirteenDigitCodes: true })).toEqual([{ match: jan, index: 0, brand: 'visa' }]);
  });

  it('property: T-numbers and 法人番号', () => {
    const base = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => d.join(''));
    fc.assert(
      fc.property(base, (b) => {
        const corporate = `${corporateNumberCheckDigit(b)}${b}`;
        expect(findCardNumbers(`登録番号 T${corporate}`)).toEqual([]);
        expect(findCardNumbers(`法人番号 ${corporate}`)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('phone numbers, dates, order numbers, postal codes and amounts', () => {
    const text = [
      'TEL 03-1234-5678 / 090-1234-5678 / 0120-123-456 / +81 90 1234 5678',
      '2025-03-10 14:00 〜 2025-04-10',
      '注文番号 ORD-20250310-000123, 伝票 4242-4242-42',
      '〒150-0001 東京都渋谷区神宮前1-2-3',
      '合計 ¥1,234,567 (税込)',
      '20250310 12345678',
    ].join('\n');
    expect(findCardNumbers(text)).toEqual([]);
  });

  it('digits glued into a longer number', () => {
    expect(findCardNumbers('14242424242424242')).toEqual([]);
    expect(findCardNumbers('42424242424242420000')).toEqual([]);
  });

  it('honours the ignore option', () => {
    const text = 'a 4242424242424242 b 5555555555554444';
    expect(findCardNumbers(text, { ignore: (run) => run.brand === 'visa' }).map((m) => m.brand)).toEqual(['mastercard']);
  });
});
