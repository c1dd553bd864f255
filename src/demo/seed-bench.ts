import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../platform/db/database.ts';
import { type Tx, withIdentity, withPlatform, withTenant } from '../platform/db/tenant-scope.ts';

/**
 * The benchmark's large platform on top of the demo: every demo shop's catalog cloned up to
 * `productsPerShop` products (variants, rank prices), `members` verified salons approved by one to
 * three shops each, and `orders` past orders spread over the shops. All bulk SQL (generate_series,
 * INSERT … SELECT) inside tenant-scoped transactions — RLS checks every row as it does for the
 * application — with ids derived from md5 of a fixed name, so the seed is idempotent and the bench
 * can find its members and SKUs again without a lookup table.
 */

export interface BenchScale {
  productsPerShop: number;
  members: number;
  orders: number;
}

/** The issue's scale, for PostgreSQL. */
export const FULL_BENCH_SCALE: BenchScale = { productsPerShop: 10_000, members: 10_000, orders: 100_000 };
/** PGlite is one in-process session: a tenth of the rows keeps its seed under a minute. */
export const SMALL_BENCH_SCALE: BenchScale = { productsPerShop: 1_000, members: 1_000, orders: 10_000 };

export interface BenchSeedResult {
  shops: number;
  productsAdded: number;
  membersAdded: number;
  ordersAdded: number;
  ms: number;
}

/** Clones carry this in their code (and in SKUs), which demo codes never contain. */
export const BENCH_CODE_MARK = '-BX';
export const BENCH_ORDER_PREFIX = 'P';

/** Stable ids of the bench's own rows: the same on every run of the seed and in the bench. */
export const benchAccountId = (n: number) => md5Uuid(`bench-account:${n}`);
export const benchUserId = (n: number) => md5Uuid(`bench-user:${n}`);
export const benchMemberEmail = (n: number) => `bench-member-${n}@salon.example`;

/** PostgreSQL's md5(text)::uuid, in JavaScript. */
export function md5Uuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Which shops (0-based index in slug order) member n belongs to: one to three of them. */
export function benchMemberShops(n: number, shopCount: number): number[] {
  const shops = new Set([n % shopCount]);
  if (n % 2 === 0) shops.add((n + 1) % shopCount);
  if (n % 5 === 0) shops.add((n + 3) % shopCount);
  return [...shops].sort((a, b) => a - b);
}

/** Bulk statements of the full scale outlast the runtime pool's 30 s per-request statement timeout. */
async function allowLongStatements(tx: Tx): Promise<void> {
  await sql`SET LOCAL statement_timeout = 0`.execute(tx);
}

