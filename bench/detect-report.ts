/**
 * `npm run bench:detect`'s report: one run of one scenario, the per-scenario summary issue 7 asks
 * for (`{"scenarios": [{"id", "name", "detected_s", "contained_s", "layers"}], "walks",
 * "false_alarms"}`, each scenario entry naming the transport it ran over: plain HTTP or HTTPS with
 * the run's test CA), the issue's targets judged on the worst repetition, and the printed tables
 * (one per transport). Pure functions, so the arithmetic is tested without a browser.
 */

/** How the buyer's and the monitor's browsers reached Oroshi. */
export type Transport = 'http' | 'https';

export interface LayerTime {
  layer: string;
  severity: string;
  /** Seconds from the tampering to the layer's first warning or critical event. */
  detected_s: number;
}

export interface ScenarioRun {
  /** Layers that raised a warning or critical event with no buyer involved (monitor schedule, verifier loop). */
  unseen_layers: LayerTime[];
  /** Seconds from the tampering to the first warning/critical event of any layer (no buyer yet), null: not detected. */
  detected_s: number | null;
  /** Seconds from the tampering to the card stop (no buyer yet), null: cards not stopped. */
  contained_s: number | null;
  /** Seconds from the tampering to the first critical browser-monitor event. */
  monitor_s: number | null;
  /** Seconds from the tampering to the first build-verifier event. */
  verifier_s: number | null;
  /** Seconds from the first verifier event to the card stop (0 when cards were already stopped). */
  verifier_to_contained_s: number | null;
  /** Second phase: a buyer loads the tampered page; layers and seconds from that load to the card stop. */
  buyer_layers: string[];
  load_contained_s: number | null;
  /** 13b: seconds from the verifier being stopped to the dead-man's switch's event. */
  dead_mans_switch_s: number | null;
}

export interface ScenarioSummary {
  id: string;
  name: string;
  transport: Transport;
  /** Median over repetitions. */
  detected_s: number | null;
  contained_s: number | null;
  /** Every layer that caught the scenario in any phase (CSP and Trusted Types count as one). */
  layers: string[];
  /** The layers the attack suite requires for this scenario. */
  required_layers: string[];
  max_detected_s: number | null;
  max_contained_s: number | null;
  monitor_s: number | null;
  max_monitor_s: number | null;
  verifier_s: number | null;
  max_verifier_s: number | null;
  max_verifier_to_contained_s: number | null;
  load_contained_s: number | null;
  max_load_contained_s: number | null;
  dead_mans_switch_s: number | null;
  runs: ScenarioRun[];
  targets: TargetVerdict[];
}

export interface TargetVerdict {
  target: 'buyer_load_to_card_stop' | 'unseen_detection' | 'monitor_detection' | 'file_detection' | 'file_detection_to_card_stop' | 'two_layers';
  limit_s: number | null;
  worst_s: number | null;
  met: boolean;
}

export interface DetectTargets {
  /** A buyer's browser loads a tampered page → cards stopped within this many seconds of the load. */
  buyerLoadToStopS: number;
  /** Tampering nobody has loaded → detected within one monitor interval plus one walk. */
  monitorIntervalS: number;
  walkS: number;
  /** Server file tampering → detected within this many seconds… */
  fileDetectionS: number;
  /** …and cards stopped within this many seconds of that detection. */
  fileStopS: number;
}

export const DEFAULT_TARGETS = { buyerLoadToStopS: 10, fileDetectionS: 60, fileStopS: 10 } as const;

export function median(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return round(v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2);
}

/** The worst repetition; a repetition that never detected makes the worst null (= not met). */
export function worst(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return round(Math.max(...(values as number[])));
}

export function round(s: number): number {
  return Math.round(s * 100) / 100;
}

