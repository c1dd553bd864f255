import { sql } from 'kysely';
import type { VerifierStatus } from '../../../domains/security/verifier-heartbeat.service.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';

/**
 * How soon each protection layer catches a change right now, for the security and monitor
 * dashboards (issue 7's targets: cards stopped within 10 s of a tampered page's load; an unseen
 * change within one monitor interval plus one walk; a server file within 60 s). The bounds are
 * worked out from the configured intervals and the durations the layers reported recently — what
 * `npm run bench:detect` measures end to end.
 */

export type LayerHealth = 'ok' | 'warn' | 'error';

export interface DetectionLayerState {
  id: 'browser_reports' | 'render_refusal' | 'browser_monitor' | 'build_verifier' | 'db_text_verifier' | 'settings_change' | 'egress' | 'dead_mans_switch';
  label: string;
  /** When the layer sees a change: in words, with the worst case in seconds where there is one. */
  bound: string;
  boundSeconds: number | null;
  health: LayerHealth;
  status: string;
  openEvents: number;
  lastDetectedAt: Date | null;
}

export interface MonitorWalkStats {
  /** Median duration of the last finished walks, seconds (null: none yet). */
  medianWalkSeconds: number | null;
  /** Shops whose last good walk is older than two intervals (or never walked). */
  staleShops: number;
  shops: number;
}

export interface ContainmentStats {
  /** Critical events of the last 30 days that stopped cards, and seconds from detection to the stop. */
  count: number;
  medianSeconds: number | null;
  maxSeconds: number | null;
}

const LAYER_EVENTS: Record<DetectionLayerState['id'], string[]> = {
  browser_reports: ['csp_report', 'trusted_types'],
  render_refusal: ['render_refusal'],
  browser_monitor: ['browser_monitor'],
  build_verifier: ['build_verifier'],
  db_text_verifier: ['db_text_verifier'],
  settings_change: ['settings_change'],
  egress: ['egress'],
  dead_mans_switch: ['dead_mans_switch'],
};

export async function monitorWalkStats(tx: Tx, intervalMinutes: number, now = new Date()): Promise<MonitorWalkStats> {
  const durations = await tx
    .selectFrom('monitor_walks')
    .select('duration_ms')
    .where('outcome', 'in', ['clean', 'deviation', 'no_baseline'])
    .orderBy('finished_at', 'desc')
    .limit(40)
    .execute();
  const sorted = durations.map((d) => Number(d.duration_ms ?? 0) / 1000).sort((a, b) => a - b);
  const shops = await sql<{ id: string; last_good: Date | null; created_at: Date }>`
    SELECT t.id, t.created_at, (SELECT max(w.finished_at) FROM monitor_walks w WHERE w.tenant_id = t.id AND w.outcome IN ('clean', 'deviation', 'no_baseline')) AS last_good
      FROM tenants t`.execute(tx);
  const limitMs = 2 * intervalMinutes * 60_000;
  const staleShops = shops.rows.filter((s) => now.getTime() - new Date(s.last_good ?? s.created_at).getTime() > limitMs).length;
  return { medianWalkSeconds: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null, staleShops, shops: shops.rows.length };
}

export async function containmentStats(tx: Tx): Promise<ContainmentStats> {
  const rows = await sql<{ s: number }>`
    SELECT extract(epoch FROM contained_at - first_seen_at)::float8 AS s FROM security_events
      WHERE contained_at IS NOT NULL AND first_seen_at > now() - interval '30 days' ORDER BY 1`.execute(tx);
  const s = rows.rows.map((r) => Math.max(0, Number(r.s)));
  return { count: s.length, medianSeconds: s.length ? s[Math.floor(s.length / 2)]! : null, maxSeconds: s.length ? s[s.length - 1]! : null };
}

