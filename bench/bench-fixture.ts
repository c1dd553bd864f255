import fs from 'node:fs';
import { sql } from 'kysely';
import { benchAccountId, benchMemberShops, benchUserId, FULL_BENCH_SCALE, SMALL_BENCH_SCALE, seedBenchPlatform } from '../src/demo/seed-bench.ts';
import { createSession } from '../src/domains/auth/session.service.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabaseFromConfig } from '../src/platform/db/open-database.ts';
import { withIdentity, withPlatform, withTenant } from '../src/platform/db/tenant-scope.ts';
import { cookieName } from '../src/platform/http/cookies.ts';

/**
 * Between the bench's two starts (PGlite admits one process at a time): the large seed, then
 * signed-in sessions for BENCH_MEMBERS bench members of BENCH_SHOP and the SKUs, product codes and
 * category the scenarios spread over. Writes them as JSON to BENCH_FIXTURE_FILE.
 */
export interface BenchFixture {
  shop: string;
  category: string;
  searchTerm: string;
  sessionCookies: string[];
  variantIds: string[];
  productCodes: string[];
  scale: { products_per_shop: number; members: number; orders: number; seconds: number };
}

const shop = process.env.BENCH_SHOP ?? 'kaoru-haircare';
const memberCount = Number(process.env.BENCH_MEMBERS ?? 300);
const config = loadConfig();
const database = await openDatabaseFromConfig(config);
const scale = process.env.BENCH_SCALE === 'small' || (!config.DATABASE_URL && process.env.BENCH_SCALE !== 'full') ? SMALL_BENCH_SCALE : FULL_BENCH_SCALE;

const seeded = await seedBenchPlatform(database, scale);
process.stderr.write(`bench seed: ${JSON.stringify(seeded)}\n`);

const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).where('kind', '=', 'supplier').orderBy('slug').execute());
const shopIndex = shops.findIndex((s) => s.slug === shop);
if (shopIndex < 0) throw new Error(`no shop ${shop}`);
const tenantId = shops[shopIndex]!.id;

const members: number[] = [];
for (let n = 1; n <= scale.members && members.length < memberCount; n++) if (benchMemberShops(n, shops.length).includes(shopIndex)) members.push(n);

const session = cookieName(config, 'session');
const sessionCookies: string[] = [];
for (const n of members) {
  const accountId = benchAccountId(n);
  const userId = benchUserId(n);
  const { token } = await withIdentity(database, { accountId, principalId: userId, audience: 'salon' }, (tx) => createSession(tx, { audience: 'salon', userId, accountId }));
  sessionCookies.push(`${session}=${token}`);
}

const picked = await withTenant(database, tenantId, async (tx) => {
  // Spread over the whole catalog, in an order unrelated to codes or insertion.
  const variants = await sql<{ id: string }>`
    SELECT v.id FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
     WHERE v.sku LIKE '%-BX%' AND v.status = 'active' AND p.status = 'active' ORDER BY md5(v.id::text) LIMIT 2000`.execute(tx);
  const products = await sql<{ code: string }>`SELECT code FROM products WHERE status = 'active' ORDER BY md5(id::text) LIMIT 500`.execute(tx);
  // The category with the most products: the listing that pages through the most rows.
  const category = await sql<{ slug: string }>`
    SELECT c.slug FROM categories c JOIN products p ON p.tenant_id = c.tenant_id AND p.category_id = c.id
     GROUP BY c.slug ORDER BY count(*) DESC LIMIT 1`.execute(tx);
  return { variantIds: variants.rows.map((r) => r.id), productCodes: products.rows.map((r) => r.code), category: category.rows[0]!.slug };
});

const fixture: BenchFixture = {
  shop,
  category: process.env.BENCH_CATEGORY ?? picked.category,
  searchTerm: process.env.BENCH_SEARCH ?? 'シャンプー',
  sessionCookies,
  variantIds: picked.variantIds,
  productCodes: picked.productCodes,
  scale: { products_per_shop: scale.productsPerShop, members: scale.members, orders: scale.orders, seconds: Math.round(seeded.ms / 100) / 10 },
};
fs.writeFileSync(process.env.BENCH_FIXTURE_FILE ?? 'bench-fixture.json', JSON.stringify(fixture));
await database.close();
process.stdout.write('BENCH_FIXTURE_READY\n');
