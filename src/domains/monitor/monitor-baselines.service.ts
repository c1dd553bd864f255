import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/domain-error.ts';
import type { MonitorBaselinesTable, MonitorProfile } from './monitor.tables.ts';
import type { WalkSnapshot } from './walk-snapshot.ts';

/**
 * Baselines of the browser monitor: what each shop's protected pages should deliver, per profile.
 * A baseline is proposed (by the first walk of a shop, or by a person adopting a walk after an
 * intended change), approval is requested by one staff member and given by a second one who has
 * just re-authenticated (step-up); the new approved baseline supersedes the old one, which stays
 * for the history. The database refuses requester = approver too.
 *
 * Development only: the first baseline of a shop is approved by the system, so a fresh demo has
 * a working monitor (APP_ENV=development; see the caller).
 */

export const STEP_UP_MAX_AGE_MS = 5 * 60 * 1000;

export interface Approver {
  id: string;
  /** When the approver last re-authenticated (the session's step_up_at). */
  steppedUpAt: Date | null;
}

export function assertFreshStepUp(approver: Approver, now: Date): void {
  if (!approver.steppedUpAt || now.getTime() - approver.steppedUpAt.getTime() > STEP_UP_MAX_AGE_MS) {
    throw new ForbiddenError('承認の前に再認証してください。');
  }
}

export type BaselineRow = Omit<MonitorBaselinesTable, 'id' | 'request_reason' | 'auto_approved' | 'decision_note' | 'proposed_at' | 'snapshot'> & {
  id: string;
  request_reason: string;
  auto_approved: boolean;
  decision_note: string;
  proposed_at: Date;
  snapshot: WalkSnapshot;
};

function parseSnapshot<T extends { snapshot: unknown }>(row: T): T & { snapshot: WalkSnapshot } {
  return { ...row, snapshot: (typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot) as WalkSnapshot };
}

export async function approvedBaseline(tx: Tx, tenantId: string, profile: MonitorProfile): Promise<BaselineRow | null> {
  const row = await tx.selectFrom('monitor_baselines').selectAll().where('tenant_id', '=', tenantId).where('profile', '=', profile).where('status', '=', 'approved').executeTakeFirst();
  return row ? (parseSnapshot(row) as BaselineRow) : null;
}

export async function pendingBaseline(tx: Tx, tenantId: string, profile: MonitorProfile): Promise<{ id: string } | null> {
  return (
    (await tx.selectFrom('monitor_baselines').select('id').where('tenant_id', '=', tenantId).where('profile', '=', profile).where('status', '=', 'proposed').executeTakeFirst()) ?? null
  );
}

export interface ProposeBaselineInput {
  tenantId: string;
  profile: MonitorProfile;
  snapshot: WalkSnapshot;
  sourceWalkId: string | null;
  origin: 'first_walk' | 'operator';
  /** The staff member proposing it (origin 'operator'): they are the requester. */
  requestedBy?: string | null;
  reason?: string;
  /** Development: approve at once when the shop has no approved baseline for this profile. */
  autoApproveFirst?: boolean;
}

export async function proposeBaseline(tx: Tx, input: ProposeBaselineInput): Promise<{ id: string; status: 'proposed' | 'approved' }> {
  const first = !(await approvedBaseline(tx, input.tenantId, input.profile));
  const auto = Boolean(input.autoApproveFirst && first);
  // One open proposal per shop and profile: a newer one replaces an older one nobody approved.
  await tx
    .updateTable('monitor_baselines')
    .set({ status: 'superseded', superseded_at: sql`now()` })
    .where('tenant_id', '=', input.tenantId)
    .where('profile', '=', input.profile)
    .where('status', '=', 'proposed')
    .execute();
  const row = await tx
    .insertInto('monitor_baselines')
    .values({
      tenant_id: input.tenantId,
      profile: input.profile,
      status: auto ? 'approved' : 'proposed',
      snapshot: JSON.stringify(input.snapshot),
      source_walk_id: input.sourceWalkId,
      origin: input.origin,
      requested_by: input.requestedBy ?? null,
      requested_at: input.requestedBy ? new Date() : null,
      request_reason: (input.reason ?? '').slice(0, 500),
      approved_by: null,
      approved_at: auto ? new Date() : null,
      approver_step_up_at: null,
      auto_approved: auto,
      decision_note: auto ? '開発環境: 最初の基準を自動承認' : '',
      superseded_at: null,
    })
    .returning(['id', 'status'])
    .executeTakeFirstOrThrow();
  return { id: row.id, status: row.status as 'proposed' | 'approved' };
}

