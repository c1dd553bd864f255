import { randomUUID } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import type { ProductsTable } from '../domains/catalog/catalog.tables.ts';
import { sanitizeDescription } from '../domains/catalog/description-sanitizer.ts';
import { buildSearchText } from '../domains/catalog/search-text.ts';
import type { Database } from '../platform/db/database.ts';
import { type Tx, withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import { type DemoCatalog, demoCatalogFor } from './catalog/demo-catalog.ts';
import type { DemoShopSlug } from './catalog/demo-shops.ts';

/**
 * First start: every demo shop's catalog (categories, brands, products, variants, stock with its
 * history, rank prices, volume tiers, sales). Each shop is one transaction under its own tenant
 * scope — RLS checks every row like any other write — and a handful of multi-row INSERTs with ids
 * made here, so no statement waits for another's RETURNING.
 *
 * Idempotent: a shop that already has products is left alone, and price ranks are inserted by
 * code with ON CONFLICT DO NOTHING, so whichever demo seed runs first creates them.
 *
 * Demo sale prices: the demo data states a sale as a reduced list price on which rank rates
 * still apply, whereas sale_prices holds the price every rank pays. The seed stores the sale list
 * price × the shop's lowest rank rate, so the campaign is a real sale for every rank.
 */

const ROWS_PER_INSERT = 1000;
const DAY_MS = 86_400_000;

export interface SeedCatalogResult {
  seededShops: string[];
  products: number;
  variants: number;
  ms: number;
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await insert(rows.slice(i, i + ROWS_PER_INSERT));
}

const floorRate = (yen: number, rate: number) => Math.floor((yen * Math.round(rate * 10_000)) / 10_000);

async function seedShop(tx: Tx, tenantId: string, catalog: DemoCatalog, now: Date): Promise<{ products: number; variants: number } | null> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`seed-catalog:${tenantId}`}))`.execute(tx);
  await tx
    .insertInto('shop_price_ranks')
    .values(catalog.shop.priceRanks.map((r, i) => ({ tenant_id: tenantId, code: r.code, name: r.name, rate: r.rate.toFixed(4), sort_order: i })))
    .onConflict((oc) => oc.columns(['tenant_id', 'code']).doNothing())
    .execute();
  if (await tx.selectFrom('products').select('id').limit(1).executeTakeFirst()) return null;
  const ranks = await tx.selectFrom('shop_price_ranks').select(['id', 'rate']).execute();
  const lowestRate = Math.min(...ranks.map((r) => Number(r.rate)));

  const categoryIds = new Map(catalog.categories.map((c) => [c.slug, randomUUID()]));
  await tx
    .insertInto('categories')
    .values(
      catalog.categories.map((c) => ({
        tenant_id: tenantId,
        id: categoryIds.get(c.slug)!,
        parent_id: c.parentSlug ? categoryIds.get(c.parentSlug)! : null,
        slug: c.slug,
        name: c.name,
        sort_order: c.sortOrder,
      })),
    )
    .execute();

  const brandIds = new Map(catalog.brands.map((b) => [b.slug, randomUUID()]));
  const brandNames = new Map(catalog.brands.map((b) => [b.slug, b.name]));
  await tx
    .insertInto('brands')
    .values(catalog.brands.map((b) => ({ tenant_id: tenantId, id: brandIds.get(b.slug)!, slug: b.slug, name: b.name, maker: b.maker })))
    .execute();

  const sanitized = new Map<string, string>();
  const clean = (html: string) => {
    let out = sanitized.get(html);
    if (out === undefined) {
      const result = sanitizeDescription(html);
      out = result.ok ? result.html : '';
      sanitized.set(html, out);
    }
    return out;
  };

  const products: Insertable<ProductsTable>[] = [];
  const variants: { tenant_id: string; id: string; product_id: string; sku: string; jan_code: string; label: string; capacity: string; pack_size: number; min_quantity: number; order_multiple: number; list_price_yen: number; stock_on_hand: number; sort_order: number }[] = [];
  const adjustments: { tenant_id: string; variant_id: string; delta: number; reason: 'receipt'; note: string }[] = [];
  const rankPrices: { tenant_id: string; variant_id: string; rank_id: string; price_yen: number; rate: null }[] = [];
  const tiers: { tenant_id: string; variant_id: string; min_quantity: number; discount_rate: string }[] = [];
  const sales: { tenant_id: string; variant_id: string; price_yen: number; starts_at: string; ends_at: string }[] = [];

  catalog.products.forEach((p, index) => {
    const productId = randomUUID();
    const active = p.status === 'active';
    // New products were published in the last two weeks; the rest over the past two years.
    const ageDays = p.isNew ? index % 14 : 30 + ((index * 37) % 700);
    products.push({
      tenant_id: tenantId,
      id: productId,
      code: p.code,
      name: p.name,
      brand_id: brandIds.get(p.brandSlug) ?? null,
      category_id: categoryIds.get(p.categorySlug)!,
      description_html: clean(p.descriptionHtml),
      status: p.status === 'discontinued' ? 'archived' : p.status,
      tax_rate: p.taxRate,
      restriction: p.restriction,
      lot_tracked: p.lotTracked,
      featured: p.featured,
      image_key: p.image,
      search_text: buildSearchText({
        name: p.name,
        code: p.code,
        brandName: brandNames.get(p.brandSlug),
        skus: p.variants.map((v) => v.sku),
        jans: p.variants.map((v) => v.jan),
      }),
      published_at: active || p.status === 'discontinued' ? new Date(now.getTime() - ageDays * DAY_MS) : null,
    });
    p.variants.forEach((v, i) => {
      const variantId = randomUUID();
      variants.push({
        tenant_id: tenantId,
        id: variantId,
        product_id: productId,
        sku: v.sku,
        jan_code: v.jan,
        label: v.label,
        capacity: v.capacity,
        pack_size: v.packSize,
        min_quantity: v.minQuantity,
        order_multiple: v.orderMultiple,
        list_price_yen: v.listPriceYen,
        stock_on_hand: v.stock,
        sort_order: i,
      });
      if (v.stock > 0) adjustments.push({ tenant_id: tenantId, variant_id: variantId, delta: v.stock, reason: 'receipt', note: '初期在庫（デモデータ）' });
      for (const t of v.volumeTiers) {
        tiers.push({ tenant_id: tenantId, variant_id: variantId, min_quantity: t.minQuantity, discount_rate: (t.discountPercent / 100).toFixed(4) });
      }
      if (v.sale) {
        sales.push({ tenant_id: tenantId, variant_id: variantId, price_yen: floorRate(v.sale.salePriceYen, lowestRate), starts_at: v.sale.startsAt, ends_at: v.sale.endsAt });
      }
      // Featured items carry a negotiated price per rank, a little under the rank's 掛け率.
      if (p.featured) {
        for (const r of ranks) rankPrices.push({ tenant_id: tenantId, variant_id: variantId, rank_id: r.id, price_yen: floorRate(v.listPriceYen, Math.max(0.05, Number(r.rate) - 0.03)), rate: null });
      }
    });
  });

  await insertChunked(products, (chunk) => tx.insertInto('products').values(chunk).execute());
  await insertChunked(variants, (chunk) => tx.insertInto('product_variants').values(chunk).execute());
  await insertChunked(adjustments, (chunk) => tx.insertInto('stock_adjustments').values(chunk).execute());
  await insertChunked(tiers, (chunk) => tx.insertInto('volume_tiers').values(chunk).execute());
  await insertChunked(sales, (chunk) => tx.insertInto('sale_prices').values(chunk).execute());
  await insertChunked(rankPrices, (chunk) => tx.insertInto('variant_rank_prices').values(chunk).execute());
  return { products: products.length, variants: variants.length };
}

/** Seeds every demo shop that has no catalog yet. Call after seedDemoPlatform. */
export async function seedDemoCatalog(database: Database, now: Date = new Date()): Promise<SeedCatalogResult> {
  const started = performance.now();
  // Tenants are platform rows, readable without a shop scope.
  const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).orderBy('sort_order').execute());
  const result: SeedCatalogResult = { seededShops: [], products: 0, variants: 0, ms: 0 };
  for (const shop of shops) {
    let catalog: DemoCatalog;
    try {
      catalog = demoCatalogFor(shop.slug as DemoShopSlug);
    } catch {
      continue; // not a demo shop
    }
    const seeded = await withTenant(database, shop.id, (tx) => seedShop(tx, shop.id, catalog, now));
    if (seeded) {
      result.seededShops.push(shop.slug);
      result.products += seeded.products;
      result.variants += seeded.variants;
    }
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}
