import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMemberPrice, rateToTenThousandths } from './price-math.ts';

const saleEnd = new Date('2030-01-31T15:00:00Z');

describe('computeMemberPrice', () => {
  it('charges the list price with no rank', () => {
    const p = computeMemberPrice({ listPriceYen: 3200, taxRate: 10, rankRate: null });
    expect(p).toMatchObject({ listPriceYen: 3200, unitPriceYen: 3200, unitPriceInclTaxYen: 3520, source: 'list' });
  });

  it('applies the rank 掛け率 exactly and floors to the yen', () => {
    expect(computeMemberPrice({ listPriceYen: 1000, taxRate: 10, rankRate: '0.7000' }).unitPriceYen).toBe(700);
    // 1,234 × 0.65 = 802.1 → 802; tax-included floor(802 × 1.1) = 882
    const p = computeMemberPrice({ listPriceYen: 1234, taxRate: 10, rankRate: '0.6500' });
    expect(p).toMatchObject({ unitPriceYen: 802, unitPriceInclTaxYen: 882, source: 'rank' });
    // 8% reduced rate: 802 + floor(64.16) = 866
    expect(computeMemberPrice({ listPriceYen: 1234, taxRate: 8, rankRate: '0.65' }).unitPriceInclTaxYen).toBe(866);
  });

  it('treats a rank rate of 1 as the list price', () => {
    expect(computeMemberPrice({ listPriceYen: 500, taxRate: 10, rankRate: '1.0000' }).source).toBe('list');
  });

  it('lets a variant override the rank with an absolute price or its own rate', () => {
    const absolute = computeMemberPrice({ listPriceYen: 2000, taxRate: 10, rankRate: '0.8', rankOverride: { priceYen: 1500, rate: null } });
    expect(absolute).toMatchObject({ unitPriceYen: 1500, source: 'rank_override' });
    // The override wins even when it is dearer than the rank rate would be.
    const rate = computeMemberPrice({ listPriceYen: 2000, taxRate: 10, rankRate: '0.6', rankOverride: { priceYen: null, rate: '0.9000' } });
    expect(rate).toMatchObject({ unitPriceYen: 1800, source: 'rank_override' });
  });

  it('never charges an override above the list price', () => {
    const p = computeMemberPrice({ listPriceYen: 1000, taxRate: 10, rankRate: '0.8', rankOverride: { priceYen: 1200, rate: null } });
    expect(p).toMatchObject({ unitPriceYen: 1000, source: 'list' });
  });

  it('takes a sale price only when it is lower than the rank price', () => {
    const lower = computeMemberPrice({ listPriceYen: 3000, taxRate: 10, rankRate: '0.7', sale: { priceYen: 1800, endsAt: saleEnd } });
    expect(lower).toMatchObject({ unitPriceYen: 1800, source: 'sale', saleEndsAt: saleEnd });
    const higher = computeMemberPrice({ listPriceYen: 3000, taxRate: 10, rankRate: '0.5', sale: { priceYen: 1800, endsAt: saleEnd } });
    expect(higher).toMatchObject({ unitPriceYen: 1500, source: 'rank' });
    expect(higher.saleEndsAt).toBeUndefined();
  });

  it('applies the best volume tier reached by the quantity on top of the rank price', () => {
    const tiers = [
      { minQuantity: 24, discountRate: '0.1000' },
      { minQuantity: 12, discountRate: '0.0500' },
    ];
    const one = computeMemberPrice({ listPriceYen: 1000, taxRate: 10, rankRate: '0.7', tiers, quantity: 11 });
    expect(one).toMatchObject({ unitPriceYen: 700, source: 'rank' });
    expect(one.tierMinQuantity).toBeUndefined();
    const twelve = computeMemberPrice({ listPriceYen: 1000, taxRate: 10, rankRate: '0.7', tiers, quantity: 12 });
    expect(twelve).toMatchObject({ unitPriceYen: 665, unitPriceInclTaxYen: 731, source: 'tier', tierMinQuantity: 12, baseUnitPriceYen: 700 });
    const many = computeMemberPrice({ listPriceYen: 1000, taxRate: 10, rankRate: '0.7', tiers, quantity: 30 });
    expect(many).toMatchObject({ unitPriceYen: 630, tierMinQuantity: 24 });
    // The table lists every tier, smallest quantity first.
    expect(many.tiers.map((t) => [t.minQuantity, t.unitPriceYen])).toEqual([
      [12, 665],
      [24, 630],
    ]);
  });

  it('stacks a tier on a sale price and keeps the sale end date', () => {
    const p = computeMemberPrice({
      listPriceYen: 2000,
      taxRate: 10,
      rankRate: '0.8',
      sale: { priceYen: 1333, endsAt: saleEnd },
      tiers: [{ minQuantity: 6, discountRate: '0.0300' }],
      quantity: 6,
    });
    // floor(1333 × 0.97) = floor(1293.01) = 1293
    expect(p).toMatchObject({ unitPriceYen: 1293, source: 'tier', tierMinQuantity: 6, saleEndsAt: saleEnd, baseUnitPriceYen: 1333 });
  });

  it('stacks a tier on an override', () => {
    const p = computeMemberPrice({
      listPriceYen: 5000,
      taxRate: 10,
      rankRate: '0.9',
      rankOverride: { priceYen: 3999, rate: null },
      tiers: [{ minQuantity: 3, discountRate: '0.1' }],
      quantity: 3,
    });
    expect(p).toMatchObject({ unitPriceYen: 3599, baseUnitPriceYen: 3999, source: 'tier' });
  });

  it('rejects malformed rates and prices', () => {
    expect(() => rateToTenThousandths('1.5')).toThrow(RangeError);
    expect(() => rateToTenThousandths('0')).toThrow(RangeError);
    expect(() => rateToTenThousandths('-0.5')).toThrow(RangeError);
    expect(() => computeMemberPrice({ listPriceYen: 10.5, taxRate: 10, rankRate: null })).toThrow(RangeError);
    expect(() => computeMemberPrice({ listPriceYen: -1, taxRate: 10, rankRate: null })).toThrow(RangeError);
  });

  it('reads rates exactly', () => {
    expect(rateToTenThousandths('0.7500')).toBe(7500);
    expect(rateToTenThousandths(0.65)).toBe(6500);
    expect(rateToTenThousandths('1')).toBe(10000);
    expect(rateToTenThousandths('0.0001')).toBe(1);
  });
});

