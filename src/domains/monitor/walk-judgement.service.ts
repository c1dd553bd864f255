import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { raiseSecurityEvent } from '../security/security-events.service.ts';
import type { MonitorProfile, WalkOutcome } from './monitor.tables.ts';
import { approvedBaseline, pendingBaseline, proposeBaseline } from './monitor-baselines.service.ts';
import { finishWalk } from './monitor-walks.service.ts';
import { diffSnapshots } from './snapshot-diff.ts';
import type { Deviation, WalkDiff, WalkSnapshot } from './walk-snapshot.ts';

/**
 * Judges a finished walk: diffs it against the shop's approved baseline, stores the walk with its
 * diff, and raises one security event per deviation (layer browser_monitor; a critical one stops
 * the shop's card payments before raiseSecurityEvent returns). A shop with no baseline gets a
 * proposed one — approved at once only where the caller allows it (development) — and is still
 * judged for card-like inputs, which no baseline can approve.
 *
 * Events are raised after the walk row committed, each in its own transaction (raiseSecurityEvent's).
 * Fingerprints hold the step and what deviated, never the walk or the profile: the same tampering
 * seen by the next walk or by the other profile is the same open event, one more occurrence.
 */

export type RaiseSecurityEvent = typeof raiseSecurityEvent;

export interface WalkJudgementInput {
  tenantId: string;
  profile: MonitorProfile;
  walkId: string;
  snapshot: WalkSnapshot;
  durationMs: number;
  autoApproveFirstBaseline: boolean;
  providerHosts?: readonly string[];
  /** Why the walk could not get through the shop; its pages are still judged, but it is not a good walk and proposes no baseline. */
  incomplete?: string | null;
}

export interface WalkJudgement {
  outcome: WalkOutcome;
  diff: WalkDiff;
  baselineId: string | null;
  proposedBaselineId: string | null;
  events: { id: string; kind: string; severity: string; created: boolean }[];
}

export async function judgeWalk(database: Database, input: WalkJudgementInput, raise: RaiseSecurityEvent = raiseSecurityEvent): Promise<WalkJudgement> {
  const judged = await withTenant(database, input.tenantId, async (tx) => {
    let baseline = await approvedBaseline(tx, input.tenantId, input.profile);
    let proposedBaselineId: string | null = null;
    if (!baseline && !input.incomplete && !(await pendingBaseline(tx, input.tenantId, input.profile))) {
      const proposed = await proposeBaseline(tx, {
        tenantId: input.tenantId,
        profile: input.profile,
        snapshot: input.snapshot,
        sourceWalkId: input.walkId,
        origin: 'first_walk',
        autoApproveFirst: input.autoApproveFirstBaseline,
      });
      proposedBaselineId = proposed.id;
      if (proposed.status === 'approved') baseline = await approvedBaseline(tx, input.tenantId, input.profile);
    }
    const diff = diffSnapshots(baseline?.snapshot ?? null, input.snapshot, { providerHosts: input.providerHosts });
    // A walk cut short misses steps by definition; that alone is a failed walk, not tampering.
    const real = diff.deviations.filter((d) => !(input.incomplete && d.kind === 'walk.step-missing'));
    const outcome: WalkOutcome = real.length ? 'deviation' : input.incomplete ? 'failed' : baseline ? 'clean' : 'no_baseline';
    diff.deviations = real;
    await finishWalk(tx, { walkId: input.walkId, outcome, durationMs: input.durationMs, baselineId: baseline?.id ?? null, snapshot: input.snapshot, diff, error: input.incomplete ?? '' });
    return { outcome, diff, baselineId: baseline?.id ?? null, proposedBaselineId };
  });

  const events: WalkJudgement['events'] = [];
  for (const d of judged.diff.deviations) {
    const raised = await raise(database, eventFor(input, judged.baselineId, d));
    events.push({ id: raised.id, kind: d.kind, severity: raised.severity, created: raised.created });
  }
  return { ...judged, events };
}

function eventFor(input: WalkJudgementInput, baselineId: string | null, d: Deviation) {
  return {
    tenantId: input.tenantId,
    layer: 'browser_monitor' as const,
    severity: d.severity,
    kind: d.kind,
    page: d.step,
    summary: `ブラウザー監視: ${d.summary}`,
    fingerprint: `monitor:${d.key}`,
    evidence: [{ kind: 'monitor-deviation', data: { walkId: input.walkId, profile: input.profile, baselineId, deviation: { ...d } } }],
  };
}

/** A walk that could not get through the shop: recorded, and left to the dead-man's switch to escalate. */
export async function recordFailedWalk(database: Database, input: { tenantId: string; walkId: string; durationMs: number; error: string }): Promise<void> {
  await withTenant(database, input.tenantId, (tx) =>
    finishWalk(tx, { walkId: input.walkId, outcome: 'failed', durationMs: input.durationMs, baselineId: null, snapshot: null, diff: null, error: input.error }),
  );
}
