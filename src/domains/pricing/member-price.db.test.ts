import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withTenant } from '../../platform/db/tenant-scope.ts';
import { resolveMemberPrices } from './member-price.ts';

let database: Database;
let shopA: string;
let shopB: string;

async function tenantId(slug: string) {
  const { rows } = await database.ownerExec('SELECT id FROM tenants WHERE slug = $1', [slug]);
  return rows[0]!.id as string;
}

interface Fixture {
  rankGold: string;
  rankGeneral: string;
  plain: string;
  overridden: string;
  onSale: string;
  tiered: string;
  reduced: string;
}

async function seedPrices(tx: Tx, tenant: string): Promise<Fixture> {
  const rank = (code: string, rate: string) =>
    tx.insertInto('shop_price_ranks').values({ tenant_id: tenant, code, name: code, rate }).returning('id').executeTakeFirstOrThrow();
  const gold = await rank('gold', '0.6500');
  const general = await rank('general', '0.8000');
  const cat = await tx.insertInto('categories').values({ tenant_id: tenant, slug: 'care', name: 'ケア', parent_id: null }).returning('id').executeTakeFirstOrThrow();
  const product = (code: string, taxRate: 8 | 10) =>
    tx.insertInto('products').values({ tenant_id: tenant, code, name: code, category_id: cat.id, tax_rate: taxRate, status: 'active' }).returning('id').executeTakeFirstOrThrow();
  const p10 = await product('P10', 10);
  const p8 = await product('P8', 8);
  const variant = (sku: string, productId: string, list: number) =>
    tx.insertInto('product_variants').values({ tenant_id: tenant, product_id: productId, sku, list_price_yen: list }).returning('id').executeTakeFirstOrThrow();
  const plain = await variant('PLAIN', p10.id, 1234);
  const overridden = await variant('OVR', p10.id, 2000);
  const onSale = await variant('SALE', p10.id, 3000);
  const tiered = await variant('TIER', p10.id, 1000);
  const reduced = await variant('TEA', p8.id, 1000);
  await tx
    .insertInto('variant_rank_prices')
    .values([
      { tenant_id: tenant, variant_id: overridden.id, rank_id: gold.id, price_yen: 1500, rate: null },
      { tenant_id: tenant, variant_id: overridden.id, rank_id: general.id, price_yen: null, rate: '0.9000' },
    ])
    .execute();
  await tx
    .insertInto('sale_prices')
    .values([
      // active and cheapest
      { tenant_id: tenant, variant_id: onSale.id, price_yen: 1700, starts_at: '2026-01-01T00:00:00Z', ends_at: '2026-12-31T00:00:00Z' },
      { tenant_id: tenant, variant_id: onSale.id, price_yen: 1900, starts_at: '2026-01-01T00:00:00Z', ends_at: '2027-12-31T00:00:00Z' },
      // expired and in the future: ignored
      { tenant_id: tenant, variant_id: onSale.id, price_yen: 100, starts_at: '2025-01-01T00:00:00Z', ends_at: '2025-02-01T00:00:00Z' },
      { tenant_id: tenant, variant_id: onSale.id, price_yen: 100, starts_at: '2027-01-01T00:00:00Z', ends_at: '2027-02-01T00:00:00Z' },
    ])
    .execute();
  await tx
    .insertInto('volume_tiers')
    .values([
      { tenant_id: tenant, variant_id: tiered.id, min_quantity: 12, discount_rate: '0.0500' },
      { tenant_id: tenant, variant_id: tiered.id, min_quantity: 24, discount_rate: '0.0800' },
    ])
    .execute();
  return { rankGold: gold.id, rankGeneral: general.id, plain: plain.id, overridden: overridden.id, onSale: onSale.id, tiered: tiered.id, reduced: reduced.id };
}

let a: Fixture;
let b: Fixture;
const at = new Date('2026-06-01T00:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  shopA = await tenantId('ayame-color');
  shopB = await tenantId('kiriha-tools');
  a = await withTenant(database, shopA, (tx) => seedPrices(tx, shopA));
  b = await withTenant(database, shopB, (tx) => seedPrices(tx, shopB));
});

afterAll(async () => {
  await database?.close();
});

