import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../staff/staff-actor.ts';
import type { SecurityLayer, SecuritySeverity } from './security.tables.ts';

/**
 * What the operator's security console reads and does. Runs in the operator scope (audience
 * 'operator', no shop), where RLS shows every shop's security rows; in a shop's scope the same
 * queries return only that shop's.
 */

export interface SecurityEventSummary {
  id: string;
  tenantId: string | null;
  shopName: string | null;
  layer: SecurityLayer;
  severity: SecuritySeverity;
  kind: string;
  page: string;
  summary: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  occurrences: number;
  acknowledgedAt: Date | null;
  containedAt: Date | null;
  containmentScope: 'shop' | 'all' | null;
}

export interface SecurityEventDetail extends SecurityEventSummary {
  fingerprint: string;
  sessionId: string | null;
  principalId: string | null;
  acknowledgedBy: string | null;
  acknowledgement: string;
  evidence: { id: string; kind: string; data: Record<string, unknown>; sha256: string; recordedAt: Date }[];
  alerts: { channel: string; recipient: string; level: number; sendCount: number; firstSentAt: Date; lastSentAt: Date; acknowledgedAt: Date | null }[];
}

function baseQuery(tx: Tx) {
  return tx
    .selectFrom('security_events as e')
    .leftJoin('tenants as t', 't.id', 'e.tenant_id')
    .select([
      'e.id',
      'e.tenant_id',
      't.display_name as shop_name',
      'e.layer',
      'e.severity',
      'e.kind',
      'e.page',
      'e.summary',
      'e.first_seen_at',
      'e.last_seen_at',
      'e.occurrences',
      'e.acknowledged_at',
      'e.contained_at',
      'e.containment_scope',
      'e.fingerprint',
      'e.session_id',
      'e.principal_id',
      'e.acknowledged_by',
      'e.acknowledgement',
    ]);
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

const d = (v: Date | string | null) => (v === null ? null : new Date(v));

function summaryOf(r: BaseRow): SecurityEventSummary {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    shopName: r.shop_name,
    layer: r.layer,
    severity: r.severity,
    kind: r.kind,
    page: r.page,
    summary: r.summary,
    firstSeenAt: new Date(r.first_seen_at),
    lastSeenAt: new Date(r.last_seen_at),
    occurrences: Number(r.occurrences),
    acknowledgedAt: d(r.acknowledged_at),
    containedAt: d(r.contained_at),
    containmentScope: r.containment_scope,
  };
}

export async function listSecurityEvents(
  tx: Tx,
  options: { status?: 'open' | 'all'; tenantId?: string | null; limit?: number } = {},
): Promise<SecurityEventSummary[]> {
  let query = baseQuery(tx);
  if (options.status === 'open') query = query.where('e.acknowledged_at', 'is', null);
  if (options.tenantId !== undefined) query = query.where('e.tenant_id', options.tenantId === null ? 'is' : '=', options.tenantId);
  const rows = await query
    .orderBy(sql`e.acknowledged_at IS NULL`, 'desc')
    .orderBy(sql`CASE e.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END`)
    .orderBy('e.last_seen_at', 'desc')
    .limit(Math.min(options.limit ?? 100, 500))
    .execute();
  return rows.map(summaryOf);
}

export async function getSecurityEvent(tx: Tx, id: string): Promise<SecurityEventDetail | null> {
  const row = await baseQuery(tx).where('e.id', '=', id).executeTakeFirst();
  if (!row) return null;
  const evidence = await tx.selectFrom('security_evidence').selectAll().where('event_id', '=', id).orderBy('recorded_at').orderBy('id').execute();
  const alerts = await tx.selectFrom('security_alerts').selectAll().where('event_id', '=', id).orderBy('level').orderBy('channel').orderBy('recipient').execute();
  return {
    ...summaryOf(row),
    fingerprint: row.fingerprint,
    sessionId: row.session_id,
    principalId: row.principal_id,
    acknowledgedBy: row.acknowledged_by,
    acknowledgement: row.acknowledgement,
    evidence: evidence.map((e) => ({ id: e.id, kind: e.kind, data: e.data, sha256: e.sha256, recordedAt: new Date(e.recorded_at) })),
    alerts: alerts.map((a) => ({
      channel: a.channel,
      recipient: a.recipient,
      level: a.level,
      sendCount: a.send_count,
      firstSentAt: new Date(a.first_sent_at),
      lastSentAt: new Date(a.last_sent_at),
      acknowledgedAt: d(a.acknowledged_at),
    })),
  };
}

/**
 * Acknowledging stops the alerts (and the escalation) — it does not release the card stop, which
 * is a separate, step-up operator decision on the payments side. Audited in the platform chain.
 */
export async function acknowledgeSecurityEvent(tx: Tx, actor: StaffActor, id: string, note: string): Promise<void> {
  const text = note.trim();
  if (text.length < 1 || text.length > 1000) throw new ValidationError({ note: '確認内容を入力してください（1000文字以内）。' });
  const updated = await tx
    .updateTable('security_events')
    .set({ acknowledged_at: sql`now()`, acknowledged_by: actor.id, acknowledgement: text })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .returning(['id', 'tenant_id', 'layer', 'kind'])
    .executeTakeFirst();
  if (!updated) {
    const exists = await tx.selectFrom('security_events').select('id').where('id', '=', id).executeTakeFirst();
    if (!exists) throw new NotFoundError('セキュリティイベントが見つかりません。');
    return;
  }
  await tx.updateTable('security_alerts').set({ acknowledged_at: sql`now()` }).where('event_id', '=', id).where('acknowledged_at', 'is', null).execute();
  await auditByStaff(tx, actor, {
    action: 'security.event_acknowledged',
    resourceType: 'security_event',
    resourceId: id,
    result: 'success',
    reason: text,
    detail: { tenantId: updated.tenant_id, layer: updated.layer, kind: updated.kind },
  });
}
