// Per-shop shipping fee rules. Fees are tax-excluded amounts, like the prices they sit beside;
// the free-shipping threshold compares against the tax-excluded subtotal.

import { isPrefectureName, type PrefectureName } from './prefectures.ts';

export interface ShippingFeeRules {
  flatFee: number;
  /** Shipping is free when the tax-excluded subtotal reaches this; null = never free. */
  freeThresholdExclTax: number | null;
  /** Extra charge per prefecture, e.g. { 北海道: 500, 沖縄県: 1200 }. */
  prefectureSurcharges: Partial<Record<PrefectureName, number>>;
  /** Remote islands, recognised by the postal-code prefixes the shop lists (e.g. '100-21' for 伊豆諸島). */
  remoteIslands: { postalCodePrefixes: string[]; surcharge: number } | null;
  /**
   * Whether surcharges still apply when the base fee is free. Most shops print
   * 「北海道・沖縄・離島は別途」, so the default is to keep charging them.
   */
  waiveSurchargesWhenFree?: boolean;
}

export interface ShippingDestination {
  prefecture: string;
  postalCode: string;
  subtotalExclTax: number;
}

export interface ShippingFeeQuote {
  fee: number;
  baseFee: number;
  surcharge: number;
  surchargeReason: 'prefecture' | 'remote_island' | null;
  freeShippingApplied: boolean;
}

function assertYen(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`${what} must be a whole number of yen ≥ 0, got ${amount}`);
}

export function normalizePostalCode(postalCode: string): string {
  return postalCode.normalize('NFKC').replace(/[^0-9]/g, '');
}

/**
 * A remote-island postal code prefix (and the prefecture surcharge) both describe the same
 * expensive destination, so the higher of the two applies rather than their sum: an island in
 * 沖縄県 is charged the island rate, not 沖縄 + island.
 */
export function computeShippingFee(rules: ShippingFeeRules, destination: ShippingDestination): ShippingFeeQuote {
  assertYen(rules.flatFee, 'flatFee');
  assertYen(destination.subtotalExclTax, 'subtotalExclTax');
  if (!isPrefectureName(destination.prefecture)) throw new RangeError(`unknown prefecture: ${destination.prefecture}`);

  const free = rules.freeThresholdExclTax !== null && destination.subtotalExclTax >= rules.freeThresholdExclTax;
  const baseFee = free ? 0 : rules.flatFee;

  const prefectureSurcharge = rules.prefectureSurcharges[destination.prefecture] ?? 0;
  assertYen(prefectureSurcharge, 'prefecture surcharge');
  const postal = normalizePostalCode(destination.postalCode);
  const island =
    rules.remoteIslands !== null &&
    postal.length > 0 &&
    rules.remoteIslands.postalCodePrefixes.some((prefix) => {
      const digits = normalizePostalCode(prefix);
      return digits.length > 0 && postal.startsWith(digits);
    });
  const islandSurcharge = island ? rules.remoteIslands!.surcharge : 0;
  assertYen(islandSurcharge, 'remote island surcharge');

  let surcharge = Math.max(prefectureSurcharge, islandSurcharge);
  let surchargeReason: ShippingFeeQuote['surchargeReason'] =
    surcharge === 0 ? null : islandSurcharge >= prefectureSurcharge ? 'remote_island' : 'prefecture';
  if (free && rules.waiveSurchargesWhenFree) {
    surcharge = 0;
    surchargeReason = null;
  }
  return { fee: baseFee + surcharge, baseFee, surcharge, surchargeReason, freeShippingApplied: free };
}

/** 代引手数料 bands: the fee of the first band whose upper bound (tax-included) covers the amount. */
export interface CodFeeBand {
  upToInclTax: number;
  fee: number;
}

/**
 * 代引手数料 for a tax-included amount; null when the amount is above the last band, i.e. cash on
 * delivery is not available for it (carriers cap COD, e.g. at ¥300,000).
 */
export function codFee(table: readonly CodFeeBand[], amountInclTax: number): number | null {
  assertYen(amountInclTax, 'amountInclTax');
  let previous = -1;
  for (const band of table) {
    assertYen(band.fee, 'COD fee');
    if (!(band.upToInclTax > previous)) throw new RangeError('COD fee bands must be in ascending order');
    previous = band.upToInclTax;
  }
  return table.find((band) => amountInclTax <= band.upToInclTax)?.fee ?? null;
}
