import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import type { SecurityLayer, SecuritySeverity } from './security.tables.ts';
import { queueSecurityAlerts } from './security-alerts.service.ts';
import { sha256OfJson } from './security-evidence.ts';

/**
 * Every protection layer reports here. An event is one problem: the same fingerprint while the
 * event is open only counts another occurrence. Evidence is appended, never changed. A critical
 * event is contained before this function returns — the card kill switch of the shop (or of every
 * shop when the build itself or a platform-wide layer is affected) is engaged in its own committed
 * transaction, then people are alerted by mail and webhook until someone acknowledges.
 *
 * Containment is synchronous on purpose: the caller (a report intake, a render refusal, the
 * verifier, a monitor walk) is already off the buyer's critical path, and "within 10 seconds"
 * must not depend on a job queue's polling interval.
 */

export interface SecurityEvidenceInput {
  kind: string;
  data: Record<string, unknown>;
}

export interface SecurityEventInput {
  /** null: platform-wide (the build, the verifier, egress of the shared process). */
  tenantId: string | null;
  layer: SecurityLayer;
  severity: SecuritySeverity;
  /** Short machine name: `csp.script-src`, `file.modified`, `walk.card-input`… */
  kind: string;
  page?: string;
  /** One line for people (Japanese). */
  summary: string;
  /** Same fingerprint = same problem; keep it free of timestamps and per-request noise. */
  fingerprint: string;
  sessionId?: string | null;
  principalId?: string | null;
  evidence?: readonly SecurityEvidenceInput[];
}

/** The stop the security layer needs from payments (domains/payments/card-kill-switch.service.ts). */
export type EngageCardKillSwitch = (
  database: Database,
  input: { tenantId: string | 'all'; reason: string; automatic: true; evidence?: Record<string, unknown>; actorLabel?: string },
) => Promise<{ changed: boolean }>;

/** The incident the security layer opens or joins for a critical event (domains/incidents/incident-auto-open.service.ts). */
export type OpenIncidentForEvent = (
  database: Database,
  event: { id: string; tenantId: string | null; layer: SecurityLayer; summary: string },
) => Promise<{ incidentId: string; opened: boolean }>;

export interface SecurityEventSettings {
  engageCardKillSwitch: EngageCardKillSwitch;
  /** Omitted: the incidents domain's automatic opening; tests may pass their own. */
  openIncident?: OpenIncidentForEvent;
  /** SECURITY_WEBHOOK_URL: also alert there (outbox-delivered). */
  webhookUrl: string | null;
}

let settings: SecurityEventSettings | null = null;

/** Boot wiring (src/background/jobs.ts): the kill switch and the webhook every raise uses. */
export function configureSecurityEvents(next: SecurityEventSettings): void {
  settings = next;
}

async function defaultSettings(): Promise<SecurityEventSettings> {
  // Imported lazily so the security domain loads even while payments is being built.
  const { engageCardKillSwitch } = await import('../payments/card-kill-switch.service.ts');
  settings = { engageCardKillSwitch, webhookUrl: null };
  return settings;
}

export interface RaisedSecurityEvent {
  id: string;
  tenantId: string | null;
  /** false: an open event with this fingerprint existed; only its occurrences went up. */
  created: boolean;
  occurrences: number;
  severity: SecuritySeverity;
  /** Set for critical events: which switch was engaged, and when (after commit). */
  containment: { scope: 'shop' | 'all'; at: Date } | null;
  alertsQueued: number;
  /** Critical events: the incident opened for it or joined (null when opening failed; see its evidence). */
  incident: { id: string; opened: boolean } | null;
}

async function defaultOpenIncident(): Promise<OpenIncidentForEvent> {
  // Lazily, like the kill switch: the incidents domain reads security tables, not the other way round.
  const { openIncidentForSecurityEvent } = await import('../incidents/incident-auto-open.service.ts');
  return (database, event) => openIncidentForSecurityEvent(database, event);
}

const SEVERITY_RANK: Record<SecuritySeverity, number> = { info: 0, warning: 1, critical: 2 };

/** Layers whose critical events mean the shared code itself is in doubt: every shop stops. */
const PLATFORM_WIDE_LAYERS: ReadonlySet<SecurityLayer> = new Set(['build_verifier']);

export function containmentScopeOf(input: Pick<SecurityEventInput, 'tenantId' | 'layer'>): 'shop' | 'all' {
  return input.tenantId === null || PLATFORM_WIDE_LAYERS.has(input.layer) ? 'all' : 'shop';
}

