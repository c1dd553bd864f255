/**
 * The bench's report: figures measured against floor (a), the JSON shape, the printed
 * table. Pure functions, so the ratio maths and the shape are tested without running a server.
 */

export interface Measurement {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Responses other than the scenario's expected status (2xx for pages, 303 for form posts). */
  errors?: number;
}

export interface ScenarioResult {
  name: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** rps ÷ floor (a)'s rps. */
  ratio: number;
  /** rps ÷ floor (b)'s rps, for insight. */
  ratio_rls: number;
  errors: number;
  /** Database round trips of one request (for a checkout, of all its requests), from x-db-round-trips. */
  round_trips?: number | null;
  /**
   * CPU time per request (per order for checkouts) while the scenario ran, in ms: the server
   * process and the database's backends (PostgreSQL; PGlite runs inside the server). Unlike req/s
   * it hardly depends on how busy the shared machine is.
   */
  cpu_ms?: CpuPerRequest;
}

export interface CpuPerRequest {
  server: number;
  db: number;
}

export interface BenchReport {
  db: 'postgres' | 'pglite';
  floor_rps: number;
  floor_rls_rps: number;
  results: ScenarioResult[];
  peak_rss_mb: number;
  cold_start_s: number;
  sequential_orders_per_s: number;
  // Extra context (allowed by the issue): when, how hard, and how busy the machine was.
  at: string;
  connections: number;
  duration_s: number;
  floor_p99_ms: number;
  floor_rls_p99_ms: number;
  floor_cpu_ms?: CpuPerRequest;
  floor_rls_cpu_ms?: CpuPerRequest;
  load_average: number[];
  seed: { products_per_shop: number; members: number; orders: number; seconds: number };
  notes: string[];
}

/** a ÷ b to three decimals; 0 when the floor measured nothing (a broken floor must not read as infinitely fast). */
export function ratioOf(rps: number, floorRps: number): number {
  if (!(floorRps > 0) || !Number.isFinite(rps)) return 0;
  return Math.round((rps / floorRps) * 1000) / 1000;
}

export function scenarioResult(
  name: string,
  m: Measurement & { cpu_ms?: CpuPerRequest },
  floorA: Measurement,
  floorB: Measurement,
  roundTrips?: number | null,
): ScenarioResult {
  return {
    name,
    rps: Math.round(m.rps * 10) / 10,
    p50_ms: m.p50_ms,
    p99_ms: m.p99_ms,
    ratio: ratioOf(m.rps, floorA.rps),
    ratio_rls: ratioOf(m.rps, floorB.rps),
    errors: m.errors ?? 0,
    ...(roundTrips !== undefined && { round_trips: roundTrips }),
    ...(m.cpu_ms && { cpu_ms: m.cpu_ms }),
  };
}

/** The keys the issue requires, in its order; a test holds the shape to it. */
export const REQUIRED_KEYS = ['db', 'floor_rps', 'floor_rls_rps', 'results', 'peak_rss_mb', 'cold_start_s', 'sequential_orders_per_s'] as const;
export const REQUIRED_RESULT_KEYS = ['name', 'rps', 'p50_ms', 'p99_ms', 'ratio'] as const;

export function reportFileName(at: Date): string {
  return `bench-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}

function cpuText(cpu: CpuPerRequest | undefined): string {
  return cpu ? `${cpu.server.toFixed(2)}+${cpu.db.toFixed(2)}` : '';
}

export function formatTable(report: BenchReport): string {
  const rows: string[][] = [
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', '÷ floor (a)', '÷ floor (b)', 'errors', 'DB trips', 'CPU ms app+db'],
    ['floor (a) Fastify + listing query + template', String(report.floor_rps), '', String(report.floor_p99_ms), '1.000', ratioOf(report.floor_rps, report.floor_rls_rps).toFixed(3), '', '', cpuText(report.floor_cpu_ms)],
    ['floor (b) same in one RLS transaction', String(report.floor_rls_rps), '', String(report.floor_rls_p99_ms), ratioOf(report.floor_rls_rps, report.floor_rps).toFixed(3), '1.000', '', '', cpuText(report.floor_rls_cpu_ms)],
    ...report.results.map((r) => [
      r.name,
      String(r.rps),
      String(r.p50_ms),
      String(r.p99_ms),
      r.ratio.toFixed(3),
      r.ratio_rls.toFixed(3),
      String(r.errors),
      r.round_trips == null ? '' : String(r.round_trips),
      cpuText(r.cpu_ms),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  lines.push(
    `db ${report.db} · ${report.connections} connections · ${report.duration_s}s each · peak RSS ${report.peak_rss_mb} MB · cold start ${report.cold_start_s} s · one buyer ${report.sequential_orders_per_s} orders/s · load average ${report.load_average.map((l) => l.toFixed(2)).join(' ')}`,
  );
  return `${lines.join('\n')}\n`;
}
