import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJapaneseJan, isValidJan, janCheckDigit, parseJan } from './jan-code.ts';

describe('janCheckDigit', () => {
  it('computes EAN-13 and EAN-8 check digits', () => {
    expect(janCheckDigit('490123456789')).toBe(4);
    expect(janCheckDigit('400638133393')).toBe(1);
    expect(janCheckDigit('9638507')).toBe(4);
    // Weights run 3,1,3,… from the right: here 9·3 + 4·1 = 31, so the check digit is 9.
    expect(janCheckDigit('490000000000')).toBe(9);
  });

  it('rejects bodies of the wrong length', () => {
    expect(() => janCheckDigit('12345')).toThrow(RangeError);
    expect(() => janCheckDigit('4901234567894')).toThrow(RangeError);
  });
});

describe('parseJan / isValidJan', () => {
  it('accepts valid codes, normalising full-width digits, spaces and hyphens', () => {
    expect(parseJan('4901234567894')).toEqual({ ok: true, value: '4901234567894', kind: 'EAN-13' });
    expect(parseJan('４９０１２３４５６７８９４')).toEqual({ ok: true, value: '4901234567894', kind: 'EAN-13' });
    expect(parseJan('49 01234 56789 4')).toEqual({ ok: true, value: '4901234567894', kind: 'EAN-13' });
    expect(parseJan('9638-5074')).toEqual({ ok: true, value: '96385074', kind: 'EAN-8' });
    expect(isValidJan('4006381333931')).toBe(true);
  });

  it('rejects wrong check digits, lengths and characters with Japanese messages', () => {
    const messageOf = (input: string) => {
      const r = parseJan(input);
      if (r.ok) throw new Error(`expected ${input} to be rejected`);
      return r.message;
    };
    expect(messageOf('4901234567895')).toContain('チェックデジット');
    expect(messageOf('490123456789')).toContain('12桁');
    expect(messageOf('49012345678A4')).toContain('数字のみ');
    expect(messageOf('')).toContain('入力してください');
    expect(isValidJan('96385075')).toBe(false);
  });

  it('property: any body plus its check digit is valid, and any single changed digit is caught', () => {
    const body = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => d.join(''));
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 9 }), (b, pos, delta) => {
        const code = `${b}${janCheckDigit(b)}`;
        expect(isValidJan(code)).toBe(true);
        const changed = (code.charCodeAt(pos) - 48 + delta) % 10;
        expect(isValidJan(`${code.slice(0, pos)}${changed}${code.slice(pos + 1)}`)).toBe(false);
      }),
    );
  });

  it('isJapaneseJan requires a 45/49 prefix and a valid check digit', () => {
    expect(isJapaneseJan('4901234567894')).toBe(true);
    expect(isJapaneseJan('4006381333931')).toBe(false);
    expect(isJapaneseJan('4901234567895')).toBe(false);
  });
});
