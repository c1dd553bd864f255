import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { addShop, openIncidentIn } from './incident.service.ts';
import { asOperator, auditIncident, SYSTEM_ACTOR } from './incident-actor.ts';

/**
 * BRIEF promise 3: a critical security event opens an incident with its evidence attached, or
 * joins the open incident its shop is already on. Idempotent: an event already on an incident is
 * left alone, and the decision is serialised by a transaction-level advisory lock, so two layers
 * reporting the same tamper at the same moment (a CSP report and a monitor walk) end on one
 * incident. A platform-wide event (the build itself) puts every shop on the incident.
 */

export interface CriticalEvent {
  id: string;
  tenantId: string | null;
  layer: string;
  summary: string;
}

export interface AutoOpenResult {
  incidentId: string;
  opened: boolean;
}

const AUTO_OPEN_LOCK = 'incident-auto-open';

export async function openIncidentForSecurityEvent(database: Database, event: CriticalEvent, now = new Date()): Promise<AutoOpenResult> {
  return asOperator(database, SYSTEM_ACTOR, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${AUTO_OPEN_LOCK}))`.execute(tx);
    const row = await tx.selectFrom('security_events').select(['incident_id', 'first_seen_at', 'severity']).where('id', '=', event.id).executeTakeFirstOrThrow();
    if (row.incident_id) return { incidentId: row.incident_id, opened: false };
    const tenantIds =
      event.tenantId === null
        ? (await tx.selectFrom('tenants').select('id').where('status', '<>', 'closed').orderBy('sort_order').execute()).map((t) => t.id)
        : [event.tenantId];

    // An open incident this shop (or, for a platform-wide event, any shop) is already on.
    let open = tx
      .selectFrom('incidents as i')
      .select('i.id')
      .where('i.status', '<>', 'closed')
      .orderBy('i.opened_at', 'desc')
      .limit(1);
    if (event.tenantId !== null) {
      const tenantId = event.tenantId;
      open = open.where((eb) => eb.exists(eb.selectFrom('incident_shops as s').select('s.tenant_id').whereRef('s.incident_id', '=', 'i.id').where('s.tenant_id', '=', tenantId)));
    }
    const existing = await open.executeTakeFirst();
    if (existing) {
      await tx.updateTable('security_events').set({ incident_id: existing.id }).where('id', '=', event.id).execute();
      const onIt = new Set((await tx.selectFrom('incident_shops').select('tenant_id').where('incident_id', '=', existing.id).execute()).map((s) => s.tenant_id));
      for (const tenantId of tenantIds) if (!onIt.has(tenantId)) await addShop(tx, SYSTEM_ACTOR, existing.id, tenantId, now);
      await tx
        .insertInto('incident_milestones')
        .values({ incident_id: existing.id, tenant_id: event.tenantId, kind: 'note', at: now, note: `重大イベントを追加: ${event.layer} ${event.summary}`.slice(0, 2000), recorded_by: null })
        .execute();
      await auditIncident(tx, SYSTEM_ACTOR, {
        action: 'incident.event_attached',
        resourceType: 'incident',
        resourceId: existing.id,
        result: 'success',
        detail: { incidentId: existing.id, securityEventId: event.id, layer: event.layer, tenantId: event.tenantId },
      });
      return { incidentId: existing.id, opened: false };
    }

    const incidentId = await openIncidentIn(
      tx,
      SYSTEM_ACTOR,
      {
        // The layer's own severity tag ('[重大] …') is noise in a title.
        title: `重大なセキュリティイベント: ${event.summary.replace(/^\[[^\]]*\]\s*/, '')}`.slice(0, 200),
        source: 'security_event',
        // Awareness is the moment the layer first reported it: the PPC deadlines run from here.
        awareAt: row.first_seen_at,
        summary: `自動検知(${event.layer}): ${event.summary}`.slice(0, 4000),
        tenantIds,
        securityEventId: event.id,
      },
      now,
    );
    return { incidentId, opened: true };
  });
}