const rate = fc.integer({ min: 1, max: 10000 }).map((n) => (n / 10000).toFixed(4));
const inputs = fc.record({
  listPriceYen: fc.integer({ min: 0, max: 1_000_000 }),
  taxRate: fc.constantFrom(8 as const, 10 as const),
  rankRate: fc.option(rate),
  rankOverride: fc.option(
    fc.oneof(
      fc.record({ priceYen: fc.integer({ min: 0, max: 2_000_000 }), rate: fc.constant(null) }),
      fc.record({ priceYen: fc.constant(null), rate }),
    ),
  ),
  sale: fc.option(fc.record({ priceYen: fc.integer({ min: 0, max: 2_000_000 }), endsAt: fc.constant(saleEnd) })),
  tiers: fc.array(
    fc.record({ minQuantity: fc.integer({ min: 2, max: 100 }), discountRate: fc.integer({ min: 1, max: 9999 }).map((n) => (n / 10000).toFixed(4)) }),
    { maxLength: 4 },
  ),
  quantity: fc.integer({ min: 1, max: 200 }),
});

describe('computeMemberPrice properties', () => {
  it('is never above the list price, never negative, and whole yen', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const p = computeMemberPrice(input);
        expect(p.unitPriceYen).toBeLessThanOrEqual(input.listPriceYen);
        expect(p.unitPriceYen).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(p.unitPriceYen)).toBe(true);
        expect(p.unitPriceInclTaxYen).toBeGreaterThanOrEqual(p.unitPriceYen);
        expect(p.unitPriceInclTaxYen).toBe(p.unitPriceYen + Math.floor((p.unitPriceYen * p.taxRate) / 100));
      }),
    );
  });

  it('never charges more for a larger quantity', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 100 }), (input, more) => {
        const fewer = computeMemberPrice(input);
        const larger = computeMemberPrice({ ...input, quantity: input.quantity + more });
        expect(larger.unitPriceYen).toBeLessThanOrEqual(fewer.unitPriceYen);
      }),
    );
  });

  it('is never above an active sale price or the rank price', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const p = computeMemberPrice(input);
        if (input.sale) expect(p.unitPriceYen).toBeLessThanOrEqual(input.sale.priceYen);
        const withoutSale = computeMemberPrice({ ...input, sale: null, tiers: [] });
        expect(p.unitPriceYen).toBeLessThanOrEqual(withoutSale.unitPriceYen);
      }),
    );
  });

  it('names the source that produced the price', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const p = computeMemberPrice(input);
        if (p.source === 'list') expect(p.unitPriceYen).toBe(input.listPriceYen);
        if (p.source === 'sale') expect(p.unitPriceYen).toBe(input.sale?.priceYen);
        if (p.source === 'tier') expect(p.tierMinQuantity).toBeLessThanOrEqual(input.quantity);
        else expect(p.unitPriceYen).toBe(p.baseUnitPriceYen);
      }),
    );
  });
});