async function cloneCatalog(tx: Tx, tenantId: string, target: number): Promise<number> {
  await allowLongStatements(tx);
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM products`.execute(tx);
  const missing = target - Number(rows[0]!.n);
  if (missing <= 0) return 0;
  const { rows: clonedRows } = await sql<{ n: string }>`SELECT count(*) AS n FROM products WHERE code LIKE ${`%${BENCH_CODE_MARK}%`}`.execute(tx);
  const first = Number(clonedRows[0]!.n) + 1;
  const last = first + missing - 1;
  // Templates: the shop's own active demo products, numbered; clone g copies template g mod n.
  const templates = sql`(SELECT p.*, row_number() OVER (ORDER BY p.code) - 1 AS rn, count(*) OVER () AS tn
                           FROM products p WHERE p.status = 'active' AND p.code NOT LIKE ${`%${BENCH_CODE_MARK}%`})`;
  const clones = sql`generate_series(${first}::int, ${last}::int) AS g JOIN ${templates} t ON t.rn = g % t.tn`;
  const productId = sql`md5(${tenantId} || ':bench-product:' || g)::uuid`;
  await sql`
    INSERT INTO products (tenant_id, id, code, name, brand_id, category_id, description_html, status, tax_rate, restriction,
                          lot_tracked, featured, image_key, search_text, published_at)
    SELECT t.tenant_id, ${productId}, left(t.code, 30) || ${BENCH_CODE_MARK} || lpad(g::text, 6, '0'), left(t.name, 190) || ' ' || g,
           t.brand_id, t.category_id, t.description_html, 'active', t.tax_rate, t.restriction, t.lot_tracked, false, t.image_key,
           t.search_text || ' ' || g, now() - (g % 900) * interval '1 day' - g * interval '1 second'
      FROM ${clones}`.execute(tx);
  await sql`
    INSERT INTO product_variants (tenant_id, id, product_id, sku, jan_code, label, capacity, pack_size, min_quantity, order_multiple,
                                  list_price_yen, stock_on_hand, stock_reserved, sort_order, status)
    SELECT v.tenant_id, md5(${tenantId} || ':bench-variant:' || g || ':' || v.id)::uuid, ${productId},
           left(v.sku, 30) || ${BENCH_CODE_MARK} || lpad(g::text, 6, '0'), NULL, v.label, v.capacity, v.pack_size, 1, 1,
           v.list_price_yen, 1000000, 0, v.sort_order, 'active'
      FROM ${clones} JOIN product_variants v ON v.product_id = t.id AND v.status = 'active'`.execute(tx);
  await sql`
    INSERT INTO variant_rank_prices (tenant_id, variant_id, rank_id, price_yen, rate)
    SELECT r.tenant_id, md5(${tenantId} || ':bench-variant:' || g || ':' || v.id)::uuid, r.rank_id, r.price_yen, r.rate
      FROM ${clones} JOIN product_variants v ON v.product_id = t.id AND v.status = 'active'
      JOIN variant_rank_prices r ON r.variant_id = v.id`.execute(tx);
  return missing;
}

async function seedMembers(database: Database, count: number): Promise<number> {
  return withIdentity(database, { audience: 'operator' }, async (tx) => {
    await allowLongStatements(tx);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM salon_users WHERE email LIKE 'bench-member-%'`.execute(tx);
    const first = Number(rows[0]!.n) + 1;
    if (first > count) return 0;
    const account = sql`md5('bench-account:' || g)::uuid`;
    await sql`
      INSERT INTO salon_accounts (id, business_type, company_name, salon_name, representative_name, manager_name,
                                  establishment_health_center, establishment_number, establishment_date,
                                  postal_code, prefecture, city, address_line1, phone, verification_status, verified_at)
      SELECT ${account}, 'corporation', '株式会社ベンチサロン' || g, 'ベンチサロン' || g, '計測 太郎', '計測 花子',
             '渋谷区保健所', '第' || g || '号', date '2015-04-01', '1500001', '東京都', '渋谷区', '神宮前1-' || g, '03-5555-0000',
             'verified', now()
        FROM generate_series(${first}::int, ${count}::int) AS g`.execute(tx);
    await sql`
      INSERT INTO salon_users (id, account_id, email, email_verified_at, display_name, role, status)
      SELECT md5('bench-user:' || g)::uuid, ${account}, 'bench-member-' || g || '@salon.example', now(), 'ベンチサロン' || g, 'owner', 'active'
        FROM generate_series(${first}::int, ${count}::int) AS g`.execute(tx);
    return count - first + 1;
  });
}

/** Approves the shop's share of bench members (those whose benchMemberShops include it), ranks round-robin. */
async function approveMembers(tx: Tx, shopIndex: number, shopCount: number, count: number): Promise<void> {
  const g = sql.ref('g');
  const inShop = sql`(${g} % ${shopCount}::int = ${shopIndex}::int
                      OR (${g} % 2 = 0 AND (${g} + 1) % ${shopCount}::int = ${shopIndex}::int)
                      OR (${g} % 5 = 0 AND (${g} + 3) % ${shopCount}::int = ${shopIndex}::int))`;
  await sql`
    INSERT INTO memberships (tenant_id, id, account_id, status, rank_id, customer_code, consent_at, consent_version, applied_at, decided_at)
    SELECT current_setting('app.tenant_id')::uuid, md5(current_setting('app.tenant_id') || ':bench-membership:' || g)::uuid,
           md5('bench-account:' || g)::uuid, 'approved', r.id, 'B' || lpad(g::text, 6, '0'), now(), 'bench', now(), now()
      FROM generate_series(1, ${count}::int) AS g
      JOIN (SELECT id, row_number() OVER (ORDER BY sort_order, code) - 1 AS rn, count(*) OVER () AS rc FROM shop_price_ranks) r
        ON r.rn = g % r.rc
     WHERE ${inShop}
    ON CONFLICT (tenant_id, account_id) DO NOTHING`.execute(tx);
}

