import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  corporateNumberCheckDigit,
  isRegistrationNumber,
  isValidCorporateNumber,
  parseRegistrationNumber,
} from './registration-number.ts';

const base12 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => d.join(''));

describe('corporateNumberCheckDigit', () => {
  it('matches the published worked example (7123456789012)', () => {
    expect(corporateNumberCheckDigit('123456789012')).toBe(7);
    expect(isValidCorporateNumber('7123456789012')).toBe(true);
  });

  it('weights digits from the lowest position: odd ×1, even ×2', () => {
    // Only the lowest digit set: Σ = 1 → 9 − 1 = 8. Only the second-lowest: Σ = 2 → 7.
    expect(corporateNumberCheckDigit('000000000001')).toBe(8);
    expect(corporateNumberCheckDigit('000000000010')).toBe(7);
    // Σ ≡ 0 (mod 9) gives 9, so a check digit is never 0.
    expect(corporateNumberCheckDigit('000000000000')).toBe(9);
    expect(corporateNumberCheckDigit('000000000009')).toBe(9);
  });

  it('property: the check digit is always 1–9 and detects any single-digit change except 0↔9', () => {
    fc.assert(
      fc.property(base12, fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 8 }), (base, pos, delta) => {
        const check = corporateNumberCheckDigit(base);
        expect(check).toBeGreaterThanOrEqual(1);
        expect(check).toBeLessThanOrEqual(9);
        const full = `${check}${base}`;
        expect(isValidCorporateNumber(full)).toBe(true);
        const digit = base.charCodeAt(pos) - 48;
        const changed = (digit + delta) % 10;
        if (Math.abs(changed - digit) === 9) return;
        const broken = `${check}${base.slice(0, pos)}${changed}${base.slice(pos + 1)}`;
        expect(isValidCorporateNumber(broken)).toBe(false);
      }),
    );
  });
});

describe('parseRegistrationNumber', () => {
  it('accepts the canonical form', () => {
    expect(parseRegistrationNumber('T7123456789012')).toEqual({ ok: true, value: 'T7123456789012' });
  });

  it('accepts full-width Ｔ and digits, lower-case t, hyphens and spaces', () => {
    for (const input of ['Ｔ７１２３４５６７８９０１２', 't7123456789012', 'T7-1234-5678-9012', ' T 7123 4567 89012 ', 'T7‐1234‐5678‐9012', 'Ｔ７ー１２３４ー５６７８ー９０１２', 'T\u30007123456789012']) {
      expect(parseRegistrationNumber(input)).toEqual({ ok: true, value: 'T7123456789012' });
    }
  });

  it('property: every correctly computed number parses back to itself', () => {
    fc.assert(
      fc.property(base12, (base) => {
        const value = `T${corporateNumberCheckDigit(base)}${base}`;
        expect(parseRegistrationNumber(value)).toEqual({ ok: true, value });
        expect(isRegistrationNumber(value)).toBe(true);
      }),
    );
  });

  it('explains in Japanese what is wrong', () => {
    const messageOf = (input: string) => {
      const r = parseRegistrationNumber(input);
      if (r.ok) throw new Error(`expected ${input} to be rejected`);
      return r.message;
    };
    expect(messageOf('')).toContain('入力してください');
    expect(messageOf('7123456789012')).toContain('「T」を含めて');
    expect(messageOf('T712345678901')).toContain('12桁');
    expect(messageOf('T71234567890123')).toContain('14桁');
    expect(messageOf('T712345678901X')).toContain('13桁の数字');
    expect(messageOf('X7123456789012')).toContain('13桁の数字');
    expect(messageOf('T8123456789012')).toContain('誤り');
    expect(messageOf('T0123456789012')).toContain('誤り');
  });

  it('isRegistrationNumber only accepts the stored canonical form', () => {
    expect(isRegistrationNumber('T7123456789012')).toBe(true);
    expect(isRegistrationNumber('t7123456789012')).toBe(false);
    expect(isRegistrationNumber('T8123456789012')).toBe(false);
  });
});
