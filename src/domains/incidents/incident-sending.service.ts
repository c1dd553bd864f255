import type { Database } from '../../platform/db/database.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { recordMilestone } from './incident.service.ts';
import { asOperator, type IncidentActor } from './incident-actor.ts';
import { markDocumentSent } from './incident-documents.service.ts';
import type { IncidentDocumentKind, MilestoneKind } from './incidents.tables.ts';

/**
 * Sending a shop's documents of one kind at once: every current, unsent version is marked sent
 * (final from then on), letters are mailed to the member's address as well, and the timeline
 * gets its milestone (letters sent, notice published, shop notified). Public notices become
 * visible at the shop's public notice URL from this moment.
 */

const SENDABLE: Partial<Record<IncidentDocumentKind, { milestone: MilestoneKind; subject: string }>> = {
  member_letter: { milestone: 'letters_sent', subject: '【重要】個人情報漏えいに関するお知らせとお詫び' },
  public_notice: { milestone: 'notices_published', subject: '' },
  shop_notice: { milestone: 'shops_notified', subject: '' },
  card_company_csv: { milestone: 'card_company_notified', subject: '' },
  ppc_preliminary: { milestone: 'ppc_preliminary', subject: '' },
  ppc_final: { milestone: 'ppc_final', subject: '' },
};

export function isSendable(kind: string): kind is IncidentDocumentKind {
  return kind in SENDABLE;
}

export async function sendDocuments(
  database: Database,
  actor: IncidentActor,
  input: { incidentId: string; tenantId: string | null; kind: IncidentDocumentKind },
  now = new Date(),
): Promise<{ sent: number; mailed: number }> {
  const spec = SENDABLE[input.kind];
  if (!spec) throw new ValidationError({ kind: 'この文書は送付できません。' });
  const drafts = await asOperator(database, actor, (tx) => {
    let query = tx
      .selectFrom('incident_documents')
      .select(['id', 'fields'])
      .where('incident_id', '=', input.incidentId)
      .where('kind', '=', input.kind)
      .where('superseded_by', 'is', null)
      .where('sent_at', 'is', null);
    query = input.tenantId === null ? query.where('tenant_id', 'is', null) : query.where('tenant_id', '=', input.tenantId);
    return query.execute();
  });
  if (!drafts.length) throw new ValidationError({ _form: '送付できる未送付の文書がありません。先に文書を作成してください。' });
  let mailed = 0;
  for (const doc of drafts) {
    const email = (doc.fields as { email?: string }).email;
    const mailTo = input.kind === 'member_letter' && email ? { to: email, subject: spec.subject } : null;
    await markDocumentSent(database, actor, doc.id, mailTo);
    if (mailTo) mailed++;
  }
  await recordMilestone(database, actor, { incidentId: input.incidentId, kind: spec.milestone, at: now, tenantId: input.tenantId, note: `${drafts.length}件を送付` }, now);
  return { sent: drafts.length, mailed };
}