/** Past orders of the shop's bench members: one to three lines of cloned SKUs, delivered and paid. */
async function seedOrders(tx: Tx, tenantId: string, count: number): Promise<number> {
  await allowLongStatements(tx);
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM orders WHERE order_number LIKE ${`${BENCH_ORDER_PREFIX}%`}`.execute(tx);
  const first = Number(rows[0]!.n) + 1;
  if (first > count) return 0;
  const members = sql`(SELECT m.id, m.account_id, row_number() OVER (ORDER BY m.account_id) - 1 AS rn, count(*) OVER () AS mc
                         FROM memberships m WHERE m.consent_version = 'bench' AND m.status = 'approved')`;
  const variants = sql`(SELECT v.id, v.product_id, v.sku, v.capacity, v.list_price_yen, p.name, p.tax_rate, p.lot_tracked,
                               row_number() OVER (ORDER BY v.sku) - 1 AS rn, count(*) OVER () AS vc
                          FROM product_variants v JOIN products p ON p.id = v.product_id
                         WHERE v.sku LIKE ${`%${BENCH_CODE_MARK}%`})`;
  await sql`CREATE TEMP TABLE bench_lines ON COMMIT DROP AS
    SELECT g, l AS line_no, md5(${tenantId} || ':bench-order:' || g)::uuid AS order_id, v.*, 1 + (g + l) % 4 AS quantity,
           floor(v.list_price_yen * 0.8)::int AS unit_price
      FROM generate_series(${first}::int, ${count}::int) AS g
      CROSS JOIN LATERAL generate_series(1, 1 + g % 3) AS l
      JOIN ${variants} v ON v.rn = (g * 7919 + l * 104729) % v.vc`.execute(tx);
  await sql`
    INSERT INTO orders (tenant_id, id, order_number, account_id, membership_id, placed_by, status, payment_method, payment_status,
                        idempotency_key, recipient_name, recipient_company, postal_code, prefecture, city, address_line1, phone,
                        subtotal_excl_tax, base_10, tax_10, base_8, tax_8, total_incl_tax, placed_at, confirmed_at)
    SELECT ${tenantId}::uuid, o.order_id, ${BENCH_ORDER_PREFIX} || lpad(o.g::text, 7, '0'), m.account_id, m.id, u.id, 'delivered',
           'bank_transfer', 'paid', 'bench-order-' || lpad(o.g::text, 10, '0'), '計測 太郎', 'ベンチサロン', '1500001', '東京都', '渋谷区',
           '神宮前1-1-1', '03-5555-0000', o.subtotal, o.base10, floor(o.base10 * 0.10)::int, o.base8, floor(o.base8 * 0.08)::int,
           o.subtotal + floor(o.base10 * 0.10)::int + floor(o.base8 * 0.08)::int, o.placed_at, o.placed_at
      FROM (SELECT g, order_id, sum(unit_price * quantity)::int AS subtotal,
                   coalesce(sum(unit_price * quantity) FILTER (WHERE tax_rate = 10), 0)::int AS base10,
                   coalesce(sum(unit_price * quantity) FILTER (WHERE tax_rate = 8), 0)::int AS base8,
                   now() - (g % 730) * interval '1 day' - (g % 86400) * interval '1 second' AS placed_at
              FROM bench_lines GROUP BY g, order_id) o
      JOIN ${members} m ON m.rn = o.g % m.mc
      JOIN salon_users u ON u.account_id = m.account_id AND u.role = 'owner'`.execute(tx);
  await sql`
    INSERT INTO order_lines (tenant_id, order_id, line_no, variant_id, product_id, sku, name, capacity, quantity, list_price_yen,
                             unit_price_excl_tax, tax_rate, line_total_excl_tax, lot_tracked)
    SELECT ${tenantId}::uuid, order_id, line_no, id, product_id, sku, name, capacity, quantity, list_price_yen, unit_price, tax_rate,
           unit_price * quantity, lot_tracked
      FROM bench_lines`.execute(tx);
  return count - first + 1;
}

export async function seedBenchPlatform(database: Database, scale: BenchScale): Promise<BenchSeedResult> {
  const startedAt = performance.now();
  const shops = await withPlatform(database, (tx) =>
    tx.selectFrom('tenants').select(['id', 'slug']).where('kind', '=', 'supplier').orderBy('slug').execute(),
  );
  let productsAdded = 0;
  let ordersAdded = 0;
  for (const shop of shops) productsAdded += await withTenant(database, shop.id, (tx) => cloneCatalog(tx, shop.id, scale.productsPerShop));
  const membersAdded = await seedMembers(database, scale.members);
  const ordersPerShop = Math.ceil(scale.orders / Math.max(shops.length, 1));
  for (const [index, shop] of shops.entries()) {
    ordersAdded += await withTenant(database, shop.id, async (tx) => {
      await approveMembers(tx, index, shops.length, scale.members);
      return seedOrders(tx, shop.id, ordersPerShop);
    });
  }
  // Fresh bulk rows have no statistics yet (the planner would guess at the listing query) and no
  // visibility map (index-only scans would visit the table); autovacuum would then do both while
  // the bench measures. As a settled database has them: now.
  await database.ownerExec('VACUUM ANALYZE');
  return { shops: shops.length, productsAdded, membersAdded, ordersAdded, ms: Math.round(performance.now() - startedAt) };
}
