import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import type { Database } from '../platform/db/database.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { demoCatalogFor } from './catalog/demo-catalog.ts';
import { DEMO_SHOPS } from './catalog/demo-shops.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { seedDemoPlatform } from './seed-platform.ts';

let database: Database;
let firstRun: Awaited<ReturnType<typeof seedDemoCatalog>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  firstRun = await seedDemoCatalog(database);
}, 60_000);

afterAll(async () => {
  await database?.close();
});

async function tenantId(slug: string) {
  const { rows } = await database.ownerExec('SELECT id FROM tenants WHERE slug = $1', [slug]);
  return rows[0]!.id as string;
}

describe('seedDemoCatalog', () => {
  it('seeds every demo shop with its whole catalog', () => {
    expect(firstRun.seededShops.sort()).toEqual(DEMO_SHOPS.map((s) => s.slug).sort());
    const expected = DEMO_SHOPS.reduce((n, s) => n + demoCatalogFor(s.slug).products.length, 0);
    expect(firstRun.products).toBe(expected);
  });

  it('stores each shop’s catalog under its own tenant: ranks, ≥200 products, variants, stock, tiers, sales', async () => {
    for (const shop of DEMO_SHOPS) {
      const id = await tenantId(shop.slug);
      const catalog = demoCatalogFor(shop.slug);
      const counts = await withTenant(database, id, async (tx) => {
        const row = await sql<Record<string, number>>`SELECT
            (SELECT count(*)::int FROM shop_price_ranks) AS ranks,
            (SELECT count(*)::int FROM categories) AS categories,
            (SELECT count(*)::int FROM brands) AS brands,
            (SELECT count(*)::int FROM products) AS products,
            (SELECT count(*)::int FROM product_variants) AS variants,
            (SELECT coalesce(sum(stock_on_hand), 0)::int FROM product_variants) AS stock,
            (SELECT coalesce(sum(delta), 0)::int FROM stock_adjustments) AS adjusted,
            (SELECT count(*)::int FROM volume_tiers) AS tiers,
            (SELECT count(*)::int FROM sale_prices) AS sales,
            (SELECT count(*)::int FROM products WHERE search_text = '') AS unsearchable`.execute(tx);
        return row.rows[0]!;
      });
      expect(counts.ranks).toBe(shop.priceRanks.length);
      expect(counts.products).toBe(catalog.products.length);
      expect(counts.products).toBeGreaterThanOrEqual(200);
      expect(counts.categories).toBe(catalog.categories.length);
      expect(counts.brands).toBe(catalog.brands.length);
      expect(counts.variants).toBe(catalog.products.reduce((n, p) => n + p.variants.length, 0));
      expect(counts.stock).toBe(counts.adjusted);
      expect(counts.tiers).toBe(catalog.products.reduce((n, p) => n + p.variants.reduce((m, v) => m + v.volumeTiers.length, 0), 0));
      expect(counts.sales).toBe(catalog.products.reduce((n, p) => n + p.variants.filter((v) => v.sale).length, 0));
      expect(counts.unsearchable).toBe(0);
    }
  });

  it('is idempotent: a second run seeds nothing and duplicates nothing', async () => {
    const again = await seedDemoCatalog(database);
    expect(again.seededShops).toEqual([]);
    const { rows } = await database.ownerExec('SELECT count(*)::int AS n FROM products');
    expect(rows[0]!.n).toBe(firstRun.products);
    const ranks = await database.ownerExec('SELECT count(*)::int AS n FROM shop_price_ranks');
    expect(ranks.rows[0]!.n).toBe(DEMO_SHOPS.reduce((n, s) => n + s.priceRanks.length, 0));
  });
});