export function formatSeconds(s: number): string {
  if (s < 10) return `${s.toFixed(1)}秒`;
  if (s < 90) return `${Math.round(s)}秒`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m}分${rest}秒` : `${m}分`;
}

export async function loadDetectionState(
  tx: Tx,
  input: { monitorIntervalMinutes: number; verifierIntervalSeconds: number; monitorUnavailable: string | null; verifiers: readonly VerifierStatus[]; now?: Date },
): Promise<{ layers: DetectionLayerState[]; walks: MonitorWalkStats; containment: ContainmentStats }> {
  const now = input.now ?? new Date();
  const byLayer = await tx
    .selectFrom('security_events')
    .select(['layer', sql<number>`count(*) FILTER (WHERE acknowledged_at IS NULL)`.as('open'), sql<Date | null>`max(first_seen_at) FILTER (WHERE severity <> 'info')`.as('last')])
    .groupBy('layer')
    .execute();
  const walks = await monitorWalkStats(tx, input.monitorIntervalMinutes, now);
  const containment = await containmentStats(tx);
  const events = (id: DetectionLayerState['id']) => {
    const rows = byLayer.filter((r) => LAYER_EVENTS[id].includes(r.layer));
    const last = rows.map((r) => (r.last ? new Date(r.last).getTime() : 0)).filter(Boolean);
    return { openEvents: rows.reduce((n, r) => n + Number(r.open), 0), lastDetectedAt: last.length ? new Date(Math.max(...last)) : null };
  };

  const verifier = input.verifiers[0] ?? null;
  const verifierPass = verifier ? verifier.durationMs / 1000 : null;
  const verifierBound = input.verifierIntervalSeconds + (verifierPass ?? 0);
  const verifierHealth: Pick<DetectionLayerState, 'health' | 'status'> = !verifier
    ? { health: 'error', status: '検証プロセスの報告がありません' }
    : verifier.stale
      ? { health: 'error', status: `応答なし（最後の報告 ${formatSeconds(verifier.ageSeconds)}前）` }
      : { health: 'ok', status: `稼働中（${formatSeconds(verifier.ageSeconds)}前に検証）` };
  const walkSeconds = walks.medianWalkSeconds;
  const monitorBound = input.monitorIntervalMinutes * 60 + (walkSeconds ?? 0);
  const monitorHealth: Pick<DetectionLayerState, 'health' | 'status'> = input.monitorUnavailable
    ? { health: 'error', status: `実行できません: ${input.monitorUnavailable}` }
    : walks.staleShops > 0
      ? { health: 'error', status: `巡回が止まっているショップ ${walks.staleShops} / ${walks.shops}` }
      : { health: 'ok', status: `全 ${walks.shops} ショップを巡回中` };

  const layers: DetectionLayerState[] = [
    {
      id: 'browser_reports',
      label: 'ブラウザ報告（CSP・Trusted Types）',
      bound: '購入者のページ読み込み時（報告は即時送信、受信と同時にカード決済を停止）',
      boundSeconds: null,
      health: 'ok',
      status: '有効',
      ...events('browser_reports'),
    },
    { id: 'render_refusal', label: '配信拒否（未登録スクリプト）', bound: 'ページを返す時点（サーバー内）', boundSeconds: null, health: 'ok', status: '有効', ...events('render_refusal') },
    {
      id: 'browser_monitor',
      label: 'ブラウザー監視',
      bound: `巡回間隔 ${input.monitorIntervalMinutes}分 + 巡回1回${walkSeconds !== null ? `（中央値 ${formatSeconds(walkSeconds)}）` : ''} ＝ 最長 約${formatSeconds(monitorBound)}`,
      boundSeconds: monitorBound,
      ...monitorHealth,
      ...events('browser_monitor'),
    },
    {
      id: 'build_verifier',
      label: 'ビルド検証（サーバーのファイル）',
      bound: `検証間隔 ${input.verifierIntervalSeconds}秒 + 検証1回${verifierPass !== null ? `（${formatSeconds(verifierPass)}）` : ''} ＝ 最長 約${formatSeconds(verifierBound)}（目標 60秒）`,
      boundSeconds: verifierBound,
      ...verifierHealth,
      ...events('build_verifier'),
    },
    {
      id: 'db_text_verifier',
      label: '保存データ検証（商品説明・決済の接続先）',
      bound: `ファイル検証と同じ周期 ＝ 最長 約${formatSeconds(verifierBound)}`,
      boundSeconds: verifierBound,
      ...verifierHealth,
      ...events('db_text_verifier'),
    },
    {
      id: 'settings_change',
      label: '設定変更（決済の接続先・スタッフと権限・IP 制限・承認）',
      bound: '変更の確定後、ジョブ処理の送信箱で配信（数秒）・同時にブラウザー監視を依頼',
      boundSeconds: null,
      health: 'ok',
      status: '有効',
      ...events('settings_change'),
    },
    { id: 'egress', label: '外向き通信の制限', bound: '送信しようとした時点（遮断して検知）', boundSeconds: null, health: 'ok', status: '有効', ...events('egress') },
    {
      id: 'dead_mans_switch',
      label: '死活監視（監視・検証の停止）',
      bound: `毎分確認（監視は ${input.monitorIntervalMinutes * 2}分、検証は ${input.verifierIntervalSeconds * 2}秒の沈黙で重大）`,
      boundSeconds: null,
      health: 'ok',
      status: '有効',
      ...events('dead_mans_switch'),
    },
  ];
  return { layers, walks, containment };
}
