import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { MonitorProfile, WalkOutcome } from './monitor.tables.ts';
import type { WalkDiff, WalkSnapshot } from './walk-snapshot.ts';

/** The record of monitor walks: one row per walk, opened when it starts, closed with its outcome. */

export async function startWalk(tx: Tx, input: { tenantId: string; profile: MonitorProfile; reason: string; instance: string }): Promise<string> {
  const row = await tx
    .insertInto('monitor_walks')
    .values({ tenant_id: input.tenantId, profile: input.profile, reason: input.reason.slice(0, 100) || 'schedule', instance: input.instance.slice(0, 200), finished_at: null, duration_ms: null, outcome: null, baseline_id: null, snapshot: null, diff: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A walk unfinished after this long crashed with its process: it no longer holds the shop's turn. */
export const WALK_TURN_STALE_SECONDS = 180;

/**
 * Starts a walk only if no other walk of the shop is under way, across every monitor process.
 * Every walk of a shop signs in as the same monitor member, and a member has one cart: a desktop
 * and a mobile walk at once empty each other's cart mid-checkout (one places the order the other
 * is confirming) and the unchanged shop looks changed — a false alarm. The transaction-scoped
 * advisory lock makes check-and-insert atomic between processes. Null: wait and ask again.
 */
export async function claimWalkTurn(tx: Tx, input: { tenantId: string; profile: MonitorProfile; reason: string; instance: string }): Promise<string | null> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`monitor-walk:${input.tenantId}`}))`.execute(tx);
  const running = await tx
    .selectFrom('monitor_walks')
    .select('id')
    .where('tenant_id', '=', input.tenantId)
    .where('finished_at', 'is', null)
    .where('started_at', '>', sql<Date>`now() - make_interval(secs => ${WALK_TURN_STALE_SECONDS})`)
    .limit(1)
    .executeTakeFirst();
  return running ? null : startWalk(tx, input);
}

export interface FinishedWalk {
  walkId: string;
  outcome: WalkOutcome;
  durationMs: number;
  baselineId: string | null;
  snapshot: WalkSnapshot | null;
  diff: WalkDiff | null;
  error?: string;
}

export async function finishWalk(tx: Tx, input: FinishedWalk): Promise<void> {
  await tx
    .updateTable('monitor_walks')
    .set({
      finished_at: sql`now()`,
      outcome: input.outcome,
      duration_ms: Math.max(0, Math.round(input.durationMs)),
      baseline_id: input.baselineId,
      snapshot: input.snapshot ? JSON.stringify(input.snapshot) : null,
      diff: input.diff ? JSON.stringify(input.diff) : null,
      deviations: input.diff?.deviations.length ?? 0,
      error: (input.error ?? '').slice(0, 2000),
    })
    .where('id', '=', input.walkId)
    .execute();
}

/** A good walk: it got through the shop and was judged (clean, deviation, or no baseline yet). */
export async function lastGoodWalkAt(tx: Tx, tenantId: string): Promise<Date | null> {
  const row = await tx
    .selectFrom('monitor_walks')
    .select('finished_at')
    .where('tenant_id', '=', tenantId)
    .where('outcome', 'in', ['clean', 'deviation', 'no_baseline'])
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.finished_at ? new Date(row.finished_at) : null;
}
