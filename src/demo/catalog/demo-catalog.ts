import { janCheckDigit } from '../../domains/catalog/jan-code.ts';
import { assortmentFor } from './assortments/assortment-registry.ts';
import { CATEGORY_TREE } from './demo-categories.ts';
import type { DemoImageKey } from './demo-images.ts';
import { type DemoShop, type DemoShopSlug, demoShop } from './demo-shops.ts';
import { type ProductDraft, type Restriction, roundPrice, type VariantDraft } from './product-draft.ts';
import { type SeededRandom, seededRandom } from './seeded-random.ts';

/**
 * The demo platform's catalog, generated from hand-written product families with a seeded PRNG:
 * the same shop always yields byte-identical data, so restarting the demo changes nothing.
 */

export interface DemoCategory {
  slug: string;
  name: string;
  /** null for a top-level category; the tree is two levels deep. */
  parentSlug: string | null;
  sortOrder: number;
}

export interface DemoBrand {
  slug: string;
  name: string;
  /** Three letters that start the brand's product codes. */
  code: string;
  /** The (fictional) manufacturer. */
  maker: string;
  description: string;
}

export interface DemoVolumeTier {
  minQuantity: number;
  discountPercent: number;
}

export interface DemoSale {
  label: string;
  /** Tax-excluded list price during the window; rank rates apply on top of it. */
  salePriceYen: number;
  /** ISO 8601 with +09:00. */
  startsAt: string;
  endsAt: string;
}

export interface DemoVariant {
  sku: string;
  jan: string;
  label: string;
  capacity: string;
  packSize: number;
  minQuantity: number;
  orderMultiple: number;
  /** Tax-excluded list price in yen (メーカー希望卸価格 before the member's rank rate). */
  listPriceYen: number;
  volumeTiers: DemoVolumeTier[];
  sale: DemoSale | null;
  stock: number;
}

export type DemoProductStatus = 'active' | 'draft' | 'discontinued';

export interface DemoProduct {
  code: string;
  name: string;
  brandSlug: string;
  /** Always a second-level category. */
  categorySlug: string;
  /** Only <p>, <ul>, <li> and <strong>. */
  descriptionHtml: string;
  taxRate: 8 | 10;
  restriction: Restriction;
  status: DemoProductStatus;
  /** Salon-exclusive chemicals are shipped with their lot numbers recorded. */
  lotTracked: boolean;
  image: DemoImageKey;
  featured: boolean;
  isNew: boolean;
  variants: DemoVariant[];
}

export interface DemoCatalog {
  shop: DemoShop;
  categories: DemoCategory[];
  brands: DemoBrand[];
  products: DemoProduct[];
}

export interface DemoAssortment {
  brands: DemoBrand[];
  drafts: ProductDraft[];
}

const SALE_WINDOWS: ReadonlyArray<Omit<DemoSale, 'salePriceYen'>> = [
  { label: '年末感謝セール', startsAt: '2026-11-01T00:00:00+09:00', endsAt: '2027-01-31T23:59:59+09:00' },
  { label: '決算セール', startsAt: '2026-10-01T00:00:00+09:00', endsAt: '2027-12-31T23:59:59+09:00' },
  { label: '新生活応援セール', startsAt: '2027-03-01T00:00:00+09:00', endsAt: '2027-04-30T23:59:59+09:00' },
  { label: '夏のサンキューセール', startsAt: '2026-07-01T00:00:00+09:00', endsAt: '2026-08-31T23:59:59+09:00' },
];

function categoriesUsed(drafts: readonly ProductDraft[]): DemoCategory[] {
  const used = new Set(drafts.map((d) => d.categorySlug));
  const categories: DemoCategory[] = [];
  let order = 0;
  for (const group of CATEGORY_TREE) {
    const children = group.children.filter((child) => used.has(child.slug));
    if (children.length === 0) continue;
    categories.push({ slug: group.slug, name: group.name, parentSlug: null, sortOrder: order++ });
    for (const child of children) {
      categories.push({ slug: child.slug, name: child.name, parentSlug: group.slug, sortOrder: order++ });
    }
  }
  return categories;
}

function categoryCode(slug: string): string {
  for (const group of CATEGORY_TREE) {
    const child = group.children.find((c) => c.slug === slug);
    if (child) return child.code;
  }
  throw new Error(`demo product in unknown category: ${slug}`);
}