async function loadProposal(tx: Tx, baselineId: string) {
  const row = await tx.selectFrom('monitor_baselines').selectAll().where('id', '=', baselineId).forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError('基準が見つかりません。');
  if (row.status !== 'proposed') throw new ConflictError('この基準はすでに処理されています。');
  return row;
}

/** A first-walk proposal has no requester: a staff member reviews it and asks for approval. */
export async function requestBaselineApproval(tx: Tx, input: { baselineId: string; requesterId: string; reason: string }): Promise<void> {
  const row = await loadProposal(tx, input.baselineId);
  if (row.requested_by) throw new ConflictError('この基準はすでに承認を依頼されています。');
  await tx
    .updateTable('monitor_baselines')
    .set({ requested_by: input.requesterId, requested_at: sql`now()`, request_reason: input.reason.slice(0, 500) })
    .where('id', '=', input.baselineId)
    .execute();
}

export async function approveBaseline(tx: Tx, input: { baselineId: string; approver: Approver; note?: string; now?: Date }): Promise<{ tenantId: string; profile: MonitorProfile; superseded: number }> {
  const now = input.now ?? new Date();
  const row = await loadProposal(tx, input.baselineId);
  if (!row.requested_by) throw new ConflictError('先に承認を依頼してください（依頼者と承認者は別の人です）。');
  if (row.requested_by === input.approver.id) throw new ForbiddenError('承認を依頼した本人は承認できません。別のスタッフが承認してください。');
  assertFreshStepUp(input.approver, now);
  const superseded = await tx
    .updateTable('monitor_baselines')
    .set({ status: 'superseded', superseded_at: now })
    .where('tenant_id', '=', row.tenant_id)
    .where('profile', '=', row.profile)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  await tx
    .updateTable('monitor_baselines')
    .set({ status: 'approved', approved_by: input.approver.id, approved_at: now, approver_step_up_at: input.approver.steppedUpAt, decision_note: (input.note ?? '').slice(0, 500) })
    .where('id', '=', input.baselineId)
    .execute();
  return { tenantId: row.tenant_id, profile: row.profile, superseded: Number(superseded.numUpdatedRows) };
}

export async function rejectBaseline(tx: Tx, input: { baselineId: string; approver: Approver; note: string; now?: Date }): Promise<void> {
  const row = await loadProposal(tx, input.baselineId);
  if (row.requested_by === input.approver.id) throw new ForbiddenError('承認を依頼した本人は判断できません。');
  assertFreshStepUp(input.approver, input.now ?? new Date());
  await tx.updateTable('monitor_baselines').set({ status: 'rejected', approved_by: input.approver.id, approved_at: input.now ?? new Date(), approver_step_up_at: input.approver.steppedUpAt, decision_note: input.note.slice(0, 500) }).where('id', '=', input.baselineId).execute();
}

/** A person adopts what a walk saw as the new baseline (an intended change): they are the requester. */
export async function proposeBaselineFromWalk(tx: Tx, input: { walkId: string; requesterId: string; reason: string }): Promise<{ id: string }> {
  const walk = await tx.selectFrom('monitor_walks').select(['tenant_id', 'profile', 'snapshot']).where('id', '=', input.walkId).executeTakeFirst();
  if (!walk?.snapshot) throw new NotFoundError('巡回記録が見つかりません。');
  const snapshot = (typeof walk.snapshot === 'string' ? JSON.parse(walk.snapshot) : walk.snapshot) as WalkSnapshot;
  const proposed = await proposeBaseline(tx, { tenantId: walk.tenant_id, profile: walk.profile, snapshot, sourceWalkId: input.walkId, origin: 'operator', requestedBy: input.requesterId, reason: input.reason });
  return { id: proposed.id };
}
