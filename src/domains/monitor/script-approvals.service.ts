
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import type { ScriptApprovalStatus } from './monitor.tables.ts';
import { type Approver, assertFreshStepUp } from './monitor-baselines.service.ts';

/**
 * The 6.4.3 evidence trail of the script inventory. The code inventory
 * (platform/http/script-inventory.ts) decides what ships and at which hash; a change to it is
 * requested here by one staff member and approved by a second one who has just re-authenticated.
 * The inventory screen shows, for every shipped script, whether its shipped hash has an approval.
 */

export interface ScriptApprovalRequest {
  scriptId: string;
  sha384: string;
  file: string;
  purpose: string;
  owner: string;
  pages: readonly string[];
  changeReason: string;
  requesterId: string;
}

export async function requestScriptApproval(tx: Tx, input: ScriptApprovalRequest): Promise<{ id: string }> {
  const reason = input.changeReason.trim();
  if (!reason) throw new ValidationError({ changeReason: '変更の理由を入力してください。' });
  if (reason.length > 1000) throw new ValidationError({ changeReason: '理由は1000文字以内で入力してください。' });
  const open = await tx.selectFrom('script_inventory_approvals').select('id').where('script_id', '=', input.scriptId).where('sha384', '=', input.sha384).where('status', '=', 'requested').executeTakeFirst();
  if (open) throw new ConflictError('このスクリプトとハッシュの承認依頼はすでにあります。');
  const row = await tx
    .insertInto('script_inventory_approvals')
    .values({
      script_id: input.scriptId,
      sha384: input.sha384,
      file: input.file,
      purpose: input.purpose,
      owner: input.owner,
      pages: [...input.pages],
      change_reason: reason,
      status: 'requested',
      requested_by: input.requesterId,
      decided_by: null,
      decided_at: null,
      decider_step_up_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row;
}

export async function decideScriptApproval(tx: Tx, input: { approvalId: string; decider: Approver; approve: boolean; note?: string; now?: Date }): Promise<{ scriptId: string; sha384: string; status: ScriptApprovalStatus }> {
  const now = input.now ?? new Date();
  const row = await tx.selectFrom('script_inventory_approvals').selectAll().where('id', '=', input.approvalId).forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError('承認依頼が見つかりません。');
  if (row.status !== 'requested') throw new ConflictError('この依頼はすでに処理されています。');
  if (row.requested_by === input.decider.id) throw new ForbiddenError('依頼した本人は承認できません。別のスタッフが承認してください。');
  assertFreshStepUp(input.decider, now);
  const status: ScriptApprovalStatus = input.approve ? 'approved' : 'rejected';
  await tx
    .updateTable('script_inventory_approvals')
    .set({ status, decided_by: input.decider.id, decided_at: now, decider_step_up_at: input.decider.steppedUpAt, decision_note: (input.note ?? '').slice(0, 500) })
    .where('id', '=', input.approvalId)
    .execute();
  return { scriptId: row.script_id, sha384: row.sha384, status };
}

export interface ScriptApprovalHistoryRow {
  id: string;
  script_id: string;
  sha384: string;
  status: ScriptApprovalStatus;
  change_reason: string;
  requested_by: string;
  requested_at: Date;
  requested_by_name: string | null;
  decided_at: Date | null;
  decided_by_name: string | null;
  decision_note: string;
}

/** Every request with the people's names (operator scope: staff_users of the platform are visible). */
export async function scriptApprovalHistory(tx: Tx): Promise<ScriptApprovalHistoryRow[]> {
  const rows = await tx
    .selectFrom('script_inventory_approvals as a')
    .leftJoin('staff_users as r', 'r.id', 'a.requested_by')
    .leftJoin('staff_users as d', 'd.id', 'a.decided_by')
    .select(['a.id', 'a.script_id', 'a.sha384', 'a.status', 'a.change_reason', 'a.requested_by', 'a.requested_at', 'r.display_name as requested_by_name', 'a.decided_at', 'd.display_name as decided_by_name', 'a.decision_note'])
    .orderBy('a.requested_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...r, requested_at: new Date(r.requested_at), decided_at: r.decided_at ? new Date(r.decided_at) : null }));
}

/** Whether a shipped hash has an approval on record. */
export async function approvedHashes(tx: Tx): Promise<Set<string>> {
  const rows = await tx.selectFrom('script_inventory_approvals').select(['script_id', 'sha384']).where('status', '=', 'approved').execute();
  return new Set(rows.map((r) => `${r.script_id}|${r.sha384}`));
}