describe('resolveMemberPrices', () => {
  it('resolves rank, override, sale, tier and reduced-rate prices in one query', async () => {
    let statements = 0;
    const prices = await withTenant(database, shopA, async (tx) => {
      const counted = tx.withPlugin({
        transformQuery: (args) => {
          statements++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      return resolveMemberPrices(counted, {
        tenantId: shopA,
        rankId: a.rankGold,
        variantIds: [a.plain, a.overridden, a.onSale, a.tiered, a.reduced],
        quantities: new Map([[a.tiered, 12]]),
        at,
      });
    });
    expect(statements).toBe(1);
    expect(prices.get(a.plain)).toMatchObject({ listPriceYen: 1234, unitPriceYen: 802, unitPriceInclTaxYen: 882, taxRate: 10, source: 'rank' });
    expect(prices.get(a.overridden)).toMatchObject({ unitPriceYen: 1500, source: 'rank_override' });
    expect(prices.get(a.onSale)).toMatchObject({ unitPriceYen: 1700, source: 'sale' });
    expect(prices.get(a.onSale)?.saleEndsAt?.toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(prices.get(a.tiered)).toMatchObject({ unitPriceYen: 617, source: 'tier', tierMinQuantity: 12 });
    expect(prices.get(a.tiered)?.tiers.map((t) => t.minQuantity)).toEqual([12, 24]);
    expect(prices.get(a.reduced)).toMatchObject({ unitPriceYen: 650, unitPriceInclTaxYen: 702, taxRate: 8 });
  });

  it('uses the rank-rate override for another rank and list prices without a rank', async () => {
    const general = await withTenant(database, shopA, (tx) =>
      resolveMemberPrices(tx, { tenantId: shopA, rankId: a.rankGeneral, variantIds: [a.overridden, a.onSale], at }),
    );
    expect(general.get(a.overridden)).toMatchObject({ unitPriceYen: 1800, source: 'rank_override' });
    // 3000 × 0.8 = 2400 > sale 1700
    expect(general.get(a.onSale)).toMatchObject({ unitPriceYen: 1700, source: 'sale' });
    const none = await withTenant(database, shopA, (tx) => resolveMemberPrices(tx, { tenantId: shopA, rankId: null, variantIds: [a.plain], at }));
    expect(none.get(a.plain)).toMatchObject({ unitPriceYen: 1234, source: 'list' });
  });

  it('judges sale windows at the given moment', async () => {
    const later = await withTenant(database, shopA, (tx) =>
      resolveMemberPrices(tx, { tenantId: shopA, rankId: a.rankGold, variantIds: [a.onSale], at: new Date('2027-06-01T00:00:00Z') }),
    );
    // Only the 1,900 sale is still running; gold's 0.65 × 3,000 = 1,950 is dearer.
    expect(later.get(a.onSale)).toMatchObject({ unitPriceYen: 1900, source: 'sale' });
  });

  it('never returns another shop’s variants, nor uses another shop’s rank', async () => {
    const prices = await withTenant(database, shopA, (tx) =>
      resolveMemberPrices(tx, { tenantId: shopA, rankId: b.rankGold, variantIds: [a.plain, b.plain, b.tiered], at }),
    );
    expect([...prices.keys()]).toEqual([a.plain]);
    expect(prices.get(a.plain)?.source).toBe('list');
    // Even asking for shop B's ids with shop B's tenant filter inside shop A's scope finds nothing: RLS.
    const leaked = await withTenant(database, shopA, (tx) => resolveMemberPrices(tx, { tenantId: shopB, rankId: b.rankGold, variantIds: [b.plain], at }));
    expect(leaked.size).toBe(0);
  });

  it('ignores malformed ids and empty input without querying', async () => {
    const prices = await withTenant(database, shopA, (tx) =>
      resolveMemberPrices(tx, { tenantId: shopA, rankId: "x' OR 1=1 --", variantIds: ['nope', "'; DROP TABLE products; --"] }),
    );
    expect(prices.size).toBe(0);
    const still = await withTenant(database, shopA, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM products`.execute(tx));
    expect(still.rows[0]?.n).toBe(2);
  });
});
