import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeInvoiceTax, returnInvoiceTax, type TaxableLine, taxForBase, taxIncluded } from './invoice-tax.ts';

describe('taxForBase', () => {
  it('floors by default and supports round and ceil', () => {
    expect(taxForBase(1005, 10)).toBe(100);
    expect(taxForBase(1005, 10, 'round')).toBe(101);
    expect(taxForBase(1004, 10, 'round')).toBe(100);
    expect(taxForBase(1001, 10, 'ceil')).toBe(101);
    expect(taxForBase(1000, 10, 'ceil')).toBe(100);
    expect(taxForBase(1234, 8)).toBe(98); // 98.72
    expect(taxForBase(1234, 8, 'round')).toBe(99);
  });

  it('rounds negative bases on their magnitude (a refund never gives back more tax)', () => {
    expect(taxForBase(-1005, 10)).toBe(-100);
    expect(taxForBase(-1005, 10, 'round')).toBe(-101);
    expect(Object.is(taxForBase(-5, 10), 0)).toBe(true);
  });

  it('rejects fractional yen and unknown rates', () => {
    expect(() => taxForBase(10.5, 10)).toThrow(RangeError);
    expect(() => taxForBase(100, 5 as 8)).toThrow(RangeError);
  });
});

describe('computeInvoiceTax', () => {
  it('computes tax once per rate, not per line (per-line rounding would lose a yen)', () => {
    const lines: TaxableLine[] = [
      { amountExclTax: 105, rate: 10 },
      { amountExclTax: 105, rate: 10 },
      { amountExclTax: 105, rate: 10 },
    ];
    const perLine = lines.reduce((s, l) => s + Math.floor((l.amountExclTax * l.rate) / 100), 0);
    const result = computeInvoiceTax(lines);
    expect(perLine).toBe(30);
    expect(result.tax).toBe(31);
    expect(result.perRate).toEqual([{ rate: 10, base: 315, tax: 31, total: 346 }]);
    expect(result.total).toBe(346);
  });

  it('keeps 8% and 10% apart, with discounts reducing only their own rate', () => {
    const result = computeInvoiceTax([
      { amountExclTax: 3980, rate: 10 }, // shampoo
      { amountExclTax: 1280, rate: 8 }, // tea for the salon lounge
      { amountExclTax: 655, rate: 8 },
      { amountExclTax: -500, rate: 10 }, // coupon on the shampoo
    ]);
    expect(result.perRate).toEqual([
      { rate: 10, base: 3480, tax: 348, total: 3828 },
      { rate: 8, base: 1935, tax: 154, total: 2089 }, // 154.8 floored
    ]);
    expect(result.subtotal).toBe(5415);
    expect(result.tax).toBe(502);
    expect(result.total).toBe(5917);
  });

  it('applies the chosen rounding per rate', () => {
    const lines: TaxableLine[] = [
      { amountExclTax: 1935, rate: 8 },
      { amountExclTax: 1005, rate: 10 },
    ];
    expect(computeInvoiceTax(lines, { rounding: 'round' }).tax).toBe(155 + 101);
    expect(computeInvoiceTax(lines, { rounding: 'ceil' }).tax).toBe(155 + 101);
    expect(computeInvoiceTax(lines, { rounding: 'floor' }).tax).toBe(154 + 100);
  });

  it('lists only rates that occur and handles an empty invoice', () => {
    expect(computeInvoiceTax([{ amountExclTax: 100, rate: 8 }]).perRate.map((r) => r.rate)).toEqual([8]);
    expect(computeInvoiceTax([])).toEqual({ perRate: [], subtotal: 0, tax: 0, total: 0 });
  });

  it('a net-negative rate (returns exceeding sales) gets negative tax truncated toward zero', () => {
    const result = computeInvoiceTax([
      { amountExclTax: 1000, rate: 10 },
      { amountExclTax: -2005, rate: 10 },
    ]);
    expect(result.perRate[0]).toEqual({ rate: 10, base: -1005, tax: -100, total: -1105 });
  });

  const lineArb = fc.record({
    amountExclTax: fc.integer({ min: -100_000, max: 1_000_000 }),
    rate: fc.constantFrom<8 | 10>(8, 10),
  });

  it('property: per-rate floored tax is within one yen of the unrounded per-rate tax and never above it', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), (lines) => {
        const result = computeInvoiceTax(lines);
        for (const r of result.perRate) {
          const exact = lines.filter((l) => l.rate === r.rate).reduce((s, l) => s + (l.amountExclTax * l.rate) / 100, 0);
          expect(Math.abs(r.tax)).toBeLessThanOrEqual(Math.abs(exact) + 1e-9);
          expect(Math.abs(exact) - Math.abs(r.tax)).toBeLessThan(1);
        }
      }),
    );
  });

  it('property: with non-negative lines, per-rate tax ≤ sum of unrounded per-line tax, and ≥ sum of floored per-line tax', () => {
    const positive = fc.record({ amountExclTax: fc.integer({ min: 0, max: 1_000_000 }), rate: fc.constantFrom<8 | 10>(8, 10) });
    fc.assert(
      fc.property(fc.array(positive, { maxLength: 40 }), (lines) => {
        const result = computeInvoiceTax(lines);
        const unrounded = lines.reduce((s, l) => s + (l.amountExclTax * l.rate) / 100, 0);
        const perLineFloored = lines.reduce((s, l) => s + Math.floor((l.amountExclTax * l.rate) / 100), 0);
        expect(result.tax).toBeLessThanOrEqual(unrounded + 1);
        expect(result.tax).toBeGreaterThanOrEqual(perLineFloored);
      }),
    );
  });

  it('property: totals add up for every rounding mode', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), fc.constantFrom('floor', 'round', 'ceil' as const), (lines, rounding) => {
        const result = computeInvoiceTax(lines, { rounding });
        const sumOfLines = lines.reduce((s, l) => s + l.amountExclTax, 0);
        expect(result.subtotal).toBe(sumOfLines);
        expect(result.tax).toBe(result.perRate.reduce((s, r) => s + r.tax, 0));
        expect(result.total).toBe(result.subtotal + result.tax);
        for (const r of result.perRate) expect(r.total).toBe(r.base + r.tax);
      }),
    );
  });

  it('property: splitting a line in two never changes the invoice tax', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), fc.nat(), fc.integer({ min: -1000, max: 1000 }), (lines, pick, delta) => {
        const i = pick % lines.length;
        const target = lines[i]!;
        const split = [...lines.slice(0, i), { ...target, amountExclTax: target.amountExclTax - delta }, { ...target, amountExclTax: delta }, ...lines.slice(i + 1)];
        expect(computeInvoiceTax(split)).toEqual(computeInvoiceTax(lines));
      }),
    );
  });
});

describe('taxIncluded', () => {
  it('adds floored tax to a unit price for display', () => {
    expect(taxIncluded(1980, 10)).toBe(2178);
    expect(taxIncluded(1999, 10)).toBe(2198); // 199.9 floored
    expect(taxIncluded(1999, 8)).toBe(2158); // 159.92 floored
    expect(taxIncluded(1999, 10, 'round')).toBe(2199);
  });
});

describe('returnInvoiceTax', () => {
  it('states returned amounts and their tax once per rate', () => {
    const result = returnInvoiceTax([
      { amountExclTax: 1105, rate: 10 },
      { amountExclTax: 1105, rate: 10 },
      { amountExclTax: 333, rate: 8 },
    ]);
    expect(result.perRate).toEqual([
      { rate: 10, base: 2210, tax: 221, total: 2431 },
      { rate: 8, base: 333, tax: 26, total: 359 },
    ]);
    expect(result.total).toBe(2790);
  });

  it('rejects negative returned amounts', () => {
    expect(() => returnInvoiceTax([{ amountExclTax: -100, rate: 10 }])).toThrow(RangeError);
  });
});
