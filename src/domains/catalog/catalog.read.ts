import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { normalizeForSearch } from '../search/search-normalize.ts';
import { NotFoundError } from '../shared/domain-error.ts';
import type { ProductStatus, StockReason } from './catalog.tables.ts';

/**
 * Reads of one shop's catalog (the transaction's shop, through RLS): admin lists and the full
 * product with variants, prices and images. Each read is a fixed number of queries.
 */

/** Available (on hand − reserved) at or below this counts as low stock. */
export const LOW_STOCK_THRESHOLD = 10;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string | undefined): v is string => typeof v === 'string' && UUID.test(v);

export interface CategoryRow {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  sort_order: number;
}

export interface BrandRow {
  id: string;
  slug: string;
  name: string;
  name_kana: string;
  maker: string;
}

export interface RankRow {
  id: string;
  code: string;
  name: string;
  /** numeric as string, e.g. '0.7500' */
  rate: string;
  sort_order: number;
}

/** Categories ordered as a tree: each top-level category followed by its children. */
export async function listCategories(tx: Tx): Promise<(CategoryRow & { depth: 0 | 1 })[]> {
  const rows = await tx.selectFrom('categories').select(['id', 'parent_id', 'slug', 'name', 'sort_order']).orderBy('sort_order').orderBy('name').execute();
  const out: (CategoryRow & { depth: 0 | 1 })[] = [];
  for (const top of rows.filter((r) => r.parent_id === null)) {
    out.push({ ...top, depth: 0 });
    for (const child of rows.filter((r) => r.parent_id === top.id)) out.push({ ...child, depth: 1 });
  }
  return out;
}

export async function listBrands(tx: Tx): Promise<BrandRow[]> {
  return tx.selectFrom('brands').select(['id', 'slug', 'name', 'name_kana', 'maker']).orderBy('name').execute();
}

export async function listRanks(tx: Tx): Promise<RankRow[]> {
  return tx.selectFrom('shop_price_ranks').select(['id', 'code', 'name', 'rate', 'sort_order']).orderBy('sort_order').orderBy('code').execute();
}

export interface ProductListFilter {
  q?: string;
  status?: ProductStatus | '';
  categoryId?: string;
  page?: number;
  perPage?: number;
}

export interface ProductListItem {
  id: string;
  code: string;
  name: string;
  status: ProductStatus;
  brand_name: string | null;
  category_name: string;
  variant_count: number;
  min_price_yen: number | null;
  stock_available: number;
  updated_at: Date;
}

