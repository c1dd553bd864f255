import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * `npm run bench`: starts Oroshi and the floor server as separate processes on one database,
 * drives each scenario with autocannon from a third process, and prints every figure as a ratio
 * to floor (a). Writes bench/results/bench-<timestamp>.json. Measures; never asserts.
 *
 * DATABASE_URL set → a fresh database `oroshi_bench` on that PostgreSQL server; otherwise PGlite
 * in a temporary DATA_DIR. BENCH_DURATION (seconds per scenario, default 10), BENCH_CONNECTIONS (50).
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const duration = Number(process.env.BENCH_DURATION ?? 10);
// The catalog scenarios: a member of this shop at its silver rank, browsing this category.
const CATALOG_SHOP = 'kaoru-haircare';
const CATALOG_CATEGORY = 'shampoo';
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface Scenario {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Measured {
  name: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  ratio: number;
  ratio_rls: number;
  non2xx: number;
  /** Which floors the ratios compare with: the legal page's, or the catalog listing's. */
  floor: 'legal' | 'listing';
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${buffer.slice(-2000)}`)), timeoutMs);
    const onData = (d: Buffer) => {
      buffer += d.toString();
      const m = pattern.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`process exited (${code}) before ready: ${buffer.slice(-2000)}`)));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not become ready`);
}

