import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type Deadline, incidentDeadlines } from './incident-deadlines.ts';
import type { IncidentDocumentKind, IncidentSource, IncidentStatus } from './incidents.tables.ts';

/**
 * Reads for the workbench screens, in the caller's scope: the operator audience sees every
 * incident; a shop's scope (RLS) sees only the incidents its shop is on, and only its own shop's
 * row of each.
 */

export interface IncidentOverview {
  id: string;
  number: string;
  title: string;
  status: IncidentStatus;
  source: IncidentSource;
  awareAt: Date;
  openedAt: Date;
  shops: string[];
  deadlines: Deadline[];
}

export async function listIncidentOverviews(tx: Tx, now = new Date()): Promise<IncidentOverview[]> {
  const incidents = await tx
    .selectFrom('incidents')
    .select(['id', 'number', 'title', 'status', 'source', 'aware_at', 'opened_at', 'preliminary_days', 'unauthorised_access'])
    .orderBy('opened_at', 'desc')
    .limit(200)
    .execute();
  if (!incidents.length) return [];
  const ids = incidents.map((i) => i.id);
  const shops = await tx
    .selectFrom('incident_shops as s')
    .innerJoin('tenants as t', 't.id', 's.tenant_id')
    .select(['s.incident_id', 't.display_name'])
    .where('s.incident_id', 'in', ids)
    .orderBy('t.sort_order')
    .execute();
  const reports = await tx
    .selectFrom('incident_milestones')
    .select(['incident_id', 'kind', 'at'])
    .where('incident_id', 'in', ids)
    .where('tenant_id', 'is', null)
    .where('kind', 'in', ['ppc_preliminary', 'ppc_final'])
    .orderBy('at')
    .execute();
  const first = (id: string, kind: string) => reports.find((r) => r.incident_id === id && r.kind === kind)?.at ?? null;
  return incidents.map((i) => ({
    id: i.id,
    number: i.number,
    title: i.title,
    status: i.status,
    source: i.source,
    awareAt: i.aware_at,
    openedAt: i.opened_at,
    shops: shops.filter((s) => s.incident_id === i.id).map((s) => s.display_name),
    deadlines: incidentDeadlines(
      {
        awareAt: i.aware_at,
        preliminaryDays: i.preliminary_days,
        unauthorisedAccess: i.unauthorised_access,
        preliminaryDoneAt: first(i.id, 'ppc_preliminary'),
        finalDoneAt: first(i.id, 'ppc_final'),
      },
      now,
    ),
  }));
}

export interface IncidentDocumentRow {
  id: string;
  tenantId: string | null;
  kind: IncidentDocumentKind;
  recipientKey: string;
  version: number;
  title: string;
  fileName: string;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  createdAt: Date;
  sentAt: Date | null;
  postalMissing: boolean;
  email: string;
}

/** The current version of every document (superseded ones stay stored, not listed); `tenantId` narrows to one shop's. */
export async function listCurrentDocuments(tx: Tx, incidentId: string, tenantId?: string): Promise<IncidentDocumentRow[]> {
  let query = tx
    .selectFrom('incident_documents')
    .select(['id', 'tenant_id', 'kind', 'recipient_key', 'version', 'title', 'file_name', 'content_type', 'sha256', 'size_bytes', 'created_at', 'sent_at', 'fields'])
    .where('incident_id', '=', incidentId)
    .where('superseded_by', 'is', null)
    .orderBy('kind')
    .orderBy('tenant_id')
    .orderBy('title');
  if (tenantId) query = query.where('tenant_id', '=', tenantId);
  const rows = await query.execute();
  return rows.map((r) => {
    const fields = (r.fields ?? {}) as { postalMissing?: boolean; email?: string };
    return {
      id: r.id,
      tenantId: r.tenant_id,
      kind: r.kind,
      recipientKey: r.recipient_key,
      version: r.version,
      title: r.title,
      fileName: r.file_name,
      contentType: r.content_type,
      sha256: r.sha256,
      sizeBytes: r.size_bytes,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      postalMissing: fields.postalMissing === true,
      email: typeof fields.email === 'string' ? fields.email : '',
    };
  });
}

/** One document with where its file is (download), in the caller's scope. */
export function findDocument(tx: Tx, incidentId: string, documentId: string) {
  return tx
    .selectFrom('incident_documents')
    .select(['id', 'incident_id', 'tenant_id', 'kind', 'title', 'file_name', 'content_type', 'storage_key', 'sha256', 'sent_at', 'superseded_by', 'body_text', 'fields'])
    .where('incident_id', '=', incidentId)
    .where('id', '=', documentId)
    .executeTakeFirst();
}