export async function listProducts(tx: Tx, filter: ProductListFilter): Promise<{ items: ProductListItem[]; total: number; page: number; pages: number }> {
  const perPage = Math.min(Math.max(filter.perPage ?? 50, 1), 200);
  const terms = normalizeForSearch((filter.q ?? '').slice(0, 200)).split(' ').filter(Boolean).slice(0, 5);
  let base = tx.selectFrom('products as p');
  if (filter.status) base = base.where('p.status', '=', filter.status);
  if (isUuid(filter.categoryId)) {
    const categoryId = filter.categoryId;
    base = base.where((eb) => eb.or([eb('p.category_id', '=', categoryId), eb('p.category_id', 'in', eb.selectFrom('categories').select('id').where('parent_id', '=', categoryId))]));
  }
  for (const term of terms) base = base.where('p.search_text', 'like', `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(filter.page ?? 1, 1), pages);
  const items = await base
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .leftJoin('brands as b', 'b.id', 'p.brand_id')
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.status',
      'p.updated_at',
      'b.name as brand_name',
      'c.name as category_name',
      sql<number>`(SELECT count(*)::int FROM product_variants v WHERE v.product_id = p.id)`.as('variant_count'),
      sql<number | null>`(SELECT min(v.list_price_yen) FROM product_variants v WHERE v.product_id = p.id)`.as('min_price_yen'),
      sql<number>`coalesce((SELECT sum(v.stock_on_hand - v.stock_reserved)::int FROM product_variants v WHERE v.product_id = p.id), 0)`.as('stock_available'),
    ])
    .orderBy('p.updated_at', 'desc')
    .orderBy('p.code')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return { items, total, page, pages };
}

export interface VariantDetail {
  id: string;
  sku: string;
  jan_code: string | null;
  label: string;
  capacity: string;
  pack_size: number;
  min_quantity: number;
  order_multiple: number;
  list_price_yen: number;
  stock_on_hand: number;
  stock_reserved: number;
  sort_order: number;
  status: 'active' | 'archived';
  shelf_location: string;
  rankPrices: { rank_id: string; price_yen: number | null; rate: string | null }[];
  tiers: { id: string; min_quantity: number; discount_rate: string }[];
  sales: { id: string; price_yen: number; starts_at: Date; ends_at: Date }[];
}

export interface ProductDetail {
  id: string;
  code: string;
  name: string;
  brand_id: string | null;
  brand_name: string | null;
  category_id: string;
  category_name: string;
  description_html: string;
  status: ProductStatus;
  tax_rate: 8 | 10;
  restriction: 'none' | 'professional';
  lot_tracked: boolean;
  featured: boolean;
  image_key: string | null;
  published_at: Date | null;
  updated_at: Date;
  variants: VariantDetail[];
  images: { id: string; content_hash: string; alt: string; width: number; height: number; sort_order: number }[];
}

/** The whole product in five queries, or NotFoundError (also for another shop's id: RLS hides it). */
export async function getProductDetail(tx: Tx, productId: string): Promise<ProductDetail> {
  if (!isUuid(productId)) throw new NotFoundError('商品が見つかりません。');
  const product = await tx
    .selectFrom('products as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .leftJoin('brands as b', 'b.id', 'p.brand_id')
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.brand_id',
      'b.name as brand_name',
      'p.category_id',
      'c.name as category_name',
      'p.description_html',
      'p.status',
      'p.tax_rate',
      'p.restriction',
      'p.lot_tracked',
      'p.featured',
      'p.image_key',
      'p.published_at',
      'p.updated_at',
    ])
    .where('p.id', '=', productId)
    .executeTakeFirst();
  if (!product) throw new NotFoundError('商品が見つかりません。');
  const variants = await tx.selectFrom('product_variants').selectAll().where('product_id', '=', productId).orderBy('sort_order').orderBy('sku').execute();
  const ids = variants.map((v) => v.id);
  // Sequential on purpose: one transaction is one connection.
  const prices = ids.length ? await tx.selectFrom('variant_rank_prices').select(['variant_id', 'rank_id', 'price_yen', 'rate']).where('variant_id', 'in', ids).execute() : [];
  const tiers = ids.length
    ? await tx.selectFrom('volume_tiers').select(['id', 'variant_id', 'min_quantity', 'discount_rate']).where('variant_id', 'in', ids).orderBy('min_quantity').execute()
    : [];
  const sales = ids.length
    ? await tx.selectFrom('sale_prices').select(['id', 'variant_id', 'price_yen', 'starts_at', 'ends_at']).where('variant_id', 'in', ids).orderBy('starts_at').execute()
    : [];
  const images = await listProductImages(tx, productId);
  return {
    ...product,
    tax_rate: Number(product.tax_rate) as 8 | 10,
    variants: variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      jan_code: v.jan_code,
      label: v.label,
      capacity: v.capacity,
      pack_size: v.pack_size,
      min_quantity: v.min_quantity,
      order_multiple: v.order_multiple,
      list_price_yen: v.list_price_yen,
      stock_on_hand: v.stock_on_hand,
      stock_reserved: v.stock_reserved,
      sort_order: v.sort_order,
      status: v.status,
      shelf_location: v.shelf_location,
      rankPrices: prices.filter((p) => p.variant_id === v.id),
      tiers: tiers.filter((t) => t.variant_id === v.id),
      sales: sales.filter((s) => s.variant_id === v.id),
    })),
    images,
  };
}

export function listProductImages(tx: Tx, productId: string) {
  return tx.selectFrom('product_images').select(['id', 'content_hash', 'alt', 'width', 'height', 'sort_order']).where('product_id', '=', productId).orderBy('sort_order').orderBy('created_at').execute();
}

export type StockFilter = 'all' | 'low' | 'out';

export interface StockListItem {
  variant_id: string;
  product_id: string;
  product_code: string;
  product_name: string;
  sku: string;
  label: string;
  stock_on_hand: number;
  stock_reserved: number;
  available: number;
}

export async function listStock(tx: Tx, filter: { q?: string; level?: StockFilter; page?: number; perPage?: number }): Promise<{ items: StockListItem[]; total: number; page: number; pages: number }> {
  const perPage = Math.min(Math.max(filter.perPage ?? 50, 1), 200);
  const terms = normalizeForSearch((filter.q ?? '').slice(0, 200)).split(' ').filter(Boolean).slice(0, 5);
  let base = tx.selectFrom('product_variants as v').innerJoin('products as p', 'p.id', 'v.product_id').where('v.status', '=', 'active');
  if (filter.level === 'out') base = base.where(sql<boolean>`v.stock_on_hand - v.stock_reserved <= 0`);
  if (filter.level === 'low') base = base.where(sql<boolean>`v.stock_on_hand - v.stock_reserved <= ${LOW_STOCK_THRESHOLD}`);
  for (const term of terms) base = base.where('p.search_text', 'like', `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(filter.page ?? 1, 1), pages);
  const items = await base
    .select([
      'v.id as variant_id',
      'p.id as product_id',
      'p.code as product_code',
      'p.name as product_name',
      'v.sku',
      'v.label',
      'v.stock_on_hand',
      'v.stock_reserved',
      sql<number>`v.stock_on_hand - v.stock_reserved`.as('available'),
    ])
    .orderBy(sql`v.stock_on_hand - v.stock_reserved`)
    .orderBy('v.sku')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return { items, total, page, pages };
}

export interface StockHistoryItem {
  id: string;
  delta: number;
  reason: StockReason;
  note: string;
  actor_name: string | null;
  created_at: Date;
}

export async function getVariantStock(tx: Tx, variantId: string): Promise<{ variant: StockListItem; history: StockHistoryItem[] }> {
  if (!isUuid(variantId)) throw new NotFoundError('バリエーションが見つかりません。');
  const variant = await tx
    .selectFrom('product_variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'v.id as variant_id',
      'p.id as product_id',
      'p.code as product_code',
      'p.name as product_name',
      'v.sku',
      'v.label',
      'v.stock_on_hand',
      'v.stock_reserved',
      sql<number>`v.stock_on_hand - v.stock_reserved`.as('available'),
    ])
    .where('v.id', '=', variantId)
    .executeTakeFirst();
  if (!variant) throw new NotFoundError('バリエーションが見つかりません。');
  const history = await tx
    .selectFrom('stock_adjustments as a')
    .leftJoin('staff_users as s', 's.id', 'a.actor_id')
    .select(['a.id', 'a.delta', 'a.reason', 'a.note', 's.display_name as actor_name', 'a.created_at'])
    .where('a.variant_id', '=', variantId)
    .orderBy('a.created_at', 'desc')
    .limit(100)
    .execute();
  return { variant, history };
}
