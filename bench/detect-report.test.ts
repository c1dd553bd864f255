import { describe, expect, it } from 'vitest';
import { combineRuns, detectFileName, formatDetectTable, median, type ScenarioRun, summariseScenario, type TransportRun, transportRunMet, worst } from './detect-report.ts';

const targets = { buyerLoadToStopS: 10, fileDetectionS: 60, fileStopS: 10, monitorIntervalS: 60, walkS: 10 };

function run(over: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    unseen_layers: [
      { layer: 'browser_monitor', severity: 'critical', detected_s: 20 },
      { layer: 'build_verifier', severity: 'critical', detected_s: 31 },
    ],
    detected_s: 20,
    contained_s: 20.2,
    monitor_s: 20,
    verifier_s: 31,
    verifier_to_contained_s: 0,
    buyer_layers: ['trusted_types'],
    load_contained_s: 0.8,
    dead_mans_switch_s: null,
    ...over,
  };
}

const scenario = { id: '3', name: 'fake card form', layers: ['browser_monitor', 'csp_report', 'build_verifier'], page: /\/checkout$/, touchesFiles: true };

describe('bench:detect report', () => {
  it('takes the median for the summary and the worst repetition for the targets', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, null, 3, 4])).toBe(2.5);
    expect(worst([1, 5, 2])).toBe(5);
    expect(worst([1, null])).toBeNull();
    const s = summariseScenario(scenario, [run(), run({ detected_s: 40, verifier_s: 58 })], targets, 'http');
    expect(s.detected_s).toBe(30);
    expect(s.max_detected_s).toBe(40);
    expect(s.layers).toEqual(['browser_monitor', 'build_verifier', 'csp_report']);
    expect(s.targets.every((t) => t.met)).toBe(true);
  });

  it('fails a target on a slow repetition or one that never detected', () => {
    const slow = summariseScenario(scenario, [run(), run({ verifier_s: 75, load_contained_s: 12 })], targets, 'http');
    expect(slow.targets.find((t) => t.target === 'file_detection')).toMatchObject({ met: false, worst_s: 75 });
    expect(slow.targets.find((t) => t.target === 'buyer_load_to_card_stop')).toMatchObject({ met: false, worst_s: 12 });
    const slowMonitor = summariseScenario(scenario, [run({ monitor_s: 75 })], targets, 'http');
    expect(slowMonitor.targets.find((t) => t.target === 'monitor_detection')).toMatchObject({ met: false, worst_s: 75, limit_s: 70 });
    const missed = summariseScenario(scenario, [run({ detected_s: null })], targets, 'http');
    expect(missed.targets.find((t) => t.target === 'unseen_detection')).toMatchObject({ met: false, worst_s: null, limit_s: 70 });
  });

  it('needs two distinct layers in every repetition (CSP and Trusted Types are one)', () => {
    const one = summariseScenario(scenario, [run({ unseen_layers: [{ layer: 'csp_report', severity: 'critical', detected_s: 1 }], buyer_layers: ['trusted_types'] })], targets, 'http');
    expect(one.targets.find((t) => t.target === 'two_layers')?.met).toBe(false);
  });

  function transportRun(transport: TransportRun['transport'], over: Partial<TransportRun> = {}): TransportRun {
    const scenarios = [summariseScenario(scenario, [run()], targets, transport)];
    const false_alarm_detail = { walks: 500, clean_walks: 500, failed_walks: 0, deviating_walks: 0, events: 0, false_alarms: 0, walk_s: { median: 6, max: 9 }, samples: [] };
    const base = { transport, targets, scenarios, walks: 500, false_alarms: 0, false_alarm_detail, environment: {} };
    return { ...base, all_targets_met: transportRunMet(base), ...over };
  }
  const head = { at: '2025-01-01T00:00:00.000Z', db: 'postgres', repetitions: 2, monitor_interval_s: 60, verifier_interval_s: 30, environment: {}, notes: [] };

  it('names the transport of every scenario entry and totals walks and false alarms over the transports', () => {
    const report = combineRuns(head, [transportRun('http'), transportRun('https', { walks: 500, false_alarms: 1, all_targets_met: false })]);
    expect(report.transports).toEqual(['http', 'https']);
    expect(report.scenarios.map((s) => [s.id, s.transport])).toEqual([
      ['3', 'http'],
      ['3', 'https'],
    ]);
    expect(report.walks).toBe(1000);
    expect(report.false_alarms).toBe(1);
    expect(report.all_targets_met).toBe(false);
    // Walks not measured on any transport: false alarms unknown, not zero.
    expect(combineRuns(head, [transportRun('http', { walks: 0, false_alarms: null, false_alarm_detail: null })]).false_alarms).toBeNull();
    expect(combineRuns(head, []).all_targets_met).toBe(false);
  });

  it('judges a transport by its scenarios and its false alarms', () => {
    const fine = transportRun('https');
    expect(transportRunMet(fine)).toBe(true);
    expect(transportRunMet({ ...fine, false_alarm_detail: { ...fine.false_alarm_detail!, false_alarms: 2 } })).toBe(false);
    const missed = summariseScenario(scenario, [run({ detected_s: null })], targets, 'https');
    expect(transportRunMet({ ...fine, scenarios: [missed] })).toBe(false);
  });

  it('prints one table per transport with its false-alarm line, and names the file by time', () => {
    const report = combineRuns(head, [transportRun('http'), transportRun('https')]);
    const table = formatDetectTable(report);
    expect(table).toContain('fake card form');
    expect(table).toMatch(/^HTTP — over HTTP$/m);
    expect(table).toMatch(/^HTTPS — over HTTPS \(a test CA/m);
    expect(table.match(/false alarms: 0 over 500 walks/g)).toHaveLength(2);
    expect(table.trim().split('\n').at(-1)).toBe('all targets met: yes');
    expect(detectFileName(new Date('2025-01-01T00:00:00Z'))).toBe('detect-2025-01-01T00-00-00-000Z.json');
  });
});
