import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { ConflictError, NotFoundError } from '../shared/domain-error.ts';
import { asOperator, auditIncident, type IncidentActor } from './incident-actor.ts';
import type { IncidentDocumentKind } from './incidents.tables.ts';

/**
 * Issued incident documents: the file under DATA_DIR/incidents/<incident>/, its hash and the
 * merged fields in incident_documents. Issuing again while the current version is a draft
 * replaces nothing: it adds a version. A sent (or published) document is final — the database
 * refuses any change but the link to its correction — so a correction is always a new version.
 */

export interface NewDocument {
  incidentId: string;
  tenantId: string | null;
  kind: IncidentDocumentKind;
  recipientKey?: string;
  title: string;
  bodyText?: string;
  fields: Record<string, unknown>;
  fileName: string;
  contentType: string;
  content: Buffer | string;
}

export function incidentFilesDir(dataDir: string, incidentId: string): string {
  return path.join(dataDir, 'incidents', incidentId);
}

export function documentPath(dataDir: string, doc: { incident_id: string; storage_key: string }): string {
  return path.join(incidentFilesDir(dataDir, doc.incident_id), doc.storage_key);
}

/** Writes the file and records the document as the next version (in the caller's operator transaction). */
export async function issueDocument(tx: Tx, dataDir: string, actor: IncidentActor, doc: NewDocument): Promise<{ id: string; version: number; path: string }> {
  const content = typeof doc.content === 'string' ? Buffer.from(doc.content, 'utf8') : doc.content;
  const current = await tx
    .selectFrom('incident_documents')
    .select(['id', 'version', 'sent_at'])
    .where('incident_id', '=', doc.incidentId)
    .where((eb) => (doc.tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', doc.tenantId)))
    .where('kind', '=', doc.kind)
    .where('recipient_key', '=', doc.recipientKey ?? '')
    .where('superseded_by', 'is', null)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  const version = (current?.version ?? 0) + 1;
  const ext = path.extname(doc.fileName);
  const storageKey = `${randomUUID()}${ext}`;
  const dir = incidentFilesDir(dataDir, doc.incidentId);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, storageKey);
  fs.writeFileSync(file, content, { mode: 0o640, flag: 'wx' });
  const row = await tx
    .insertInto('incident_documents')
    .values({
      incident_id: doc.incidentId,
      tenant_id: doc.tenantId,
      kind: doc.kind,
      recipient_key: doc.recipientKey ?? '',
      version,
      supersedes: current?.id ?? null,
      title: doc.title,
      body_text: doc.bodyText ?? '',
      fields: JSON.stringify(doc.fields),
      file_name: doc.fileName,
      content_type: doc.contentType,
      storage_key: storageKey,
      sha256: createHash('sha256').update(content).digest('hex'),
      size_bytes: content.length,
      created_by: actor.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (current) await tx.updateTable('incident_documents').set({ superseded_by: row.id }).where('id', '=', current.id).execute();
  await auditIncident(tx, actor, {
    action: current ? 'incident.document_corrected' : 'incident.document_issued',
    resourceType: 'incident_document',
    resourceId: row.id,
    result: 'success',
    detail: { incidentId: doc.incidentId, kind: doc.kind, tenantId: doc.tenantId, version, supersedes: current?.id ?? null },
  });
  return { id: row.id, version, path: file };
}

/** Marks a document sent (letters, notices: published); mails its text when it has a recipient address. */
export async function markDocumentSent(database: Database, actor: IncidentActor, documentId: string, mailTo?: { to: string; subject: string } | null): Promise<void> {
  await asOperator(database, actor, async (tx) => {
    const doc = await tx.selectFrom('incident_documents').select(['id', 'sent_at', 'superseded_by', 'body_text', 'tenant_id']).where('id', '=', documentId).executeTakeFirst();
    if (!doc) throw new NotFoundError('文書が見つかりません。');
    if (doc.sent_at) throw new ConflictError('この文書は送付済みです。');
    if (doc.superseded_by) throw new ConflictError('この文書には新しい版があります。');
    await tx.updateTable('incident_documents').set({ sent_at: new Date(), sent_by: actor.id }).where('id', '=', documentId).execute();
    if (mailTo && doc.body_text) await queueMail(tx, { tenantId: null, to: mailTo.to, subject: mailTo.subject, text: doc.body_text });
    await auditIncident(tx, actor, { action: 'incident.document_sent', resourceType: 'incident_document', resourceId: documentId, result: 'success', detail: { mailed: Boolean(mailTo) } });
  });
}

/** Editing a sent document in place is refused by the database; this is what callers hit. */
export async function editDocumentText(database: Database, actor: IncidentActor, documentId: string, bodyText: string): Promise<void> {
  await asOperator(database, actor, async (tx) => {
    const doc = await tx.selectFrom('incident_documents').select(['sent_at']).where('id', '=', documentId).executeTakeFirst();
    if (!doc) throw new NotFoundError('文書が見つかりません。');
    if (doc.sent_at) throw new ConflictError('送付済みの文書は編集できません。訂正版を発行してください。');
    await tx.updateTable('incident_documents').set({ body_text: bodyText }).where('id', '=', documentId).execute();
  });
}
