import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import type { Database } from '../platform/db/database.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { type BenchSeedResult, benchAccountId, benchMemberShops, benchUserId, md5Uuid, seedBenchPlatform } from './seed-bench.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { seedDemoPlatform } from './seed-platform.ts';

const scale = { productsPerShop: 260, members: 40, orders: 120 };
let database: Database;
let first: BenchSeedResult;
let shops: { id: string; slug: string }[];
let demoProducts: Map<string, number>;

async function count(query: string, values: unknown[] = []): Promise<number> {
  const { rows } = await database.ownerExec(query, values);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  await seedDemoCatalog(database);
  shops = (await database.ownerExec(`SELECT id, slug FROM tenants WHERE kind = 'supplier' ORDER BY slug`)).rows as typeof shops;
  demoProducts = new Map();
  for (const s of shops) demoProducts.set(s.id, await count('SELECT count(*) AS n FROM products WHERE tenant_id = $1', [s.id]));
  first = await seedBenchPlatform(database, scale);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe('seedBenchPlatform', () => {
  it('fills every shop up to the product count with cloned products, variants and rank prices', async () => {
    expect(shops.length).toBeGreaterThan(1);
    for (const s of shops) {
      expect(await count('SELECT count(*) AS n FROM products WHERE tenant_id = $1', [s.id])).toBe(scale.productsPerShop);
      const clones = await count(`SELECT count(*) AS n FROM products WHERE tenant_id = $1 AND code LIKE '%-BX%'`, [s.id]);
      expect(clones).toBe(scale.productsPerShop - demoProducts.get(s.id)!);
      // Every clone has a variant, and each cloned variant the rank prices its template had.
      expect(
        await count(
          `SELECT count(*) AS n FROM products p WHERE p.tenant_id = $1 AND p.code LIKE '%-BX%'
             AND NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id)`,
          [s.id],
        ),
      ).toBe(0);
      // Each clone variant carries exactly its template variant's negotiated rank prices.
      const prices = `(SELECT count(*) FROM variant_rank_prices r WHERE r.tenant_id = v.tenant_id AND r.variant_id = v.id)`;
      const mismatched = await count(
        `SELECT count(*) AS n FROM product_variants c
           JOIN product_variants v ON v.tenant_id = c.tenant_id AND v.sku = regexp_replace(c.sku, '-BX[0-9]{6}$', '')
          WHERE c.tenant_id = $1 AND c.sku LIKE '%-BX%'
            AND ${prices} <> (SELECT count(*) FROM variant_rank_prices r WHERE r.tenant_id = c.tenant_id AND r.variant_id = c.id)`,
        [s.id],
      );
      expect(mismatched).toBe(0);
    }
    expect(first.productsAdded).toBe([...demoProducts.values()].reduce((n, d) => n + scale.productsPerShop - d, 0));
  });

  it('makes verified members with stable ids, approved by exactly the shops benchMemberShops names', async () => {
    expect(first.membersAdded).toBe(scale.members);
    for (const n of [1, 2, 10, scale.members]) {
      const { rows } = await database.ownerExec(
        `SELECT a.verification_status, u.id AS user_id FROM salon_accounts a JOIN salon_users u ON u.account_id = a.id WHERE a.id = $1`,
        [benchAccountId(n)],
      );
      expect(rows).toEqual([{ verification_status: 'verified', user_id: benchUserId(n) }]);
      const approvedBy = (await database.ownerExec(`SELECT tenant_id FROM memberships WHERE account_id = $1 AND status = 'approved'`, [benchAccountId(n)])).rows.map(
        (r) => r.tenant_id,
      );
      expect(approvedBy.sort()).toEqual(benchMemberShops(n, shops.length).map((i) => shops[i]!.id).sort());
    }
  });

  it('places past orders whose totals add up from their lines, each by a member of that shop', async () => {
    expect(first.ordersAdded).toBe(Math.ceil(scale.orders / shops.length) * shops.length);
    expect(
      await count(`SELECT count(*) AS n FROM orders o
                    WHERE o.order_number LIKE 'P%' AND o.subtotal_excl_tax <> (SELECT sum(l.line_total_excl_tax) FROM order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM orders o JOIN memberships m ON m.tenant_id = o.tenant_id AND m.id = o.membership_id
                    WHERE o.order_number LIKE 'P%' AND (m.account_id <> o.account_id OR m.status <> 'approved')`),
    ).toBe(0);
    // RLS holds: one shop's scope sees only its own bench orders.
    const seen = await withTenant(database, shops[0]!.id, (tx) => tx.selectFrom('orders').select('tenant_id').distinct().execute());
    expect(seen).toEqual([{ tenant_id: shops[0]!.id }]);
  });

  it('is idempotent: a second run adds nothing', async () => {
    const again = await seedBenchPlatform(database, scale);
    expect([again.productsAdded, again.membersAdded, again.ordersAdded]).toEqual([0, 0, 0]);
  });

  it('derives ids as PostgreSQL md5(text)::uuid does', async () => {
    const { rows } = await database.ownerExec(`SELECT md5('bench-account:7')::uuid AS id`);
    expect(rows[0]!.id).toBe(md5Uuid('bench-account:7'));
  });
});