function autocannon(base: string, s: Scenario): Promise<{ rps: number; p50: number; p99: number; non2xx: number }> {
  const args = [path.join(ROOT, 'node_modules/autocannon/autocannon.js'), '-j', '-c', String(connections), '-d', String(duration)];
  if (s.method) args.push('-m', s.method);
  for (const [k, v] of Object.entries(s.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (s.body) args.push('-b', s.body);
  args.push(base + s.path);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out);
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx ?? 0 });
    });
  });
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function prepareDatabaseEnv(): Promise<{ env: Record<string, string>; label: string; cleanup(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS oroshi_bench WITH (FORCE)');
    await admin.query('CREATE DATABASE oroshi_bench');
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = '/oroshi_bench';
    return { env: { DATABASE_URL: url.toString() }, label: 'postgres', cleanup: async () => undefined };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-bench-'));
  return { env: { DATA_DIR: dir }, label: 'pglite', cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function main() {
  const db = await prepareDatabaseEnv();
  const port = 3900 + Math.floor(Math.random() * 50);
  const env = { ...process.env, ...db.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', BASE_URL: `http://localhost:${port}` };
  delete (env as Record<string, string | undefined>).DATABASE_OWNER_URL;

  const t0 = performance.now();
  const oroshi = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  oroshi.stderr.on('data', (d) => process.stderr.write(d));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 120_000);
  const coldStart = (performance.now() - t0) / 1000;
  // First start seeds the demo; a second start measures a real cold start on an existing database.
  oroshi.kill('SIGTERM');
  await new Promise((r) => oroshi.once('exit', r));
  // A signed-in member for the catalog scenarios, made while no server holds the database.
  const fixture = spawn(process.execPath, ['--import', 'tsx', 'bench/member-session.ts'], { cwd: ROOT, env: { ...env, BENCH_SHOP: CATALOG_SHOP }, stdio: ['ignore', 'pipe', 'pipe'] });
  const [, memberCookie, productCode] = await waitForLine(fixture, /BENCH_MEMBER (\S+) (\S+)\n/, 60_000);
  await new Promise((r) => fixture.once('exit', r));
  const t1 = performance.now();
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', (d) => process.stderr.write(d));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
  const warmStart = (performance.now() - t1) / 1000;

  const floor = spawn(process.execPath, ['--import', 'tsx', 'bench/floor-server.ts'], { cwd: ROOT, env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const floorBase = (await waitForLine(floor, /FLOOR_READY (\S+)\n/, 60_000))[1]!;
  const base = `http://127.0.0.1:${port}`;

  try {
    process.stdout.write(`bench: ${db.label}, ${connections} connections, ${duration}s per scenario\n`);
    const floorA = await autocannon(floorBase, { name: 'floor', path: '/floor/legal/mall' });
    const floorB = await autocannon(floorBase, { name: 'floor-rls', path: '/floor-rls/legal/mall' });
    const listingFloorA = await autocannon(floorBase, { name: 'floor-listing', path: `/floor/listing/${CATALOG_SHOP}/${CATALOG_CATEGORY}` });
    const listingFloorB = await autocannon(floorBase, { name: 'floor-rls-listing', path: `/floor-rls/listing/${CATALOG_SHOP}/${CATALOG_CATEGORY}` });
    const member = { cookie: memberCookie! };
    const scenarios: (Scenario & { floor: 'legal' | 'listing' })[] = [
      { name: 'shop_legal_page', path: '/s/mall/legal', floor: 'legal' },
      { name: 'platform_home', path: '/', floor: 'legal' },
      { name: 'catalog_listing', path: `/s/${CATALOG_SHOP}/c/${CATALOG_CATEGORY}`, headers: member, floor: 'listing' },
      { name: 'product_page', path: `/s/${CATALOG_SHOP}/p/${productCode}`, headers: member, floor: 'listing' },
      { name: 'search', path: `/s/${CATALOG_SHOP}/search?q=${encodeURIComponent('しゃんぷー')}`, headers: member, floor: 'listing' },
    ];
    const results: Measured[] = [];
    for (const s of scenarios) {
      const r = await autocannon(base, s);
      const [fa, fb] = s.floor === 'listing' ? [listingFloorA, listingFloorB] : [floorA, floorB];
      results.push({
        name: s.name,
        rps: Math.round(r.rps),
        p50_ms: r.p50,
        p99_ms: r.p99,
        ratio: Number((r.rps / fa.rps).toFixed(3)),
        ratio_rls: Number((r.rps / fb.rps).toFixed(3)),
        non2xx: r.non2xx,
        floor: s.floor,
      });
    }
    const report = {
      db: db.label,
      at: new Date().toISOString(),
      connections,
      duration_s: duration,
      floor_rps: Math.round(floorA.rps),
      floor_p99_ms: floorA.p99,
      floor_rls_rps: Math.round(floorB.rps),
      floor_rls_p99_ms: floorB.p99,
      listing_floor_rps: Math.round(listingFloorA.rps),
      listing_floor_p99_ms: listingFloorA.p99,
      listing_floor_rls_rps: Math.round(listingFloorB.rps),
      listing_floor_rls_p99_ms: listingFloorB.p99,
      results: results.map(({ non2xx: _n, ...r }) => r),
      non2xx: Object.fromEntries(results.map((r) => [r.name, r.non2xx])),
      peak_rss_mb: peakRssMb(server.pid!),
      cold_start_s: Number(warmStart.toFixed(2)),
      first_start_with_seed_s: Number(coldStart.toFixed(2)),
      sequential_orders_per_s: null as number | null,
    };
    const table = [
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs floor', 'vs RLS floor'],
      ['floor (a) bare Fastify + query', String(report.floor_rps), String(floorA.p50), String(floorA.p99), '1.000', ''],
      ['floor (b) + RLS transaction', String(report.floor_rls_rps), String(floorB.p50), String(floorB.p99), (floorB.rps / floorA.rps).toFixed(3), '1.000'],
      ['listing floor (a) same query, template', String(Math.round(listingFloorA.rps)), String(listingFloorA.p50), String(listingFloorA.p99), '1.000', ''],
      ['listing floor (b) + RLS transaction', String(Math.round(listingFloorB.rps)), String(listingFloorB.p50), String(listingFloorB.p99), (listingFloorB.rps / listingFloorA.rps).toFixed(3), '1.000'],
      ...results.map((r) => [`${r.name}${r.floor === 'listing' ? ' (vs listing floors)' : ''}`, String(r.rps), String(r.p50_ms), String(r.p99_ms), r.ratio.toFixed(3), r.ratio_rls.toFixed(3)]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) process.stdout.write(`${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
    process.stdout.write(`peak RSS ${report.peak_rss_mb} MB · cold start ${report.cold_start_s} s (first start with demo seed ${report.first_start_with_seed_s} s)\n`);
    const outDir = path.join(ROOT, 'bench/results');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `bench-${report.at.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(ROOT, file)}\n`);
  } finally {
    floor.kill('SIGTERM');
    server.kill('SIGTERM');
    await Promise.all([new Promise((r) => floor.once('exit', r)), new Promise((r) => server.once('exit', r))]);
    await db.cleanup();
  }
}

await main();
