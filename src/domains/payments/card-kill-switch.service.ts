import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { ForbiddenError, ValidationError } from '../shared/domain-error.ts';

/**
 * The card kill switch: one row per shop plus the platform-wide row (tenant_id NULL). Checkout
 * reads it from the database on every request, so a stop reaches every process at once; no
 * process keeps a copy. Bank transfer, COD and invoice terms never look at it.
 *
 * Engaging is always allowed (stop first, ask later). Releasing needs step-up at the screen,
 * and a stop the security monitor made (automatic) is released only by an operator, whose
 * approval is recorded with it.
 */

export interface KillSwitchState {
  engaged: boolean;
  /** 'all' when the platform-wide switch is on (it wins over the shop's own). */
  scope: 'shop' | 'all' | null;
  automatic: boolean;
  reason: string;
  changedAt: Date | null;
}

export const CARD_STOPPED_NOTICE = 'ただいまカード決済を一時停止しています。銀行振込・代金引換など他のお支払い方法をご利用ください。';

/** For the shop in the transaction's scope: its own switch and the platform-wide one. */
export async function cardKillState(tx: Tx, tenantId: string | null): Promise<KillSwitchState> {
  const rows = await tx
    .selectFrom('card_kill_switches')
    .select(['tenant_id', 'engaged', 'automatic', 'reason', 'changed_at'])
    .where('engaged', '=', true)
    .where((eb) => (tenantId ? eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]) : eb('tenant_id', 'is', null)))
    .execute();
  const all = rows.find((r) => r.tenant_id === null);
  const row = all ?? rows[0];
  if (!row) return { engaged: false, scope: null, automatic: false, reason: '', changedAt: null };
  return { engaged: true, scope: all ? 'all' : 'shop', automatic: row.automatic, reason: row.reason, changedAt: new Date(row.changed_at) };
}

export interface KillSwitchActor {
  type: 'staff' | 'operator' | 'system';
  id: string | null;
  label: string;
  sourceIp?: string;
  requestId?: string;
}

export interface KillSwitchChange {
  /** null: the platform-wide switch (operator or system only). */
  tenantId: string | null;
  engaged: boolean;
  reason: string;
  actor: KillSwitchActor;
  automatic?: boolean;
  evidence?: Record<string, unknown>;
}

/** Changes one switch in the caller's transaction (scoped to that shop, or operator/platform for the NULL row). */
export async function setCardKillSwitch(tx: Tx, change: KillSwitchChange): Promise<{ changed: boolean }> {
  const reason = change.reason.trim();
  if (reason.length < 1 || reason.length > 1000) throw new ValidationError({ reason: '理由を入力してください（1000文字以内）。' });
  if (change.tenantId === null && change.actor.type === 'staff') throw new ForbiddenError('全ショップのカード停止は運営のみが操作できます。');
  const { rows } = await sql<{ engaged: boolean; automatic: boolean }>`
    SELECT engaged, automatic FROM card_kill_switches WHERE tenant_id IS NOT DISTINCT FROM ${change.tenantId}::uuid FOR UPDATE`.execute(tx);
  const current = rows[0];
  const automatic = change.engaged ? Boolean(change.automatic) : false;
  let approvedBy: string | null = null;
  if (!change.engaged) {
    if (!current?.engaged) return { changed: false };
    if (current.automatic) {
      if (change.actor.type !== 'operator') throw new ForbiddenError('監視による自動停止です。解除には運営の承認が必要です。');
      approvedBy = change.actor.id;
    }
  } else if (current?.engaged && current.automatic && !automatic) {
    // A manual "engage" on an automatic stop must not turn it into one a shop could release.
    return { changed: false };
  }
  await tx
    .insertInto('card_kill_switches')
    .values({ tenant_id: change.tenantId, engaged: change.engaged, automatic, reason, changed_by: change.actor.id, changed_at: new Date() })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ engaged: change.engaged, automatic, reason, changed_by: change.actor.id, changed_at: new Date() }))
    .execute();
  await tx
    .insertInto('card_kill_switch_history')
    .values({
      tenant_id: change.tenantId,
      engaged: change.engaged,
      automatic,
      reason,
      actor_type: change.actor.type,
      actor_id: change.actor.id,
      approved_by: approvedBy,
    })
    .execute();
  await appendAudit(tx, {
    actorType: change.actor.type,
    actorId: change.actor.id,
    actorLabel: change.actor.label,
    action: change.engaged ? 'payments.card_stopped' : 'payments.card_resumed',
    resourceType: 'card_kill_switch',
    resourceId: change.tenantId ?? 'all',
    result: 'success',
    sourceIp: change.actor.sourceIp,
    requestId: change.actor.requestId,
    reason,
    detail: { automatic, approvedBy, evidence: change.evidence ?? null },
  });
  return { changed: true };
}

/**
 * For the security monitor: stop card payments for one shop, or for every shop, now. Runs in its
 * own transaction (the shop's scope, or the platform's for 'all') and is audited there with the
 * evidence. Releasing it later needs an operator.
 */
export async function engageCardKillSwitch(
  database: Database,
  input: { tenantId: string | 'all'; reason: string; automatic: true; evidence?: Record<string, unknown>; actorLabel?: string },
): Promise<{ changed: boolean }> {
  const change = (tx: Tx, tenantId: string | null) =>
    setCardKillSwitch(tx, {
      tenantId,
      engaged: true,
      automatic: input.automatic,
      reason: input.reason,
      evidence: input.evidence,
      actor: { type: 'system', id: null, label: input.actorLabel ?? 'security-monitor' },
    });
  if (input.tenantId === 'all') return withPlatform(database, (tx) => change(tx, null));
  return withIdentity(database, { tenantId: input.tenantId }, (tx) => change(tx, input.tenantId as string));
}

export interface KillSwitchHistoryRow {
  tenantId: string | null;
  engaged: boolean;
  automatic: boolean;
  reason: string;
  actorType: string;
  approvedBy: string | null;
  at: Date;
}

export async function killSwitchHistory(tx: Tx, tenantId: string | null, limit = 20): Promise<KillSwitchHistoryRow[]> {
  const rows = await tx
    .selectFrom('card_kill_switch_history')
    .select(['tenant_id', 'engaged', 'automatic', 'reason', 'actor_type', 'approved_by', 'at'])
    .where((eb) => (tenantId ? eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]) : eb.lit(true)))
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, engaged: r.engaged, automatic: r.automatic, reason: r.reason, actorType: r.actor_type, approvedBy: r.approved_by, at: new Date(r.at) }));
}