function eventScope<T>(database: Database, tenantId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return tenantId === null ? withPlatform(database, fn) : withTenant(database, tenantId, fn);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export async function raiseSecurityEvent(
  database: Database,
  input: SecurityEventInput,
  overrides: Partial<SecurityEventSettings> = {},
): Promise<RaisedSecurityEvent> {
  const effective = { ...(settings ?? (await defaultSettings())), ...overrides };
  const summary = clip(input.summary.trim() || input.kind, 1000);
  const fingerprint = clip(input.fingerprint, 200);

  const recorded = await eventScope(database, input.tenantId, async (tx) => {
    const row = await upsertOpenEvent(tx, { ...input, summary, fingerprint });
    for (const evidence of input.evidence ?? []) await appendEvidence(tx, input.tenantId, row.id, evidence);
    return row;
  });

  const result: RaisedSecurityEvent = {
    id: recorded.id,
    tenantId: input.tenantId,
    created: recorded.created,
    occurrences: recorded.occurrences,
    severity: recorded.severity,
    containment: null,
    alertsQueued: 0,
    incident: null,
  };
  if (recorded.severity !== 'critical') return result;

  const scope = containmentScopeOf(input);
  try {
    await effective.engageCardKillSwitch(database, {
      tenantId: scope === 'all' ? 'all' : (input.tenantId as string),
      reason: clip(`セキュリティイベント（${input.layer}）: ${summary}`, 1000),
      automatic: true,
      evidence: { securityEventId: recorded.id, layer: input.layer, kind: input.kind, page: input.page ?? '', fingerprint },
      actorLabel: `security:${input.layer}`,
    });
  } catch (err) {
    await eventScope(database, input.tenantId, (tx) =>
      appendEvidence(tx, input.tenantId, recorded.id, { kind: 'containment-failed', data: { error: clip(String((err as Error)?.message ?? err), 500) } }),
    ).catch(() => undefined);
    throw err;
  }
  const containedAt = await eventScope(database, input.tenantId, async (tx) => {
    const updated = await tx
      .updateTable('security_events')
      .set({ contained_at: sql`coalesce(contained_at, now())`, containment_scope: scope })
      .where('id', '=', recorded.id)
      .returning('contained_at')
      .executeTakeFirstOrThrow();
    return new Date(updated.contained_at as Date);
  });
  result.containment = { scope, at: containedAt };

  // Alerts go out once per event (the escalation job repeats them); a repeat occurrence does not spam.
  if (!recorded.alerted) {
    result.alertsQueued = await withIdentity(database, { audience: 'operator' }, (tx) =>
      queueSecurityAlerts(tx, { eventId: recorded.id, tenantId: input.tenantId, webhookUrl: effective.webhookUrl }),
    );
  }

  // After containment and alerts: the incident with the evidence attached. A failure here must
  // not undo either; it is kept as evidence on the event so the officer opens it by hand.
  try {
    const open = effective.openIncident ?? (await defaultOpenIncident());
    const incident = await open(database, { id: recorded.id, tenantId: input.tenantId, layer: input.layer, summary });
    result.incident = { id: incident.incidentId, opened: incident.opened };
  } catch (err) {
    await eventScope(database, input.tenantId, (tx) =>
      appendEvidence(tx, input.tenantId, recorded.id, { kind: 'incident-open-failed', data: { error: clip(String((err as Error)?.message ?? err), 500) } }),
    ).catch(() => undefined);
  }
  return result;
}

interface UpsertedEvent {
  id: string;
  created: boolean;
  occurrences: number;
  severity: SecuritySeverity;
  alerted: boolean;
}

async function upsertOpenEvent(tx: Tx, input: SecurityEventInput & { summary: string; fingerprint: string }): Promise<UpsertedEvent> {
  const { rows } = await sql<{ id: string; created: boolean; occurrences: number; severity: SecuritySeverity }>`
    INSERT INTO security_events (tenant_id, layer, severity, kind, page, summary, fingerprint, session_id, principal_id)
    VALUES (${input.tenantId}::uuid, ${input.layer}, ${input.severity}, ${input.kind}, ${clip(input.page ?? '', 100)}, ${input.summary},
            ${input.fingerprint}, ${input.sessionId ?? null}::uuid, ${input.principalId ?? null}::uuid)
    ON CONFLICT (tenant_id, fingerprint) WHERE acknowledged_at IS NULL DO UPDATE SET
      occurrences = security_events.occurrences + 1,
      last_seen_at = now(),
      -- A repeat never lowers the severity; a worse repeat raises it.
      severity = CASE WHEN ${SEVERITY_RANK[input.severity]} > (CASE security_events.severity WHEN 'critical' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END)
                      THEN EXCLUDED.severity ELSE security_events.severity END,
      session_id = coalesce(security_events.session_id, EXCLUDED.session_id),
      principal_id = coalesce(security_events.principal_id, EXCLUDED.principal_id)
    RETURNING id, (xmax = 0) AS created, occurrences, severity`.execute(tx);
  const row = rows[0]!;
  const alerted = row.created
    ? false
    : Boolean(await tx.selectFrom('security_alerts').select('id').where('event_id', '=', row.id).limit(1).executeTakeFirst());
  return { id: row.id, created: row.created, occurrences: Number(row.occurrences), severity: row.severity, alerted };
}

/** Appends one piece of evidence to an event, in the event's scope. */
export async function appendEvidence(tx: Tx, tenantId: string | null, eventId: string, evidence: SecurityEvidenceInput): Promise<string> {
  const row = await tx
    .insertInto('security_evidence')
    .values({ tenant_id: tenantId, event_id: eventId, kind: evidence.kind, data: JSON.stringify(evidence.data), sha256: sha256OfJson(evidence.data) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
