import { type TaxRate, taxIncluded } from '../tax/invoice-tax.ts';

// A member's unit price, step by step:
//   1. rank price: the variant's own rank price (absolute yen, or a rate overriding the rank's
//      掛け率) if the shop set one, else the rank's 掛け率 × list price; never above list;
//   2. an active sale price wins when it is lower;
//   3. a volume tier (e.g. 12本以上 5%引) takes its discount off that price for the quantity.
// Every step floors to the yen (in the buyer's favour). Rates are handled as integer
// ten-thousandths — numeric(5,4) in the database — so 0.7 × 1,000 is exactly 700, not 699.

export type PriceSource = 'list' | 'rank' | 'rank_override' | 'sale' | 'tier';

export interface VolumeTierRule {
  minQuantity: number;
  /** numeric(5,4) as stored, e.g. '0.0500' (5% off), or a number. */
  discountRate: string | number;
}

export interface PriceInputs {
  listPriceYen: number;
  taxRate: TaxRate;
  /** The member's rank 掛け率 ('0.7500'); null when the member has no rank (list price). */
  rankRate: string | number | null;
  /** This variant's own price for the member's rank, if the shop set one. */
  rankOverride?: { priceYen: number | null; rate: string | number | null } | null;
  sale?: { priceYen: number; endsAt: Date } | null;
  tiers?: readonly VolumeTierRule[];
  quantity?: number;
}

export interface TierPrice {
  minQuantity: number;
  discountRate: number;
  unitPriceYen: number;
  unitPriceInclTaxYen: number;
}

export interface MemberPrice {
  listPriceYen: number;
  unitPriceYen: number;
  unitPriceInclTaxYen: number;
  taxRate: TaxRate;
  source: PriceSource;
  /** The tier applied to this quantity. */
  tierMinQuantity?: number;
  /** Set whenever the sale price is part of this price (also under a tier discount). */
  saleEndsAt?: Date;
  /** The unit price before any tier discount (rank or sale). */
  baseUnitPriceYen: number;
  /** Every tier of the variant with its unit price, for the product page's table. */
  tiers: TierPrice[];
}

const SCALE = 10_000;

/** '0.7500' | 0.75 → 7500, exactly; throws on anything outside (0, 1]. */
export function rateToTenThousandths(rate: string | number): number {
  const text = typeof rate === 'number' ? rate.toFixed(4) : rate.trim();
  const match = /^(0|1)(?:\.(\d{1,4})\d*)?$/.exec(text);
  if (!match) throw new RangeError(`rate must be between 0 and 1, got ${rate}`);
  const value = Number(match[1]) * SCALE + Number((match[2] ?? '').padEnd(4, '0'));
  if (value <= 0 || value > SCALE) throw new RangeError(`rate must be between 0 and 1, got ${rate}`);
  return value;
}

function applyRate(priceYen: number, tenThousandths: number): number {
  return Math.floor((priceYen * tenThousandths) / SCALE);
}

function discounted(priceYen: number, discountTenThousandths: number): number {
  return Math.floor((priceYen * (SCALE - discountTenThousandths)) / SCALE);
}

function assertYen(value: number, what: string) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole, non-negative number of yen`);
}

export function computeMemberPrice(input: PriceInputs): MemberPrice {
  const list = input.listPriceYen;
  assertYen(list, 'listPriceYen');
  const quantity = input.quantity ?? 1;

  let base = list;
  let source: PriceSource = 'list';
  const override = input.rankOverride;
  if (override && (override.priceYen != null || override.rate != null)) {
    const candidate = override.priceYen != null ? override.priceYen : applyRate(list, rateToTenThousandths(override.rate!));
    assertYen(candidate, 'rank price');
    if (candidate < list) {
      base = candidate;
      source = 'rank_override';
    }
  } else if (input.rankRate != null) {
    const candidate = applyRate(list, rateToTenThousandths(input.rankRate));
    if (candidate < list) {
      base = candidate;
      source = 'rank';
    }
  }

  let saleEndsAt: Date | undefined;
  if (input.sale) {
    assertYen(input.sale.priceYen, 'sale price');
    if (input.sale.priceYen < base) {
      base = input.sale.priceYen;
      source = 'sale';
      saleEndsAt = input.sale.endsAt;
    }
  }

  const tiers: TierPrice[] = (input.tiers ?? [])
    .map((t) => {
      const d = rateToTenThousandths(t.discountRate);
      if (d >= SCALE) throw new RangeError('a volume discount must be below 100%');
      const unit = discounted(base, d);
      return { minQuantity: t.minQuantity, discountRate: d / SCALE, unitPriceYen: unit, unitPriceInclTaxYen: taxIncluded(unit, input.taxRate) };
    })
    .sort((a, b) => a.minQuantity - b.minQuantity);

  let unit = base;
  let tierMinQuantity: number | undefined;
  for (const tier of tiers) {
    if (quantity >= tier.minQuantity && tier.unitPriceYen < unit) {
      unit = tier.unitPriceYen;
      tierMinQuantity = tier.minQuantity;
    }
  }

  const price: MemberPrice = {
    listPriceYen: list,
    unitPriceYen: unit,
    unitPriceInclTaxYen: taxIncluded(unit, input.taxRate),
    taxRate: input.taxRate,
    source: tierMinQuantity !== undefined ? 'tier' : source,
    baseUnitPriceYen: base,
    tiers,
  };
  if (tierMinQuantity !== undefined) price.tierMinQuantity = tierMinQuantity;
  if (saleEndsAt) price.saleEndsAt = saleEndsAt;
  return price;
}
