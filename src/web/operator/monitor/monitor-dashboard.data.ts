import { sql } from 'kysely';
import type { MonitorProfile, WalkOutcome } from '../../../domains/monitor/monitor.tables.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';

/** What /operator/monitor shows, read in one operator transaction (RLS admits the operator audience). */

export interface ShopMonitorRow {
  id: string;
  name: string;
  slug: string;
  lastWalk: { at: Date; profile: MonitorProfile; outcome: WalkOutcome | null; durationMs: number | null; error: string } | null;
  lastGoodAt: Date | null;
  openDeviations: number;
  openCritical: number;
  killSwitch: { engaged: boolean; automatic: boolean; reason: string } | null;
  approvedProfiles: MonitorProfile[];
  pendingBaselines: number;
}

export interface BaselineHistoryRow {
  id: string;
  shop: string;
  profile: MonitorProfile;
  status: string;
  origin: string;
  proposed_at: Date;
  requested_by: string | null;
  requester: string | null;
  request_reason: string;
  approver: string | null;
  approved_at: Date | null;
  auto_approved: boolean;
  decision_note: string;
  pages: number;
}

export interface DeviationWalkRow {
  id: string;
  shop: string;
  profile: MonitorProfile;
  started_at: Date;
  deviations: number;
  summaries: string[];
}

export interface OpenEventRow {
  shop: string | null;
  severity: string;
  kind: string;
  summary: string;
  last_seen_at: Date;
  occurrences: number;
}

export async function loadMonitorDashboard(tx: Tx) {
  const shops = await tx.selectFrom('tenants').select(['id', 'display_name', 'slug']).orderBy('sort_order').execute();
  const lastWalks = await sql<{ tenant_id: string; started_at: Date; profile: MonitorProfile; outcome: WalkOutcome | null; duration_ms: number | null; error: string }>`
    SELECT DISTINCT ON (tenant_id) tenant_id, started_at, profile, outcome, duration_ms, error FROM monitor_walks ORDER BY tenant_id, started_at DESC`.execute(tx);
  const lastGood = await sql<{ tenant_id: string; at: Date }>`
    SELECT tenant_id, max(finished_at) AS at FROM monitor_walks WHERE outcome IN ('clean', 'deviation', 'no_baseline') GROUP BY tenant_id`.execute(tx);
  const open = await tx
    .selectFrom('security_events')
    .select(['tenant_id', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('acknowledged_at', 'is', null)
    .where('layer', 'in', ['browser_monitor', 'dead_mans_switch'])
    .groupBy(['tenant_id', 'severity'])
    .execute();
  const switches = await tx.selectFrom('card_kill_switches').select(['tenant_id', 'engaged', 'automatic', 'reason']).execute();
  const baselines = await tx.selectFrom('monitor_baselines').select(['tenant_id', 'profile', 'status']).where('status', 'in', ['approved', 'proposed']).execute();

  const rows: ShopMonitorRow[] = shops.map((s) => {
    const walk = lastWalks.rows.find((w) => w.tenant_id === s.id);
    const good = lastGood.rows.find((g) => g.tenant_id === s.id);
    const events = open.filter((e) => e.tenant_id === s.id);
    const own = switches.find((k) => k.tenant_id === s.id && k.engaged);
    const all = switches.find((k) => k.tenant_id === null && k.engaged);
    const kill = all ?? own;
    return {
      id: s.id,
      name: s.display_name,
      slug: s.slug,
      lastWalk: walk ? { at: new Date(walk.started_at), profile: walk.profile, outcome: walk.outcome, durationMs: walk.duration_ms, error: walk.error } : null,
      lastGoodAt: good?.at ? new Date(good.at) : null,
      openDeviations: events.reduce((n, e) => n + Number(e.n), 0),
      openCritical: events.filter((e) => e.severity === 'critical').reduce((n, e) => n + Number(e.n), 0),
      killSwitch: kill ? { engaged: true, automatic: kill.automatic, reason: kill.reason } : null,
      approvedProfiles: baselines.filter((b) => b.tenant_id === s.id && b.status === 'approved').map((b) => b.profile),
      pendingBaselines: baselines.filter((b) => b.tenant_id === s.id && b.status === 'proposed').length,
    };
  });

  const history = await tx
    .selectFrom('monitor_baselines as b')
    .innerJoin('tenants as t', 't.id', 'b.tenant_id')
    .leftJoin('staff_users as r', 'r.id', 'b.requested_by')
    .leftJoin('staff_users as a', 'a.id', 'b.approved_by')
    .select([
      'b.id',
      't.display_name as shop',
      'b.profile',
      'b.status',
      'b.origin',
      'b.proposed_at',
      'b.requested_by',
      'r.display_name as requester',
      'b.request_reason',
      'a.display_name as approver',
      'b.approved_at',
      'b.auto_approved',
      'b.decision_note',
      sql<number>`jsonb_array_length(b.snapshot -> 'pages')`.as('pages'),
    ])
    .orderBy('b.proposed_at', 'desc')
    .limit(60)
    .execute();

  const deviationWalks = await tx
    .selectFrom('monitor_walks as w')
    .innerJoin('tenants as t', 't.id', 'w.tenant_id')
    .select(['w.id', 't.display_name as shop', 'w.profile', 'w.started_at', 'w.deviations', sql<string[]>`coalesce((SELECT array_agg(d ->> 'summary') FROM jsonb_array_elements(w.diff -> 'deviations') d), '{}')`.as('summaries')])
    .where('w.outcome', '=', 'deviation')
    .orderBy('w.started_at', 'desc')
    .limit(20)
    .execute();

  const events = await tx
    .selectFrom('security_events as e')
    .leftJoin('tenants as t', 't.id', 'e.tenant_id')
    .select(['t.display_name as shop', 'e.severity', 'e.kind', 'e.summary', 'e.last_seen_at', 'e.occurrences'])
    .where('e.acknowledged_at', 'is', null)
    .where('e.layer', 'in', ['browser_monitor', 'dead_mans_switch'])
    .orderBy('e.last_seen_at', 'desc')
    .limit(50)
    .execute();

  return {
    shops: rows,
    history: history.map((h) => ({ ...h, proposed_at: new Date(h.proposed_at), approved_at: h.approved_at ? new Date(h.approved_at) : null, pages: Number(h.pages ?? 0) })) as BaselineHistoryRow[],
    deviationWalks: deviationWalks.map((w) => ({ ...w, started_at: new Date(w.started_at), summaries: (w.summaries ?? []).slice(0, 5) })) as DeviationWalkRow[],
    events: events.map((e) => ({ ...e, last_seen_at: new Date(e.last_seen_at) })) as OpenEventRow[],
  };
}

export type MonitorDashboardData = Awaited<ReturnType<typeof loadMonitorDashboard>>;
