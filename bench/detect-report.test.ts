import { describe, expect, it } from 'vitest';
import { type DetectReport, detectFileName, formatDetectTable, median, type ScenarioRun, summariseScenario, worst } from './detect-report.ts';

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
    const s = summariseScenario(scenario, [run(), run({ detected_s: 40, verifier_s: 58 })], targets);
    expect(s.detected_s).toBe(30);
    expect(s.max_detected_s).toBe(40);
    expect(s.layers).toEqual(['browser_monitor', 'build_verifier', 'csp_report']);
    expect(s.targets.every((t) => t.met)).toBe(true);
  });

  it('fails a target on a slow repetition or one that never detected', () => {
    const slow = summariseScenario(scenario, [run(), run({ verifier_s: 75, load_contained_s: 12 })], targets);
    expect(slow.targets.find((t) => t.target === 'file_detection')).toMatchObject({ met: false, worst_s: 75 });
    expect(slow.targets.find((t) => t.target === 'buyer_load_to_card_stop')).toMatchObject({ met: false, worst_s: 12 });
    const slowMonitor = summariseScenario(scenario, [run({ monitor_s: 75 })], targets);
    expect(slowMonitor.targets.find((t) => t.target === 'monitor_detection')).toMatchObject({ met: false, worst_s: 75, limit_s: 70 });
    const missed = summariseScenario(scenario, [run({ detected_s: null })], targets);
    expect(missed.targets.find((t) => t.target === 'unseen_detection')).toMatchObject({ met: false, worst_s: null, limit_s: 70 });
  });

  it('needs two distinct layers in every repetition (CSP and Trusted Types are one)', () => {
    const one = summariseScenario(scenario, [run({ unseen_layers: [{ layer: 'csp_report', severity: 'critical', detected_s: 1 }], buyer_layers: ['trusted_types'] })], targets);
    expect(one.targets.find((t) => t.target === 'two_layers')?.met).toBe(false);
  });

  it('prints a table with the false-alarm line and names the file by time', () => {
    const report: DetectReport = {
      at: '2025-01-01T00:00:00.000Z',
      db: 'postgres',
      repetitions: 2,
      monitor_interval_s: 60,
      verifier_interval_s: 30,
      targets,
      scenarios: [summariseScenario(scenario, [run()], targets)],
      walks: 1000,
      false_alarms: 0,
      false_alarm_detail: { walks: 1000, clean_walks: 1000, failed_walks: 0, deviating_walks: 0, events: 0, false_alarms: 0, walk_s: { median: 6, max: 9 }, samples: [] },
      all_targets_met: true,
      environment: {},
      notes: [],
    };
    const table = formatDetectTable(report);
    expect(table).toContain('fake card form');
    expect(table).toContain('false alarms: 0 over 1000 walks');
    expect(detectFileName(new Date('2025-01-01T00:00:00Z'))).toBe('detect-2025-01-01T00-00-00-000Z.json');
  });
});
