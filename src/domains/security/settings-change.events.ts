import type { Database } from '../../platform/db/database.ts';
import type { AuditRow } from '../../platform/db/schema.ts';
import { type Tx, withIdentity } from '../../platform/db/tenant-scope.ts';
import { enqueueOutbox, registerOutboxHandler } from '../../platform/jobs/outbox.ts';
import { type ProviderHostPolicy, unrecognisedProviderEndpoints } from '../payments/provider-hosts.ts';
import type { SecuritySeverity } from './security.tables.ts';
import { raiseSecurityEvent, type SecurityEventInput } from './security-events.service.ts';

/**
 * Security-relevant setting changes as security events (layer settings_change; BRIEF catalogue 14:
 * an admin account taken over, then a malicious setting). The trigger is the audit entry every
 * staff action already writes: `appendAudit` queues an outbox item for the actions listed here in
 * the same transaction, so a change that committed is always raised (at least once) and a new
 * screen that audits one of these actions is covered without remembering to call anything.
 *
 * The outbox handler raises the event — a warning for the security officer to review, critical
 * (the shop's cards stop) where the change itself is the attack: payment endpoints the platform
 * does not recognise — and asks the browser monitor to walk the shop at once, so what the change
 * does to the protected pages is judged within one walk instead of one interval.
 */

export const SETTINGS_CHANGE_OUTBOX_KIND = 'security.settings_change';

/** Audit action → what changed (Japanese, for the event). */
export const SECURITY_SETTING_ACTIONS: Readonly<Record<string, string>> = {
  // Where buyers send bank transfers: swapped after a takeover, money goes to the attacker.
  'shop.invoice_issuer_updated': '振込先の銀行口座',
  'payments.provider_key_set': '決済代行会社の接続先とキー',
  'payments.webhook_registered': '決済代行会社の Webhook 登録',
  'payments.card_resumed': 'カード決済の再開（停止の解除）',
  'network.allowlist_replace': 'スタッフ画面の接続元 IP 制限',
  'staff.invite': 'スタッフの招待',
  'staff.invitation_accept': 'スタッフの追加（招待の受諾）',
  'staff.role_change': 'スタッフの権限',
  'staff.disable': 'スタッフの無効化',
  'monitor.baseline.approve': 'ブラウザー監視の基準の承認',
  'inventory.approval.approve': 'スクリプト台帳の変更の承認',
};

/** Actions whose entry is security-relevant only for some fields (the detail's `changed` list says which). */
const ONLY_WHEN_CHANGED: Readonly<Record<string, string>> = { 'shop.invoice_issuer_updated': 'bankAccount' };

export function isSecuritySettingChange(entry: { action: string; detail?: unknown }): boolean {
  if (!Object.hasOwn(SECURITY_SETTING_ACTIONS, entry.action)) return false;
  const field = ONLY_WHEN_CHANGED[entry.action];
  if (!field) return true;
  const changed = (entry.detail as { changed?: unknown } | undefined)?.changed;
  return Array.isArray(changed) && changed.includes(field);
}

export interface SettingsChangePayload {
  auditId: string;
  /** The scope the change was made in (the shop; null: the platform). */
  scopeTenantId: string | null;
  action: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  resourceType: string;
  resourceId: string;
  sourceIp: string;
  at: string;
  detail: Record<string, unknown>;
}

/** Called by appendAudit, in the audited change's own transaction. */
export async function queueSettingsChange(tx: Tx, row: AuditRow): Promise<void> {
  const payload: SettingsChangePayload = {
    auditId: row.id,
    scopeTenantId: row.tenant_id,
    action: row.action,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    sourceIp: row.source_ip,
    at: new Date(row.at).toISOString(),
    detail: (row.detail ?? {}) as Record<string, unknown>,
  };
  await enqueueOutbox(tx, { kind: SETTINGS_CHANGE_OUTBOX_KIND, tenantId: row.tenant_id, payload: payload as unknown as Record<string, unknown> });
}

/** The event for one change; `tenantId` is the shop the change concerns (null: platform staff or network). */
export function settingsChangeEvent(payload: SettingsChangePayload, tenantId: string | null, policy: ProviderHostPolicy): SecurityEventInput {
  const what = SECURITY_SETTING_ACTIONS[payload.action] ?? payload.action;
  let severity: SecuritySeverity = 'warning';
  let why = '';
  if (payload.action === 'payments.provider_key_set') {
    const unrecognised = unrecognisedProviderEndpoints(
      { apiBaseUrl: String(payload.detail.apiBaseUrl ?? ''), hostedPageOrigin: String(payload.detail.hostedPageOrigin ?? '') },
      policy,
    );
    if (unrecognised.length) {
      severity = 'critical';
      why = `。プラットフォームが認めていない決済の接続先です: ${unrecognised.join(', ')}`;
    }
  }
  return {
    tenantId,
    layer: 'settings_change',
    severity,
    kind: `settings.${payload.action}`,
    page: 'settings',
    summary: `セキュリティに関わる設定が変更されました: ${what}（${payload.actorLabel || payload.actorType}、${payload.sourceIp || '接続元不明'}）${why}`,
    // One event per change; a redelivered outbox item only counts another occurrence.
    fingerprint: `settings:${payload.auditId}`,
    principalId: payload.actorId,
    evidence: [{ kind: 'settings-change', data: { ...payload } }],
  };
}

/** Asks the browser monitor to walk a shop now (src/monitor's requestMonitorWalk, wired by the jobs root). */
export type MonitorWalkRequester = (tenantId: string, reason: string) => Promise<unknown>;

let walkRequester: MonitorWalkRequester | null = null;

export function setSettingsChangeWalkRequester(requester: MonitorWalkRequester | null): void {
  walkRequester = requester;
}

/** Which shop a change concerns: its scope, or for an operator's baseline approval the baseline's shop. */
async function concernedShop(database: Database, payload: SettingsChangePayload): Promise<string | null> {
  if (payload.scopeTenantId) return payload.scopeTenantId;
  if (payload.resourceType !== 'monitor_baseline' || !payload.resourceId) return null;
  const row = await withIdentity(database, { audience: 'operator' }, (tx) =>
    tx.selectFrom('monitor_baselines').select('tenant_id').where('id', '=', payload.resourceId).executeTakeFirst(),
  );
  return row?.tenant_id ?? null;
}

/** Raises the event for one queued change and requests the walk; what the outbox handler runs. */
export async function deliverSettingsChange(database: Database, payload: SettingsChangePayload, policy: ProviderHostPolicy): Promise<void> {
  const tenantId = await concernedShop(database, payload);
  await raiseSecurityEvent(database, settingsChangeEvent(payload, tenantId, policy));
  if (tenantId && walkRequester) await walkRequester(tenantId, `settings:${payload.action}`);
}

export function registerSettingsChangeHandler(policy: ProviderHostPolicy): () => void {
  return registerOutboxHandler(SETTINGS_CHANGE_OUTBOX_KIND, (item, ctx) =>
    deliverSettingsChange(ctx.database, item.payload as unknown as SettingsChangePayload, policy),
  );
}
