import type { DemoImageKey } from './demo-images.ts';
import type { SeededRandom } from './seeded-random.ts';

/**
 * What a product family describes before the catalog generator gives it codes, JANs, stock and
 * campaign flags. Families are written per kind of product, shops pick and brand them.
 */

export type Restriction = 'none' | 'professional';

export interface VariantDraft {
  /** What tells this variant apart on the page (e.g. "1000ml 詰替用", "ブラック / 6.0インチ"). */
  label: string;
  capacity: string;
  packSize: number;
  minQuantity?: number;
  orderMultiple?: number;
  listPriceYen: number;
}

export interface ProductDraft {
  categorySlug: string;
  brandSlug: string;
  name: string;
  descriptionHtml: string;
  image: DemoImageKey;
  restriction: Restriction;
  taxRate?: 8 | 10;
  lotTracked?: boolean;
  variants: VariantDraft[];
}

export interface BrandRef {
  slug: string;
  name: string;
}

/** Rounds to the steps real price lists use: ¥10 below ¥1,000, ¥50 below ¥3,000, then ¥100 / ¥1,000. */
export function roundPrice(yen: number): number {
  const step = yen < 1000 ? 10 : yen < 3000 ? 50 : yen < 20000 ? 100 : 1000;
  return Math.max(step, Math.round(yen / step) * step);
}

/** A list price drawn from a realistic band for the kind of product. */
export function priceIn(rng: SeededRandom, min: number, max: number): number {
  return roundPrice(min + rng.next() * (max - min));
}

/** Case price: the pack is a little cheaper per unit than single items. */
export function casePrice(unitPrice: number, units: number, discount = 0.05): number {
  return roundPrice(unitPrice * units * (1 - discount));
}

/** Descriptions use only the tags the description sanitiser keeps (<p>, <ul><li>, <strong>). */
export function description(lead: string, points: readonly string[], note?: string): string {
  const list = points.length > 0 ? `<ul>${points.map((point) => `<li>${point}</li>`).join('')}</ul>` : '';
  const tail = note ? `<p><strong>${note}</strong></p>` : '';
  return `<p>${lead}</p>${list}${tail}`;
}

export const PROFESSIONAL_NOTE = '理美容師限定品です。美容所登録の確認が済んだ会員様のみご購入いただけます。';

/** A single item and a case of `units`, e.g. "100ml" and "100ml × 6本". */
export function singleAndCase(capacity: string, unitPrice: number, units: number, counter: string): VariantDraft[] {
  return [
    { label: capacity, capacity, packSize: 1, listPriceYen: unitPrice },
    { label: `${capacity} × ${units}${counter}`, capacity, packSize: units, listPriceYen: casePrice(unitPrice, units) },
  ];
}
