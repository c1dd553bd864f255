import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabaseFromConfig } from '../src/platform/db/open-database.ts';
import { withTenant } from '../src/platform/db/tenant-scope.ts';

/**
 * The floors every figure is compared with, measured in the same run on the same database:
 * (a) a bare Fastify route running the same query and rendering a comparable page with a template
 *     string — no session, no tenancy, no security layer;
 * (b) the same inside one RLS-scoped transaction.
 * Later issues add the catalog listing query here next to the page that uses it.
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

const { rows } = await sql<{ id: string; slug: string }>`SELECT id, slug FROM tenants`.execute(database.db);
tenantIds = Object.fromEntries(rows.map((r) => [r.slug, r.id]));
const address = await app.listen({ port: Number(process.env.FLOOR_PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`FLOOR_READY ${address}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await database.close();
  process.exit(0);
});
