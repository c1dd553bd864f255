import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { raiseSecurityEvent } from '../security/security-events.service.ts';
import { lastGoodWalkAt } from './monitor-walks.service.ts';
import type { RaiseSecurityEvent } from './walk-judgement.service.ts';

/**
 * The monitor watching itself. A shop whose last good walk is older than two intervals is a
 * critical event (its card payments stop): a monitor that silently stopped is as bad as none.
 * Without Chromium (or without the monitor member's credentials) the monitor is unavailable:
 * with PROTECTION_REQUIRED that is critical for the whole platform (every shop's cards stop);
 * otherwise (the demo) a warning the dashboard shows loudly, and stale shops are warnings too —
 * the cause is already known.
 */

export interface DeadMansSwitchInput {
  intervalMinutes: number;
  /** null: the monitor can run; otherwise why not (no Chromium, no credentials). */
  unavailableReason: string | null;
  protectionRequired: boolean;
  now?: Date;
}

export interface DeadMansSwitchResult {
  stale: { tenantId: string; lastGoodWalkAt: Date | null }[];
  unavailable: boolean;
  raised: number;
}

export async function checkMonitorDeadMansSwitch(database: Database, input: DeadMansSwitchInput, raise: RaiseSecurityEvent = raiseSecurityEvent): Promise<DeadMansSwitchResult> {
  const now = input.now ?? new Date();
  const limitMs = 2 * input.intervalMinutes * 60_000;
  let raised = 0;
  const severity = input.unavailableReason && !input.protectionRequired ? 'warning' : 'critical';
  if (input.unavailableReason) {
    await raise(database, {
      tenantId: null,
      layer: 'dead_mans_switch',
      severity,
      kind: 'monitor.unavailable',
      summary: `ブラウザー監視を実行できません: ${input.unavailableReason}`,
      fingerprint: 'monitor-unavailable',
      evidence: [{ kind: 'monitor-unavailable', data: { reason: input.unavailableReason, protectionRequired: input.protectionRequired, at: now.toISOString() } }],
    });
    raised++;
  }
  const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'created_at']).execute());
  const stale: DeadMansSwitchResult['stale'] = [];
  for (const shop of shops) {
    const last = await withTenant(database, shop.id, (tx) => lastGoodWalkAt(tx, shop.id));
    // A shop never walked counts from its creation: a new shop gets two intervals to be walked.
    const since = last ?? new Date(shop.created_at);
    if (now.getTime() - since.getTime() <= limitMs) continue;
    stale.push({ tenantId: shop.id, lastGoodWalkAt: last });
    await raise(database, {
      tenantId: shop.id,
      layer: 'dead_mans_switch',
      severity,
      kind: 'monitor.stale',
      summary: last
        ? `ブラウザー監視の最後の正常な巡回から${Math.round((now.getTime() - last.getTime()) / 60_000)}分経過しています（間隔${input.intervalMinutes}分の2倍を超過）`
        : 'ブラウザー監視がこのショップを一度も正常に巡回していません',
      fingerprint: 'monitor-stale',
      evidence: [{ kind: 'monitor-stale', data: { lastGoodWalkAt: last?.toISOString() ?? null, intervalMinutes: input.intervalMinutes, checkedAt: now.toISOString() } }],
    });
    raised++;
  }
  return { stale, unavailable: Boolean(input.unavailableReason), raised };
}
