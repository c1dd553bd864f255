import { describe, expect, it } from 'vitest';
import { codFee, computeShippingFee, type ShippingFeeRules } from './shipping-fee.ts';

const rules: ShippingFeeRules = {
  flatFee: 800,
  freeThresholdExclTax: 10_000,
  prefectureSurcharges: { 北海道: 500, 沖縄県: 1200 },
  remoteIslands: { postalCodePrefixes: ['100-21', '10001', '907'], surcharge: 1500 },
};

const quote = (prefecture: string, postalCode: string, subtotalExclTax: number, r: ShippingFeeRules = rules) =>
  computeShippingFee(r, { prefecture, postalCode, subtotalExclTax });

describe('computeShippingFee', () => {
  it('charges the flat fee below the threshold and nothing from it', () => {
    expect(quote('東京都', '150-0001', 9_999)).toMatchObject({ fee: 800, freeShippingApplied: false, surchargeReason: null });
    expect(quote('東京都', '150-0001', 10_000)).toMatchObject({ fee: 0, freeShippingApplied: true });
  });

  it('never makes shipping free without a threshold', () => {
    expect(quote('東京都', '150-0001', 1_000_000, { ...rules, freeThresholdExclTax: null }).fee).toBe(800);
  });

  it('adds prefecture surcharges, still charged when shipping is free unless waived', () => {
    expect(quote('北海道', '060-0001', 5_000)).toMatchObject({ fee: 1300, surcharge: 500, surchargeReason: 'prefecture' });
    expect(quote('沖縄県', '900-0001', 20_000)).toMatchObject({ fee: 1200, baseFee: 0, surcharge: 1200 });
    expect(quote('沖縄県', '900-0001', 20_000, { ...rules, waiveSurchargesWhenFree: true }).fee).toBe(0);
  });

  it('recognises remote islands by postal-code prefix in any width or punctuation', () => {
    expect(quote('東京都', '100-2101', 5_000)).toMatchObject({ fee: 2300, surchargeReason: 'remote_island' }); // 小笠原
    expect(quote('東京都', '１００－０１０１', 5_000)).toMatchObject({ surchargeReason: 'remote_island' }); // 大島
    expect(quote('東京都', '100-0001', 5_000).surchargeReason).toBeNull();
  });

  it('takes the higher of island and prefecture surcharges, not both', () => {
    // 石垣島 is in 沖縄県 and on the island list.
    expect(quote('沖縄県', '907-0004', 5_000)).toMatchObject({ surcharge: 1500, surchargeReason: 'remote_island', fee: 2300 });
  });

  it('rejects unknown prefectures and non-integer amounts', () => {
    expect(() => quote('東京', '100-0001', 5_000)).toThrow(RangeError);
    expect(() => quote('東京都', '100-0001', 10.5)).toThrow(RangeError);
  });
});

describe('codFee', () => {
  // Bands shaped like a carrier's 代引手数料 (tax-included).
  const table = [
    { upToInclTax: 10_000, fee: 330 },
    { upToInclTax: 30_000, fee: 440 },
    { upToInclTax: 100_000, fee: 660 },
    { upToInclTax: 300_000, fee: 1_100 },
  ];

  it('picks the band by upper bound, inclusive', () => {
    expect(codFee(table, 0)).toBe(330);
    expect(codFee(table, 10_000)).toBe(330);
    expect(codFee(table, 10_001)).toBe(440);
    expect(codFee(table, 300_000)).toBe(1_100);
  });

  it('returns null above the last band (COD unavailable)', () => {
    expect(codFee(table, 300_001)).toBeNull();
    expect(codFee([], 1)).toBeNull();
  });

  it('rejects unordered tables', () => {
    expect(() => codFee([{ upToInclTax: 30_000, fee: 440 }, { upToInclTax: 10_000, fee: 330 }], 5)).toThrow(RangeError);
  });
});