export function summariseScenario(
  scenario: { id: string; name: string; layers: readonly string[]; page: unknown; touchesFiles: boolean },
  runs: readonly ScenarioRun[],
  targets: DetectTargets,
  transport: Transport,
): ScenarioSummary {
  const pick = <K extends keyof ScenarioRun>(k: K) => runs.map((r) => r[k] as number | null);
  const layers = [...new Set(runs.flatMap((r) => [...r.unseen_layers.map((l) => l.layer), ...r.buyer_layers]).map((l) => (l === 'trusted_types' ? 'csp_report' : l)))].sort();
  const verdicts: TargetVerdict[] = [];
  const verdict = (target: TargetVerdict['target'], limit: number | null, values: (number | null)[]) => {
    const w = worst(values);
    verdicts.push({ target, limit_s: limit, worst_s: w, met: w !== null && (limit === null || w <= limit) });
  };
  if (scenario.page) verdict('buyer_load_to_card_stop', targets.buyerLoadToStopS, pick('load_contained_s'));
  verdict('unseen_detection', round(targets.monitorIntervalS + targets.walkS), pick('detected_s'));
  // The monitor on its own (settings changes and the like reach no file the verifier checks).
  if (scenario.layers.includes('browser_monitor')) verdict('monitor_detection', round(targets.monitorIntervalS + targets.walkS), pick('monitor_s'));
  if (scenario.touchesFiles) {
    verdict('file_detection', targets.fileDetectionS, pick('verifier_s'));
    verdict('file_detection_to_card_stop', targets.fileStopS, pick('verifier_to_contained_s'));
  }
  const twoLayers = runs.length > 0 && runs.every((r) => new Set([...r.unseen_layers.map((l) => l.layer), ...r.buyer_layers].map((l) => (l === 'trusted_types' ? 'csp_report' : l))).size >= 2);
  verdicts.push({ target: 'two_layers', limit_s: null, worst_s: null, met: twoLayers });
  return {
    id: scenario.id,
    name: scenario.name,
    transport,
    detected_s: median(pick('detected_s')),
    contained_s: median(pick('contained_s')),
    layers,
    required_layers: [...scenario.layers],
    max_detected_s: worst(pick('detected_s')),
    max_contained_s: worst(pick('contained_s')),
    monitor_s: median(pick('monitor_s')),
    max_monitor_s: worst(pick('monitor_s')),
    verifier_s: median(pick('verifier_s')),
    max_verifier_s: worst(pick('verifier_s')),
    max_verifier_to_contained_s: worst(pick('verifier_to_contained_s')),
    load_contained_s: median(pick('load_contained_s')),
    max_load_contained_s: worst(pick('load_contained_s')),
    dead_mans_switch_s: median(pick('dead_mans_switch_s')),
    runs: [...runs],
    targets: verdicts,
  };
}

export interface FalseAlarmResult {
  /** Walks of unchanged pages attempted. */
  walks: number;
  /** Walks judged clean. */
  clean_walks: number;
  /** Walks that could not get through the shop (an error, not an alarm; listed for the reader). */
  failed_walks: number;
  /** Walks of unchanged pages judged to deviate from the baseline. */
  deviating_walks: number;
  /** Warning or critical events any layer raised while the walks ran (each event once). */
  events: number;
  /** deviating_walks + events from other layers than the monitor. */
  false_alarms: number;
  walk_s: { median: number | null; max: number | null };
  samples: string[];
}

/** Everything measured over one transport: its own database, instances, baselines and browsers. */
export interface TransportRun {
  transport: Transport;
  targets: DetectTargets;
  scenarios: ScenarioSummary[];
  walks: number;
  false_alarms: number | null;
  false_alarm_detail: FalseAlarmResult | null;
  all_targets_met: boolean;
  environment: Record<string, unknown>;
}

export interface DetectReport {
  at: string;
  db: string;
  repetitions: number;
  monitor_interval_s: number;
  verifier_interval_s: number;
  transports: Transport[];
  /** Every transport's scenarios, each entry naming its transport. */
  scenarios: ScenarioSummary[];
  /** Walks of unchanged pages and false alarms, over all transports. */
  walks: number;
  false_alarms: number | null;
  runs: TransportRun[];
  all_targets_met: boolean;
  environment: Record<string, unknown>;
  notes: string[];
}

export function transportRunMet(run: Pick<TransportRun, 'scenarios' | 'false_alarm_detail'>): boolean {
  return run.scenarios.every((s) => s.targets.every((t) => t.met)) && (run.false_alarm_detail === null || run.false_alarm_detail.false_alarms === 0);
}

