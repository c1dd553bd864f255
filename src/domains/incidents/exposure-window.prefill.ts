import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { WindowSource } from './incidents.tables.ts';

export interface PrefilledWindow {
  start: Date;
  end: Date;
  source: WindowSource;
  reason: string;
}

/**
 * The exposure window of one shop, from the evidence (operator audience: reads every shop's
 * security events and monitor walks). Start: the last clean monitor walk before the first
 * deviating one (the page was still clean then); without a walk, the first critical violation
 * report or verifier mismatch. End: when card payment was stopped for the event, else `now`.
 * Always editable with a reason.
 */
export async function prefillExposureWindow(tx: Tx, tenantId: string, now: Date): Promise<PrefilledWindow | null> {
  const firstDeviation = await tx
    .selectFrom('monitor_walks')
    .select(['id', 'started_at'])
    .where('tenant_id', '=', tenantId)
    .where('outcome', '=', 'deviation')
    .orderBy('started_at')
    .limit(1)
    .executeTakeFirst();
  const events = await tx
    .selectFrom('security_events')
    .select(['layer', 'first_seen_at', 'contained_at', 'summary'])
    .where('tenant_id', '=', tenantId)
    .where('severity', '=', 'critical')
    .orderBy('first_seen_at')
    .execute();
  const contained = events.map((e) => e.contained_at).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
  const end = contained && contained.getTime() <= now.getTime() ? contained : now;
  const endNote = contained ? 'カード決済停止時刻' : '現在時刻(未停止)';

  if (firstDeviation) {
    const lastClean = await tx
      .selectFrom('monitor_walks')
      .select(['started_at'])
      .where('tenant_id', '=', tenantId)
      .where('outcome', '=', 'clean')
      .where('started_at', '<', firstDeviation.started_at)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const start = lastClean?.started_at ?? firstDeviation.started_at;
    if (start.getTime() < end.getTime()) {
      return {
        start,
        end,
        source: 'monitor_walk',
        reason: lastClean
          ? `最後の正常な監視巡回から(最初の差異検知 ${firstDeviation.started_at.toISOString()})、終了は${endNote}`
          : `最初の差異検知から(それ以前の正常巡回なし)、終了は${endNote}`,
      };
    }
  }
  const first = events[0];
  if (!first || first.first_seen_at.getTime() >= end.getTime()) return null;
  const source: WindowSource = first.layer === 'csp_report' || first.layer === 'trusted_types' ? 'csp_report' : first.layer === 'build_verifier' || first.layer === 'db_text_verifier' ? 'verifier' : 'security_event';
  return { start: first.first_seen_at, end, source, reason: `最初の重大イベント(${first.layer}: ${first.summary.slice(0, 80)})から、終了は${endNote}` };
}
