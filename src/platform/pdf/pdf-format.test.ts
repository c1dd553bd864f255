import { describe, expect, it } from 'vitest';
import {
  formatJapaneseDate,
  formatJapaneseDateRange,
  formatQuantity,
  formatTaxRate,
  formatYen,
} from './pdf-format.ts';

describe('formatYen', () => {
  it('groups thousands with a yen sign in front or 円 behind', () => {
    expect(formatYen(12345)).toBe('¥12,345');
    expect(formatYen(12345, 'suffix')).toBe('12,345円');
    expect(formatYen(0)).toBe('¥0');
    expect(formatYen(999)).toBe('¥999');
    expect(formatYen(1000)).toBe('¥1,000');
    expect(formatYen(1234567890)).toBe('¥1,234,567,890');
  });

  it('puts the minus before the currency sign', () => {
    expect(formatYen(-2720)).toBe('-¥2,720');
    expect(formatYen(-2720, 'suffix')).toBe('-2,720円');
  });

  it('rejects fractional or unsafe amounts instead of printing them', () => {
    expect(() => formatYen(10.5)).toThrow(RangeError);
    expect(() => formatYen(Number.NaN)).toThrow(RangeError);
    expect(() => formatYen(2 ** 60)).toThrow(RangeError);
  });
});

describe('formatQuantity', () => {
  it('groups thousands and keeps decimals', () => {
    expect(formatQuantity(24)).toBe('24');
    expect(formatQuantity(12000)).toBe('12,000');
    expect(formatQuantity(1.5)).toBe('1.5');
    expect(formatQuantity(-3)).toBe('-3');
  });
});

describe('Japanese dates', () => {
  it('prints 年月日 without zero padding', () => {
    expect(formatJapaneseDate('2026-11-20')).toBe('2026年11月20日');
    expect(formatJapaneseDate('2026-01-05')).toBe('2026年1月5日');
  });

  it('prints a closing period with 〜 and a one-day range once', () => {
    expect(formatJapaneseDateRange('2026-10-21', '2026-11-20')).toBe('2026年10月21日〜2026年11月20日');
    expect(formatJapaneseDateRange('2026-11-18', '2026-11-18')).toBe('2026年11月18日');
  });

  it('refuses anything but YYYY-MM-DD', () => {
    expect(() => formatJapaneseDate('2026/11/20')).toThrow(RangeError);
    expect(() => formatJapaneseDate('2026-11-20T00:00:00Z')).toThrow(RangeError);
  });
});

describe('formatTaxRate', () => {
  it('prints percent', () => {
    expect(formatTaxRate(10)).toBe('10%');
    expect(formatTaxRate(8)).toBe('8%');
  });
});
