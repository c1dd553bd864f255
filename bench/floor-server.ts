import Fastify from 'fastify';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { loadProductCards, type ProductCard } from '../src/domains/storefront/product-cards.queries.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabaseFromConfig } from '../src/platform/db/open-database.ts';
import type { DB } from '../src/platform/db/schema.ts';
import { withTenant } from '../src/platform/db/tenant-scope.ts';

/**
 * The floors every figure is compared with, measured in the same run on the same database:
 * (a) a bare Fastify route running the same query and rendering a comparable page with a template
 *     string — no session, no tenancy, no security layer;
 * (b) the same inside one RLS-scoped transaction.
 * The catalog listing floors run the storefront's own listing query (24 cards and the rank prices
 * of their variants); floor (a) on the owner connection, which RLS does not filter.
 */
const config = loadConfig();
const database = await openDatabaseFromConfig(config);
const app = Fastify({ logger: false });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function legalPage(tenant: { display_name: string; company_name: string; legal: Record<string, string> }): string {
  const rows = Object.entries(tenant.legal)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(tenant.display_name)}</title><link rel="stylesheet" href="/app.css"></head><body><header>${escapeHtml(tenant.display_name)}</header><main><h1>特定商取引法に基づく表記</h1><dl>${rows}</dl></main><footer>${escapeHtml(tenant.company_name)}</footer></body></html>`;
}

type TenantRow = { id: string; display_name: string; company_name: string; legal: Record<string, string> };

app.get('/floor/legal/:slug', async (request, reply) => {
  const slug = (request.params as { slug: string }).slug;
  const { rows } = await sql<TenantRow>`SELECT id, display_name, company_name, legal FROM tenants WHERE slug = ${slug}`.execute(database.db);
  if (!rows[0]) return reply.status(404).send('not found');
  return reply.type('text/html; charset=utf-8').send(legalPage(rows[0]));
});

let tenantIds: Record<string, string> = {};
app.get('/floor-rls/legal/:slug', async (request, reply) => {
  const slug = (request.params as { slug: string }).slug;
  const id = tenantIds[slug];
  if (!id) return reply.status(404).send('not found');
  const row = await withTenant(database, id, async (tx) => (await sql<TenantRow>`SELECT id, display_name, company_name, legal FROM tenants WHERE id = ${id}`.execute(tx)).rows[0]);
  if (!row) return reply.status(404).send('not found');
  return reply.type('text/html; charset=utf-8').send(legalPage(row));
});

// Without a tenant scope the runtime role sees no shop rows on PostgreSQL; PGlite outside a scope
// is its superuser session already.
const unscoped: Kysely<DB> = config.DATABASE_URL
  ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.DATABASE_OWNER_URL ?? config.DATABASE_URL, max: config.DATABASE_POOL_SIZE }) }) })
  : database.db;

const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;
function listingPage(title: string, cards: ProductCard[]): string {
  const items = cards
    .map(
      (c) =>
        `<li class="product-card"><a href="/p/${escapeHtml(c.code)}"><img src="/demo/${escapeHtml(c.imageKey ?? '')}.webp" alt="" width="480" height="480"><span>${escapeHtml(c.brandName ?? '')}</span><span>${escapeHtml(c.name)}</span></a>` +
        `<span class="badge">${c.stock}</span>${c.price ? `<p class="price">${yen(c.price.unitPriceYen)}<span>税込 ${yen(c.price.unitPriceInclTaxYen)}</span> 定価 <s>${yen(c.price.listPriceYen)}</s></p>` : ''}<p>品番 ${escapeHtml(c.code)}</p></li>`,
    )
    .join('');
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/app.css"></head><body><header>${escapeHtml(title)}</header><main><h1>${escapeHtml(title)}</h1><ul class="product-grid">${items}</ul></main></body></html>`;
}

interface ListingTarget {
  tenantId: string;
  categoryId: string;
  rankId: string | null;
}
const listingTargets = new Map<string, ListingTarget>();
async function listingTarget(slug: string, category: string): Promise<ListingTarget | undefined> {
  const key = `${slug}/${category}`;
  if (listingTargets.has(key)) return listingTargets.get(key);
  const tenantId = tenantIds[slug];
  if (!tenantId) return undefined;
  const found = await withTenant(database, tenantId, async (tx) => {
    const cat = await tx.selectFrom('categories').select('id').where('slug', '=', category).executeTakeFirst();
    const rank = await tx.selectFrom('shop_price_ranks').select('id').where('code', '=', 'silver').executeTakeFirst();
    return cat ? { tenantId, categoryId: cat.id, rankId: rank?.id ?? null } : undefined;
  });
  if (found) listingTargets.set(key, found);
  return found;
}
const NOBODY = '00000000-0000-4000-8000-000000000000';
const listingQuery = (t: ListingTarget) => ({ filter: { categoryId: t.categoryId }, sort: 'recommended' as const, limit: 24 });
const viewerOf = (t: ListingTarget) => ({ tenantId: t.tenantId, userId: NOBODY, rankId: t.rankId, verifiedProfessional: true });

app.get('/floor/listing/:slug/:category', async (request, reply) => {
  const { slug, category } = request.params as { slug: string; category: string };
  const target = await listingTarget(slug, category);
  if (!target) return reply.status(404).send('not found');
  const { cards } = await loadProductCards(unscoped, viewerOf(target), listingQuery(target));
  return reply.type('text/html; charset=utf-8').send(listingPage(category, cards));
});

app.get('/floor-rls/listing/:slug/:category', async (request, reply) => {
  const { slug, category } = request.params as { slug: string; category: string };
  const target = await listingTarget(slug, category);
  if (!target) return reply.status(404).send('not found');
  const { cards } = await withTenant(database, target.tenantId, (tx) => loadProductCards(tx, viewerOf(target), listingQuery(target)));
  return reply.type('text/html; charset=utf-8').send(listingPage(category, cards));
});

const { rows } = await sql<{ id: string; slug: string }>`SELECT id, slug FROM tenants`.execute(database.db);
tenantIds = Object.fromEntries(rows.map((r) => [r.slug, r.id]));
const address = await app.listen({ port: Number(process.env.FLOOR_PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`FLOOR_READY ${address}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  if (unscoped !== database.db) await unscoped.destroy();
  await database.close();
  process.exit(0);
});
