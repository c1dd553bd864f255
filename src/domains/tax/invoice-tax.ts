// Consumption tax for 適格請求書 (qualified invoices).
// The invoice system allows one rounding per rate per invoice; rounding each line and summing
// drifts by a yen or more and is not what the registered invoice may state, so lines are summed
// per rate first and the tax is computed once on that sum.

export type TaxRate = 8 | 10;
export type TaxRounding = 'floor' | 'round' | 'ceil';

export const TAX_RATES: readonly TaxRate[] = [10, 8];

export interface TaxableLine {
  amountExclTax: number;
  rate: TaxRate;
}

export interface PerRateTax {
  rate: TaxRate;
  base: number;
  tax: number;
  total: number;
}

export interface InvoiceTax {
  perRate: PerRateTax[];
  subtotal: number;
  tax: number;
  total: number;
}

export interface TaxOptions {
  rounding?: TaxRounding;
}

function assertYen(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`${what} must be a whole number of yen, got ${amount}`);
  }
}

function assertRate(rate: number): asserts rate is TaxRate {
  if (rate !== 8 && rate !== 10) throw new RangeError(`unsupported consumption tax rate: ${rate}`);
}

/**
 * Tax on a base at a rate, rounded once. Rounding applies to the magnitude, so a negative base
 * (a net refund) is truncated toward zero under 'floor' exactly like the positive case: a refund
 * of ¥1,005 at 10% gives back ¥100 of tax, never ¥101.
 */
export function taxForBase(base: number, rate: TaxRate, rounding: TaxRounding = 'floor'): number {
  assertYen(base, 'base');
  assertRate(rate);
  // Integer arithmetic: base * rate is exact, and so is splitting it into hundreds and remainder.
  const scaled = Math.abs(base) * rate;
  const whole = Math.floor(scaled / 100);
  const remainder = scaled % 100;
  let magnitude = whole;
  if (rounding === 'ceil' && remainder > 0) magnitude += 1;
  if (rounding === 'round' && remainder >= 50) magnitude += 1;
  const signed = base < 0 ? -magnitude : magnitude;
  return signed === 0 ? 0 : signed; // no -0
}

/**
 * Tax for a whole invoice: lines are summed per rate (negative lines such as discounts and
 * returns reduce their own rate's base), then tax is computed once per rate.
 * perRate lists each rate that occurs in the lines, 10% first.
 */
export function computeInvoiceTax(lines: readonly TaxableLine[], opts: TaxOptions = {}): InvoiceTax {
  const rounding = opts.rounding ?? 'floor';
  const bases = new Map<TaxRate, number>();
  for (const line of lines) {
    assertYen(line.amountExclTax, 'amountExclTax');
    assertRate(line.rate);
    bases.set(line.rate, (bases.get(line.rate) ?? 0) + line.amountExclTax);
  }
  const perRate: PerRateTax[] = [];
  for (const rate of TAX_RATES) {
    const base = bases.get(rate);
    if (base === undefined) continue;
    assertYen(base, 'sum of amounts');
    const tax = taxForBase(base, rate, rounding);
    perRate.push({ rate, base, tax, total: base + tax });
  }
  const subtotal = perRate.reduce((sum, r) => sum + r.base, 0);
  const tax = perRate.reduce((sum, r) => sum + r.tax, 0);
  return { perRate, subtotal, tax, total: subtotal + tax };
}

/**
 * Tax-included price shown beside a tax-excluded unit price. Display only: invoice totals must
 * come from computeInvoiceTax, never from summing these.
 */
export function taxIncluded(amountExclTax: number, rate: TaxRate, rounding: TaxRounding = 'floor'): number {
  return amountExclTax + taxForBase(amountExclTax, rate, rounding);
}

/**
 * 返還インボイス: the amounts of a return (売上げに係る対価の返還等) and the tax on them, per
 * rate, rounded once per rate like the invoice itself. Lines are the returned amounts as
 * positive numbers; the result states how much is given back.
 */
export function returnInvoiceTax(returnedLines: readonly TaxableLine[], opts: TaxOptions = {}): InvoiceTax {
  for (const line of returnedLines) {
    assertYen(line.amountExclTax, 'amountExclTax');
    if (line.amountExclTax < 0) {
      throw new RangeError('returned amounts are stated as positive numbers on a 返還インボイス');
    }
  }
  return computeInvoiceTax(returnedLines, opts);
}
