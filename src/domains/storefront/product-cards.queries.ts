import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type MemberPrice, resolveMemberPrices } from '../pricing/member-price.ts';
import { canSeePrice, type ProductRestriction, type StorefrontViewer } from './storefront-viewer.ts';

/**
 * Product cards for listings, search, home sections and favourites: one query for the cards (with
 * the total when paging) and one for the member prices of every card on the page, however many.
 */

export type StockStatus = 'in_stock' | 'low' | 'out';

/** 残りわずか below this many units. */
export const LOW_STOCK_THRESHOLD = 5;

export function stockStatusOf(available: number): StockStatus {
  if (available <= 0) return 'out';
  return available <= LOW_STOCK_THRESHOLD ? 'low' : 'in_stock';
}

export type CardSort = 'recommended' | 'newest' | 'price_asc' | 'price_desc' | 'name' | 'relevance';

export interface CardFilter {
  /** A category and its sub-categories. */
  categoryId?: string;
  brandSlugs?: readonly string[];
  inStockOnly?: boolean;
  featuredOnly?: boolean;
  favouritesOnly?: boolean;
  productIds?: readonly string[];
  /** Normalised search terms (searchTerms()), ANDed. */
  terms?: readonly string[];
}

export interface CardQuery {
  filter: CardFilter;
  sort: CardSort;
  limit: number;
  offset?: number;
}

export interface ProductCard {
  id: string;
  code: string;
  name: string;
  brandName: string | null;
  imageKey: string | null;
  /** Content hash of the first uploaded image, if any (served at /media/<hash>-<size>.webp). */
  imageHash: string | null;
  restriction: ProductRestriction;
  featured: boolean;
  isFavourite: boolean;
  variantCount: number;
  stock: StockStatus;
  /** The member's price of the cheapest variant; null when the member may not see it. */
  price: MemberPrice | null;
  /** More than one variant: shown as 「〜」. */
  priceFrom: boolean;
}

interface CardRow {
  id: string;
  code: string;
  name: string;
  brand_name: string | null;
  image_key: string | null;
  image_hash: string | null;
  restriction: ProductRestriction;
  featured: boolean;
  is_favourite: boolean;
  variant_count: number;
  available: number;
  cheapest_variant_id: string;
  total: number;
}

/** LIKE pattern for one term: the term's own wildcards are escaped. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function orderBy(sort: CardSort, terms: readonly string[]): RawBuilder<unknown> {
  switch (sort) {
    case 'newest':
      return sql`p.published_at DESC NULLS LAST, p.code`;
    // Ordered by list price: ranks are one rate over all list prices, so the order only differs
    // from the member's own prices where a sale or negotiated price intervenes.
    case 'price_asc':
      return sql`v.min_list ASC, p.code`;
    case 'price_desc':
      return sql`v.min_list DESC, p.code`;
    case 'name':
      return sql`p.name, p.code`;
    case 'relevance':
      if (terms.length > 0) return sql`similarity(p.search_text, ${terms.join(' ')}) DESC, p.featured DESC, p.name, p.code`;
      return sql`p.featured DESC, p.published_at DESC NULLS LAST, p.code`;
    default:
      return sql`p.featured DESC, p.published_at DESC NULLS LAST, p.code`;
  }
}

export async function loadProductCards(tx: Tx, viewer: StorefrontViewer, query: CardQuery): Promise<{ cards: ProductCard[]; total: number }> {
  const f = query.filter;
  const terms = f.terms ?? [];
  const conditions: RawBuilder<unknown>[] = [sql`p.tenant_id = ${viewer.tenantId}::uuid`, sql`p.status = 'active'`];
  if (f.categoryId) {
    conditions.push(sql`p.category_id IN (SELECT c.id FROM categories c WHERE c.id = ${f.categoryId}::uuid OR c.parent_id = ${f.categoryId}::uuid)`);
  }
  if (f.brandSlugs && f.brandSlugs.length > 0) conditions.push(sql`b.slug = ANY(${[...f.brandSlugs]}::text[])`);
  if (f.inStockOnly) conditions.push(sql`v.available > 0`);
  if (f.featuredOnly) conditions.push(sql`p.featured`);
  if (f.favouritesOnly) conditions.push(sql`fav.product_id IS NOT NULL`);
  if (f.productIds) conditions.push(sql`p.id = ANY(${[...f.productIds]}::uuid[])`);
  for (const term of terms) conditions.push(sql`p.search_text LIKE ${containsPattern(term)}`);

  const { rows } = await sql<CardRow>`
    SELECT p.id, p.code, p.name, b.name AS brand_name, p.image_key, p.restriction, p.featured,
           fav.product_id IS NOT NULL AS is_favourite,
           v.variant_count, v.available, v.cheapest_variant_id,
           (SELECT i.content_hash FROM product_images i
             WHERE i.tenant_id = p.tenant_id AND i.product_id = p.id ORDER BY i.sort_order LIMIT 1) AS image_hash,
           count(*) OVER () AS total
      FROM products p
      LEFT JOIN brands b ON b.tenant_id = p.tenant_id AND b.id = p.brand_id
      LEFT JOIN favourites fav ON fav.tenant_id = p.tenant_id AND fav.product_id = p.id AND fav.user_id = ${viewer.userId}::uuid
      JOIN LATERAL (
        SELECT count(*)::int AS variant_count,
               min(pv.list_price_yen) AS min_list,
               sum(greatest(pv.stock_on_hand - pv.stock_reserved, 0))::int AS available,
               (array_agg(pv.id ORDER BY pv.list_price_yen, pv.sort_order))[1] AS cheapest_variant_id
          FROM product_variants pv
         WHERE pv.tenant_id = p.tenant_id AND pv.product_id = p.id AND pv.status = 'active'
      ) v ON v.variant_count > 0
     WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY ${orderBy(query.sort, terms)}
     LIMIT ${query.limit} OFFSET ${query.offset ?? 0}`.execute(tx);

  const priced = rows.filter((r) => canSeePrice(viewer, r.restriction)).map((r) => r.cheapest_variant_id);
  const prices = priced.length
    ? await resolveMemberPrices(tx, { tenantId: viewer.tenantId, rankId: viewer.rankId, variantIds: priced })
    : new Map<string, MemberPrice>();

  const cards = rows.map(
    (r): ProductCard => ({
      id: r.id,
      code: r.code,
      name: r.name,
      brandName: r.brand_name,
      imageKey: r.image_key,
      imageHash: r.image_hash,
      restriction: r.restriction,
      featured: r.featured,
      isFavourite: r.is_favourite,
      variantCount: Number(r.variant_count),
      stock: stockStatusOf(Number(r.available)),
      price: prices.get(r.cheapest_variant_id) ?? null,
      priceFrom: Number(r.variant_count) > 1,
    }),
  );
  return { cards, total: rows.length > 0 ? Number(rows[0]!.total) : 0 };
}