/** The report over the transports that ran: totals, and every scenario entry with its transport. */
export function combineRuns(head: Omit<DetectReport, 'transports' | 'scenarios' | 'walks' | 'false_alarms' | 'runs' | 'all_targets_met'>, runs: TransportRun[]): DetectReport {
  const measured = runs.filter((r) => r.false_alarm_detail !== null);
  return {
    ...head,
    transports: runs.map((r) => r.transport),
    scenarios: runs.flatMap((r) => r.scenarios),
    walks: runs.reduce((n, r) => n + r.walks, 0),
    false_alarms: measured.length ? measured.reduce((n, r) => n + (r.false_alarms ?? 0), 0) : null,
    runs,
    all_targets_met: runs.length > 0 && runs.every((r) => r.all_targets_met),
  };
}

export function detectFileName(at: Date): string {
  return `detect-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(1));
const mark = (t: TargetVerdict | undefined) => (t ? (t.met ? '✓' : '✗') : '');

const TRANSPORT_TITLE: Record<Transport, string> = {
  http: 'over HTTP',
  https: 'over HTTPS (a test CA made for the run; Chromium trusts its server key by SPKI, verification stays on for the rest)',
};

export function formatTransportTable(run: TransportRun, repetitions: number): string {
  const head = ['id', 'scenario', 'layers', 'detect s (med/max)', 'stop s (med/max)', 'monitor s', 'verifier s', 'load→stop s', '≥2 layers'];
  const rows = run.scenarios.map((s) => {
    const t = (name: TargetVerdict['target']) => s.targets.find((v) => v.target === name);
    return [
      s.id,
      s.name.slice(0, 42),
      s.layers.join('+'),
      `${fmt(s.detected_s)}/${fmt(s.max_detected_s)} ${mark(t('unseen_detection'))}`,
      `${fmt(s.contained_s)}/${fmt(s.max_contained_s)}`,
      `${fmt(s.max_monitor_s)} ${mark(t('monitor_detection'))}`,
      `${fmt(s.max_verifier_s)} ${mark(t('file_detection'))}${t('file_detection_to_card_stop') ? `/+${fmt(s.max_verifier_to_contained_s)} ${mark(t('file_detection_to_card_stop'))}` : ''}`,
      s.id === '13b' ? `dms ${fmt(s.dead_mans_switch_s)}` : `${fmt(s.max_load_contained_s)} ${mark(t('buyer_load_to_card_stop'))}`,
      mark(t('two_layers')),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const t = run.targets;
  const fa = run.false_alarm_detail;
  return [
    `${run.transport.toUpperCase()} — ${TRANSPORT_TITLE[run.transport]}`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `targets: buyer load → cards stopped ≤ ${t.buyerLoadToStopS} s; unseen tampering detected (by any layer, and by the monitor where it is required) ≤ interval ${t.monitorIntervalS} s + one walk ${fmt(t.walkS)} s; file tampering detected ≤ ${t.fileDetectionS} s, cards stopped ≤ ${t.fileStopS} s after (worst of ${repetitions} repetition(s))`,
    fa
      ? `false alarms: ${fa.false_alarms} over ${fa.walks} walks of unchanged pages (clean ${fa.clean_walks}, deviating ${fa.deviating_walks}, failed ${fa.failed_walks}, events ${fa.events}; walk ${fmt(fa.walk_s.median)} s median, ${fmt(fa.walk_s.max)} s max) — target 0 over 1,000`
      : 'false alarms: not measured (--walks=0)',
    `all targets met ${TRANSPORT_TITLE[run.transport].split(' (')[0]}: ${run.all_targets_met ? 'yes' : 'NO'}`,
  ].join('\n');
}

/** One table per transport, then the verdict over all of them. */
export function formatDetectTable(report: DetectReport): string {
  return [...report.runs.map((run) => formatTransportTable(run, report.repetitions)), `all targets met: ${report.all_targets_met ? 'yes' : 'NO'}`].join('\n\n');
}
