import { describe, expect, it } from 'vitest';
import { type BenchReport, formatTable, REQUIRED_KEYS, REQUIRED_RESULT_KEYS, ratioOf, reportFileName, scenarioResult } from './bench-report.ts';

const floorA = { rps: 4000, p50_ms: 10, p99_ms: 20 };
const floorB = { rps: 2500, p50_ms: 15, p99_ms: 30 };

function report(): BenchReport {
  return {
    db: 'postgres',
    floor_rps: 4000,
    floor_rls_rps: 2500,
    results: [scenarioResult('catalog_listing', { rps: 2600, p50_ms: 17, p99_ms: 41, errors: 3, cpu_ms: { server: 1.2, db: 0.8 } }, floorA, floorB, 4)],
    peak_rss_mb: 180,
    cold_start_s: 1.4,
    sequential_orders_per_s: 72.5,
    at: '2025-01-01T00:00:00.000Z',
    connections: 50,
    duration_s: 5,
    floor_p99_ms: 20,
    floor_rls_p99_ms: 30,
    load_average: [1.5, 1.2, 1],
    seed: { products_per_shop: 10000, members: 10000, orders: 100000, seconds: 60 },
    notes: [],
  };
}

describe('bench report', () => {
  it('gives each figure as a ratio to floor (a) and to floor (b)', () => {
    const r = scenarioResult('x', { rps: 2600, p50_ms: 1, p99_ms: 2 }, floorA, floorB);
    expect(r.ratio).toBe(0.65);
    expect(r.ratio_rls).toBe(1.04);
    expect(r.errors).toBe(0);
    expect(ratioOf(1, 3)).toBe(0.333);
  });

  it('never divides by a floor that measured nothing', () => {
    expect(ratioOf(100, 0)).toBe(0);
    expect(ratioOf(Number.NaN, 100)).toBe(0);
  });

  it('holds the issue’s JSON shape through a round trip', () => {
    const parsed = JSON.parse(JSON.stringify(report())) as Record<string, unknown>;
    for (const key of REQUIRED_KEYS) expect(parsed).toHaveProperty(key);
    expect(typeof parsed.floor_rps).toBe('number');
    expect(typeof parsed.sequential_orders_per_s).toBe('number');
    const result = (parsed.results as Record<string, unknown>[])[0]!;
    for (const key of REQUIRED_RESULT_KEYS) expect(result).toHaveProperty(key);
    expect(result).toMatchObject({ name: 'catalog_listing', rps: 2600, p50_ms: 17, p99_ms: 41, ratio: 0.65, round_trips: 4 });
  });

  it('names the file by its timestamp and prints every scenario with its ratios and the load average', () => {
    expect(reportFileName(new Date('2025-01-02T03:04:05.678Z'))).toBe('bench-2025-01-02T03-04-05-678Z.json');
    const table = formatTable(report());
    expect(table).toMatch(/catalog_listing\s+2600\s+17\s+41\s+0\.650\s+1\.040\s+3\s+4\s+1\.20\+0\.80/);
    expect(table).toContain('load average 1.50 1.20 1.00');
    expect(table).toContain('one buyer 72.5 orders/s');
  });
});
