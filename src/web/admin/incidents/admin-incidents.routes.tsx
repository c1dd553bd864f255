import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../../../domains/audit/audit.service.ts';
import { loadIncident } from '../../../domains/incidents/incident.service.ts';
import { documentPath } from '../../../domains/incidents/incident-documents.service.ts';
import { findDocument, listCurrentDocuments, listIncidentOverviews } from '../../../domains/incidents/incident-overview.query.ts';
import { computeOwnShopScope } from '../../../domains/incidents/incident-scope.query.ts';
import { NotFoundError } from '../../../domains/shared/domain-error.ts';
import { requireStepUp } from '../../../platform/http/auth-guard.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { frameOf, inAdmin } from '../admin-guard.ts';
import { navRoles } from '../admin-nav.ts';
import { ShopIncidentListPage, ShopIncidentPage } from './admin-incidents.view.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * インシデント in the shop console (shop admins). Everything is read in the shop's own scope:
 * row-level security shows only the incidents this shop is on and only this shop's row of each
 * (window, milestones); documents are narrowed to this shop's own (the incident-wide PPC report
 * names the other shops, so it stays with the operator). Letters and the card list carry
 * members' personal data: downloading them needs a recent re-authentication and is audited.
 */
export function adminIncidentRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('incidents');
  const config = { staffRoles: roles };

  app.get('/incidents', { config }, async (request, reply) => {
    const data = await inAdmin(platform, request, roles, async (scope) => ({ scope, incidents: await listIncidentOverviews(scope.tx) }));
    return reply.page(<ShopIncidentListPage {...frameOf(platform, request, data.scope)} incidents={data.incidents} />, { page: 'admin-incidents' });
  });

  app.get('/incidents/:id', { config }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    if (!UUID.test(id)) throw new NotFoundError('インシデントが見つかりません。');
    const data = await inAdmin(platform, request, roles, async (scope) => {
      // Not on this shop's incident list: the same "not found" as an id that does not exist.
      const view = await loadIncident(scope.tx, id);
      const own = view.shops.find((s) => s.tenantId === scope.tenant.id);
      if (!own) throw new NotFoundError('インシデントが見つかりません。');
      return { scope, view, own, documents: await listCurrentDocuments(scope.tx, id, scope.tenant.id) };
    });
    const shopScope = await computeOwnShopScope(platform.database, data.own).catch(() => null);
    return reply.page(
      <ShopIncidentPage {...frameOf(platform, request, data.scope)} view={data.view} incidentShop={data.own} scope={shopScope} documents={data.documents} />,
      { page: 'admin-incident' },
    );
  });

  app.get('/incidents/:id/documents/:documentId', { config }, async (request, reply) => {
    const { id, documentId } = request.params as { id: string; documentId: string };
    if (!UUID.test(id) || !UUID.test(documentId)) throw new NotFoundError('文書が見つかりません。');
    const doc = await inAdmin(platform, request, roles, async ({ tx, tenant, principal, actor }) => {
      const found = await findDocument(tx, id, documentId);
      if (!found || found.tenant_id !== tenant.id) return null;
      if (found.kind === 'member_letter' || found.kind === 'card_company_csv') requireStepUp(principal, request.url);
      await appendAudit(tx, {
        actorType: 'staff',
        actorId: actor.id,
        actorLabel: actor.label,
        action: 'incident.document_downloaded',
        resourceType: 'incident_document',
        resourceId: found.id,
        result: 'success',
        sourceIp: actor.sourceIp,
        requestId: actor.requestId,
        detail: { incidentId: id, kind: found.kind },
      });
      return found;
    });
    if (!doc) throw new NotFoundError('文書が見つかりません。');
    return reply
      .header('content-type', doc.content_type)
      .header('content-disposition', `${doc.content_type === 'application/pdf' ? 'inline' : 'attachment'}; filename="${doc.file_name}"`)
      .header('cache-control', 'no-store')
      .send(fs.readFileSync(documentPath(platform.config.dataDir, doc)));
  });
}
