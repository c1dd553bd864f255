import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InvoiceOrderLine } from '../invoicing/order-invoice.ts';
import { computeInvoiceTax } from '../tax/invoice-tax.ts';
import { returnCreditYen } from './refund.service.ts';

/**
 * The amount a return gives back (refund or 掛け払い credit) is the 返還インボイス's: returned goods
 * at their unit price, tax once per rate over the return. Properties over random orders and
 * returns: it never exceeds the goods' share of the order, grows with what is returned, and
 * splitting one return into several never gives back more than returning everything at once.
 */

const lineArb = fc.record({
  unit: fc.integer({ min: 1, max: 200_000 }),
  quantity: fc.integer({ min: 1, max: 60 }),
  rate: fc.constantFrom(8 as const, 10 as const),
});

const orderArb = fc.array(lineArb, { minLength: 1, maxLength: 8 }).map((raw): InvoiceOrderLine[] =>
  raw.map((l, i) => ({
    line_no: i + 1,
    name: `商品${i + 1}`,
    capacity: '',
    sku: `SKU-${i + 1}`,
    quantity: l.quantity,
    unit_price_excl_tax: l.unit,
    line_total_excl_tax: l.unit * l.quantity,
    tax_rate: l.rate,
  })),
);

/** An order with two disjoint returns (each a share of every line) taken from it. */
const orderWithReturns = orderArb.chain((lines) =>
  fc
    .tuple(...lines.map((l) => fc.tuple(fc.integer({ min: 0, max: l.quantity }), fc.integer({ min: 0, max: l.quantity }))))
    .map((picks) => {
      const first: { lineNo: number; quantity: number }[] = [];
      const second: { lineNo: number; quantity: number }[] = [];
      picks.forEach(([a, b], i) => {
        const line = lines[i]!;
        const one = Math.min(a, line.quantity);
        const two = Math.min(b, line.quantity - one);
        if (one) first.push({ lineNo: line.line_no, quantity: one });
        if (two) second.push({ lineNo: line.line_no, quantity: two });
      });
      return { lines, first, second };
    }),
);

const goodsTotal = (lines: InvoiceOrderLine[]) => computeInvoiceTax(lines.map((l) => ({ amountExclTax: l.line_total_excl_tax, rate: l.tax_rate }))).total;

describe('return credit (返還インボイス amount)', () => {
  it('returning everything gives back exactly the goods total of the order, tax once per rate', () => {
    fc.assert(
      fc.property(orderArb, (lines) => {
        expect(returnCreditYen(lines, lines.map((l) => ({ lineNo: l.line_no, quantity: l.quantity })))).toBe(goodsTotal(lines));
      }),
    );
  });

  it('never exceeds the goods total and never shrinks when more is returned', () => {
    fc.assert(
      fc.property(orderWithReturns, ({ lines, first, second }) => {
        const one = returnCreditYen(lines, first);
        const merged = new Map<number, number>();
        for (const r of [...first, ...second]) merged.set(r.lineNo, (merged.get(r.lineNo) ?? 0) + r.quantity);
        const both = returnCreditYen(lines, [...merged].map(([lineNo, quantity]) => ({ lineNo, quantity })));
        expect(one).toBeGreaterThanOrEqual(0);
        expect(both).toBeGreaterThanOrEqual(one);
        expect(both).toBeLessThanOrEqual(goodsTotal(lines));
      }),
    );
  });

  it('two returns give back at most what one return of the same goods would, and at most one yen per rate less', () => {
    fc.assert(
      fc.property(orderWithReturns, ({ lines, first, second }) => {
        const merged = new Map<number, number>();
        for (const r of [...first, ...second]) merged.set(r.lineNo, (merged.get(r.lineNo) ?? 0) + r.quantity);
        const once = returnCreditYen(lines, [...merged].map(([lineNo, quantity]) => ({ lineNo, quantity })));
        const split = returnCreditYen(lines, first) + returnCreditYen(lines, second);
        expect(split).toBeLessThanOrEqual(once);
        expect(once - split).toBeLessThanOrEqual(2);
      }),
    );
  });

  it('differs from rounding every line when the yen say so', () => {
    // 3 × ¥1,005 at 10%: per line floor(100.5) × 3 = 300; once per rate floor(301.5) = 301.
    const lines: InvoiceOrderLine[] = [1, 2, 3].map((n) => ({ line_no: n, name: 'x', capacity: '', sku: `S${n}`, quantity: 1, unit_price_excl_tax: 1005, line_total_excl_tax: 1005, tax_rate: 10 }));
    expect(returnCreditYen(lines, [1, 2, 3].map((n) => ({ lineNo: n, quantity: 1 })))).toBe(3015 + 301);
    expect(returnCreditYen(lines, [])).toBe(0);
  });
});
