import fs from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { documentPath } from '../../../domains/incidents/incident-documents.service.ts';
import { NotFoundError } from '../../../domains/shared/domain-error.ts';
import type { Tenant } from '../../../platform/db/schema.ts';
import { type Tx, withRequestScope } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { tenantKeyOf } from '../../../platform/http/request-scope.ts';
import { NoticeListPage, NoticePage, type PublishedNotice } from './public-notices.view.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * A shop's public incident notices (公表): readable by anyone, without signing in, and still
 * there after the shop has closed — the one shop page that does not disappear with the shop.
 * Only notices the operator has published; anything else is the plain 404 of an unknown page.
 * Read in the shop's scope with no session (RLS: this shop's documents only).
 */
function inPublicShop<T>(platform: Platform, request: FastifyRequest, fn: (tx: Tx, tenant: Tenant) => Promise<T>): Promise<T> {
  const key = tenantKeyOf(request);
  if (!key || ('slug' in key ? !SLUG.test(key.slug) : !/^[a-z0-9.-]{1,253}$/.test(key.host))) throw new NotFoundError();
  return withRequestScope(platform.database, key, null, async ({ tx, tenant }) => {
    if (!tenant) throw new NotFoundError('このショップは見つかりませんでした。');
    request.tenantId = tenant.id;
    return fn(tx, tenant);
  });
}

const published = (tx: Tx) =>
  tx
    .selectFrom('incident_documents')
    .select(['id', 'incident_id', 'title', 'body_text', 'sent_at', 'version', 'superseded_by', 'storage_key', 'file_name'])
    .where('kind', '=', 'public_notice')
    .where('sent_at', 'is not', null);

async function correctionOf(tx: Tx, supersededBy: string | null): Promise<string | null> {
  // The newest published version down the correction chain (a draft correction is not shown).
  let next = supersededBy;
  let found: string | null = null;
  for (let hops = 0; next && hops < 20; hops++) {
    const row = await published(tx).where('id', '=', next).executeTakeFirst();
    const draft = row ? null : await tx.selectFrom('incident_documents').select(['superseded_by']).where('id', '=', next).executeTakeFirst();
    if (row) found = row.id;
    next = row ? row.superseded_by : (draft?.superseded_by ?? null);
  }
  return found;
}

function toNotice(row: { id: string; title: string; body_text: string; sent_at: Date | null; version: number }, correctedBy: string | null): PublishedNotice {
  return { id: row.id, title: row.title, bodyText: row.body_text, publishedAt: row.sent_at!, version: row.version, correctedBy };
}

export function publicNoticeRoutes(app: FastifyInstance, platform: Platform) {
  const stylesheetUrl = () => platform.assets.url('css/app.css');

  app.get('/notices', async (request, reply) => {
    const { tenant, notices } = await inPublicShop(platform, request, async (tx, tenant) => ({
      tenant,
      // Current published versions only; a corrected notice is reached through its correction.
      notices: (await published(tx).where('superseded_by', 'is', null).orderBy('sent_at', 'desc').execute()).map((r) => toNotice(r, null)),
    }));
    return reply.page(<NoticeListPage tenant={tenant} base={request.shopBase} stylesheetUrl={stylesheetUrl()} notices={notices} />, { page: 'shop-notices' });
  });

  app.get('/notices/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    if (!UUID.test(id)) throw new NotFoundError();
    const { tenant, notice } = await inPublicShop(platform, request, async (tx, tenant) => {
      const row = await published(tx).where('id', '=', id).executeTakeFirst();
      return { tenant, notice: row ? toNotice(row, await correctionOf(tx, row.superseded_by)) : null };
    });
    if (!notice) throw new NotFoundError();
    return reply.page(<NoticePage tenant={tenant} base={request.shopBase} stylesheetUrl={stylesheetUrl()} notice={notice} />, { page: 'shop-notice' });
  });

  app.get('/notices/:id/pdf', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    if (!UUID.test(id)) throw new NotFoundError();
    const row = await inPublicShop(platform, request, (tx) => published(tx).where('id', '=', id).executeTakeFirst());
    if (!row) throw new NotFoundError();
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${row.file_name}"`)
      .header('cache-control', 'public, max-age=300')
      .send(fs.readFileSync(documentPath(platform.config.dataDir, { incident_id: row.incident_id, storage_key: row.storage_key })));
  });
}