function stockFor(rng: SeededRandom, variant: VariantDraft): number {
  const roll = rng.next();
  if (roll < 0.04) return 0;
  if (roll < 0.16) return rng.int(1, 5);
  return variant.packSize > 1 || variant.listPriceYen >= 10000 ? rng.int(6, 60) : rng.int(10, 480);
}

function volumeTiersFor(rng: SeededRandom, variant: VariantDraft): DemoVolumeTier[] {
  if (variant.packSize > 1 || variant.listPriceYen >= 10000 || !rng.chance(0.22)) return [];
  return rng.chance(0.5)
    ? [{ minQuantity: 12, discountPercent: 5 }]
    : [
        { minQuantity: 6, discountPercent: 3 },
        { minQuantity: 12, discountPercent: 5 },
        { minQuantity: 24, discountPercent: 8 },
      ];
}

function finishVariant(
  rng: SeededRandom,
  draft: VariantDraft,
  sku: string,
  jan: string,
  onSale: boolean,
): DemoVariant {
  // Cheap single items are sometimes sold in threes, as makers do for colour tubes and gels.
  const inThrees = draft.minQuantity === undefined && draft.packSize === 1 && draft.listPriceYen < 1000 && rng.chance(0.1);
  const minQuantity = draft.minQuantity ?? (inThrees ? 3 : 1);
  const orderMultiple = draft.orderMultiple ?? (inThrees ? 3 : 1);
  const volumeTiers = volumeTiersFor(rng, draft);
  const window = onSale ? rng.pick(SALE_WINDOWS) : null;
  return {
    sku,
    jan,
    label: draft.label,
    capacity: draft.capacity,
    packSize: draft.packSize,
    minQuantity,
    orderMultiple,
    listPriceYen: draft.listPriceYen,
    volumeTiers,
    sale: window ? { ...window, salePriceYen: roundPrice(draft.listPriceYen * (0.8 + rng.int(0, 2) * 0.05)) } : null,
    stock: stockFor(rng, draft),
  };
}

export function demoCatalogFor(slug: DemoShopSlug): DemoCatalog {
  const shop = demoShop(slug);
  const rng = seededRandom(`oroshi-demo-catalog:${slug}`);
  const { brands, drafts } = assortmentFor(slug, rng);
  const brandCodes = new Map(brands.map((b) => [b.slug, b.code]));
  const sequence = new Map<string, number>();
  let janItem = 0;

  const products = drafts.map((draft, index): DemoProduct => {
    const brandCode = brandCodes.get(draft.brandSlug);
    if (!brandCode) throw new Error(`demo product "${draft.name}" names unknown brand ${draft.brandSlug}`);
    const catCode = categoryCode(draft.categorySlug);
    const seqKey = `${brandCode}-${catCode}`;
    const seq = (sequence.get(seqKey) ?? 0) + 1;
    sequence.set(seqKey, seq);
    const code = `${seqKey}-${String(seq).padStart(3, '0')}`;

    const featured = rng.chance(0.06);
    const isNew = rng.chance(0.08);
    const statusRoll = rng.next();
    // The first product of each shop stays active, so lists never open on a draft.
    const status: DemoProductStatus = featured || index === 0 ? 'active' : statusRoll < 0.015 ? 'draft' : statusRoll < 0.025 ? 'discontinued' : 'active';
    const onSale = status === 'active' && rng.chance(0.04);

    const variants = draft.variants.map((variantDraft, i) => {
      janItem++;
      const body = `${shop.janCompanyPrefix}${String(janItem).padStart(5, '0')}`;
      return finishVariant(rng, variantDraft, `${code}-${i + 1}`, `${body}${janCheckDigit(body)}`, onSale && i === 0);
    });

    return {
      code,
      name: draft.name,
      brandSlug: draft.brandSlug,
      categorySlug: draft.categorySlug,
      descriptionHtml: draft.descriptionHtml,
      taxRate: draft.taxRate ?? 10,
      restriction: draft.restriction,
      status,
      lotTracked: draft.lotTracked ?? false,
      image: draft.image,
      featured,
      isNew,
      variants,
    };
  });

  return { shop, categories: categoriesUsed(drafts), brands, products };
}
