import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { MEMBER_PRICE_COLUMNS, type MemberPrice, type MemberPriceColumns, memberPriceJoins, memberPriceOf } from '../pricing/member-price.ts';
import { canSeePrice, type ProductRestriction, type StorefrontViewer } from './storefront-viewer.ts';

/**
 * Product cards for listings, search, home sections and favourites, in two queries however large
 * the catalog: (1) the page's product ids in order — for the default order a walk along an index
 * that stops when the page is full — with the cards' details for those ids only and, when asked,
 * the total as an index-only count; (2) the member prices of those cards. Listed products are the
 * active ones with an active variant (products.has_active_variant, kept by a trigger).
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
  /** Count every match for paging (default true); sections that show a fixed few skip it. */
  withTotal?: boolean;
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

interface CardRow extends Partial<MemberPriceColumns> {
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

type SortColumn = 'featured' | 'published_at' | 'name' | 'code' | 'sort_key';

/**
 * The sort's own computed key, when it has one: the relevance of a search (pg_trgm similarity) or
 * the cheapest active variant's list price. Ranks are one rate over all list prices, so ordering
 * by list price only differs from the member's own prices where a sale or negotiated price intervenes.
 */
function sortKey(sort: CardSort, terms: readonly string[]): RawBuilder<unknown> | null {
  if (sort === 'relevance' && terms.length > 0) return sql`similarity(p.search_text, ${terms.join(' ')})`;
  if (sort === 'price_asc' || sort === 'price_desc') {
    return sql`(SELECT min(pv.list_price_yen) FROM product_variants pv WHERE pv.tenant_id = p.tenant_id AND pv.product_id = p.id AND pv.status = 'active')`;
  }
  return null;
}

function orderBy(sort: CardSort, terms: readonly string[], col: (name: SortColumn) => RawBuilder<unknown>): RawBuilder<unknown> {
  switch (sort) {
    case 'newest':
      return sql`${col('published_at')} DESC NULLS LAST, ${col('code')}`;
    case 'price_asc':
      return sql`${col('sort_key')} ASC, ${col('code')}`;
    case 'price_desc':
      return sql`${col('sort_key')} DESC, ${col('code')}`;
    case 'name':
      return sql`${col('name')}, ${col('code')}`;
    case 'relevance':
      if (terms.length > 0) return sql`${col('sort_key')} DESC, ${col('featured')} DESC, ${col('name')}, ${col('code')}`;
      return sql`${col('featured')} DESC, ${col('published_at')} DESC NULLS LAST, ${col('code')}`;
    default:
      // products_recommended_idx / products_category_listed_idx (migration 0023) hold this order.
      return sql`${col('featured')} DESC, ${col('published_at')} DESC NULLS LAST, ${col('code')}`;
  }
}

/**
 * The page's product ids in order, as an ordered uuid[] expression, and the number of matches.
 * The shop's default orders (no search terms) walk an index and stop when the page is full, with
 * an index-only count beside. Searches and computed orders visit every match anyway: once, into a
 * materialised set that both the page and the count read.
 */
function pageAndTotal(viewer: StorefrontViewer, query: CardQuery, terms: readonly string[]): { matched: RawBuilder<unknown>; pageIds: RawBuilder<unknown>; total: RawBuilder<unknown> } {
  const matches = matchConditions(viewer, query.filter, terms);
  const key = sortKey(query.sort, terms);
  const window = sql`LIMIT ${query.limit} OFFSET ${query.offset ?? 0}`;
  if (key === null && terms.length === 0 && query.sort !== 'name') {
    const fromProducts = (name: SortColumn) => sql.ref(`p.${name}`);
    return {
      matched: sql``,
      pageIds: sql`ARRAY(SELECT p.id FROM products p WHERE ${matches} ORDER BY ${orderBy(query.sort, terms, fromProducts)} ${window})`,
      total: query.withTotal === false ? sql`0` : sql`(SELECT count(*) FROM products p WHERE ${matches})`,
    };
  }
  const fromMatched = (name: SortColumn) => sql.ref(`m.${name}`);
  return {
    matched: sql`matched AS MATERIALIZED (
      SELECT p.id, p.featured, p.published_at, p.name, p.code, ${key ?? sql`NULL::int`} AS sort_key FROM products p WHERE ${matches}
    ),`,
    pageIds: sql`ARRAY(SELECT m.id FROM matched m ORDER BY ${orderBy(query.sort, terms, fromMatched)} ${window})`,
    total: query.withTotal === false ? sql`0` : sql`(SELECT count(*) FROM matched)`,
  };
}

/** The filter as conditions on `p` (products); every table named carries the shop explicitly. */
function matchConditions(viewer: StorefrontViewer, f: CardFilter, terms: readonly string[]): RawBuilder<unknown> {
  const shop = sql`${viewer.tenantId}::uuid`;
  const conditions: RawBuilder<unknown>[] = [sql`p.tenant_id = ${shop}`, sql`p.status = 'active'`, sql`p.has_active_variant`];
  if (f.categoryId) {
    conditions.push(sql`p.category_id IN (SELECT c.id FROM categories c WHERE c.tenant_id = ${shop} AND (c.id = ${f.categoryId}::uuid OR c.parent_id = ${f.categoryId}::uuid))`);
  }
  if (f.brandSlugs && f.brandSlugs.length > 0) {
    conditions.push(sql`p.brand_id IN (SELECT b.id FROM brands b WHERE b.tenant_id = ${shop} AND b.slug = ANY(${[...f.brandSlugs]}::text[]))`);
  }
  if (f.inStockOnly) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM product_variants pv WHERE pv.tenant_id = p.tenant_id AND pv.product_id = p.id AND pv.status = 'active' AND pv.stock_on_hand > pv.stock_reserved)`,
    );
  }
  if (f.featuredOnly) conditions.push(sql`p.featured`);
  if (f.favouritesOnly) {
    conditions.push(sql`EXISTS (SELECT 1 FROM favourites fav WHERE fav.tenant_id = p.tenant_id AND fav.product_id = p.id AND fav.user_id = ${viewer.userId}::uuid)`);
  }
  if (f.productIds) conditions.push(sql`p.id = ANY(${[...f.productIds]}::uuid[])`);
  for (const term of terms) conditions.push(sql`p.search_text LIKE ${containsPattern(term)}`);
  return sql.join(conditions, sql` AND `);
}

export async function loadProductCards(tx: Tx, viewer: StorefrontViewer, query: CardQuery): Promise<{ cards: ProductCard[]; total: number }> {
  const { matched, pageIds, total } = pageAndTotal(viewer, query, query.filter.terms ?? []);

  // ARRAY(…) keeps the page's order; the details are read for its ids only, each card's cheapest
  // variant priced for the member in the same query.
  const { rows } = await sql<CardRow>`
    WITH ${matched} page AS (SELECT u.id, u.ord FROM unnest(${pageIds}) WITH ORDINALITY AS u(id, ord))
    SELECT p.id, p.code, p.name, b.name AS brand_name, p.image_key, p.restriction, p.featured,
           EXISTS (SELECT 1 FROM favourites fav
                    WHERE fav.tenant_id = p.tenant_id AND fav.product_id = p.id AND fav.user_id = ${viewer.userId}::uuid) AS is_favourite,
           vs.variant_count, vs.available, vs.cheapest_variant_id,
           (SELECT i.content_hash FROM product_images i
             WHERE i.tenant_id = p.tenant_id AND i.product_id = p.id ORDER BY i.sort_order LIMIT 1) AS image_hash,
           ${total} AS total, price.*
      FROM page
      JOIN products p ON p.tenant_id = ${viewer.tenantId}::uuid AND p.id = page.id
      LEFT JOIN brands b ON b.tenant_id = p.tenant_id AND b.id = p.brand_id
      JOIN LATERAL (
        SELECT count(*)::int AS variant_count,
               sum(greatest(pv.stock_on_hand - pv.stock_reserved, 0))::int AS available,
               (array_agg(pv.id ORDER BY pv.list_price_yen, pv.sort_order))[1] AS cheapest_variant_id
          FROM product_variants pv
         WHERE pv.tenant_id = p.tenant_id AND pv.product_id = p.id AND pv.status = 'active'
      ) vs ON vs.variant_count > 0
      LEFT JOIN LATERAL (
        SELECT v.list_price_yen, p.tax_rate, ${MEMBER_PRICE_COLUMNS}
          FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
          ${memberPriceJoins(viewer.rankId)}
         WHERE v.tenant_id = ${viewer.tenantId}::uuid AND v.id = vs.cheapest_variant_id
      ) price ON true
     ORDER BY page.ord`.execute(tx);

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
      // Priced only where this viewer may see the price (理美容師限定 for verified salons).
      price: r.list_price_yen != null && canSeePrice(viewer, r.restriction) ? memberPriceOf(r as MemberPriceColumns, 1) : null,
      priceFrom: Number(r.variant_count) > 1,
    }),
  );
  return { cards, total: rows.length > 0 ? Number(rows[0]!.total) : 0 };
}
