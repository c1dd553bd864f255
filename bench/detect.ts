import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { type Browser, chromium } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/demo/demo-credentials.ts';
import { seedDemo } from '../src/demo/seed-demo.ts';
import type { MonitorProfile } from '../src/domains/monitor/monitor.tables.ts';
import { DEVELOPMENT_PROVIDER_HOSTS } from '../src/domains/payments/provider-hosts.ts';
import { registerSettingsChangeHandler, setSettingsChangeWalkRequester } from '../src/domains/security/settings-change.events.ts';
import { checkVerifierHeartbeat } from '../src/domains/security/verifier-heartbeat.service.ts';
import { MONITOR_POLL_SECONDS, MONITOR_WALK_QUEUE, requestMonitorWalk } from '../src/monitor/browser-monitor.job.ts';
import { MONITOR_CHROMIUM_ARGS } from '../src/monitor/monitor-browser.ts';
import { type MonitorRunSettings, runMonitorWalk } from '../src/monitor/monitor-walk.run.ts';
import type { SessionCache } from '../src/monitor/shop-walk.ts';
import { appRoleUrl, type Database, openPglite, openPostgres } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import type { RouteModule } from '../src/platform/http/app.ts';
import type { Platform } from '../src/platform/http/platform.ts';
import { type JobQueue, startJobQueue } from '../src/platform/jobs/job-queue.ts';
import { installJobSchema } from '../src/platform/jobs/job-schema.ts';
import { createLogger } from '../src/platform/log/logger.ts';
import { ROUTES } from '../src/web/routes.ts';
import {
  buyerVisit,
  cardsStopped,
  detectingLayers,
  eventsSince,
  firstProductCode,
  listen,
  MONITOR_EMAIL,
  resetProtection,
  type SeenEvent,
  SHOP,
  SignedTree,
  tamperPlugin,
  tamperState,
} from '../test/attack/attack-harness.ts';
import { ATTACK_SCENARIOS, type AttackScenario } from '../test/attack/attack-scenarios.ts';
import { launchChromium } from '../test/chromium.ts';
import { createTestApp } from '../test/test-app.ts';
import {
  combineRuns,
  DEFAULT_TARGETS,
  type DetectTargets,
  detectFileName,
  type FalseAlarmResult,
  formatDetectTable,
  formatTransportTable,
  type LayerTime,
  median,
  round,
  type ScenarioRun,
  summariseScenario,
  type Transport,
  type TransportRun,
  transportRunMet,
  worst,
} from './detect-report.ts';
import { createTestCa, listenTls, type TlsListener } from './test-ca.ts';

/**
 * `npm run bench:detect` (outside CI; issue 7 item 9): how fast the protection layers catch the
 * attack catalogue, and how often unchanged pages raise an alarm. Measures; never asserts.
 *
 * A running Oroshi as the attack suite builds it (test/attack/attack-harness.ts): a clean instance
 * and a "restarted on the tampered files" instance on one database, the demo seed, a signed copy of
 * the tree checked by the real verifier code. The layers run on their own clocks, as in production:
 *
 *   - the browser monitor through the real job queue (pg-boss cron every MONITOR_INTERVAL minute(s)
 *     queueing a desktop and a mobile walk of the attacked shop; one walk at a time, as one process);
 *   - the verifier: a pass, then VERIFIER_INTERVAL seconds, then the next pass (verifier-loop.ts);
 *   - for 13b, the verifier's dead-man's switch as the once-a-minute job.
 *
 * Each repetition of a scenario has two phases. (1) Unseen: tamper at t0 and let the schedules find
 * it, with no buyer — until one monitor tick and one verifier pass that began after t0 have
 * finished. (2) Loaded: the protection is reset (events acknowledged, card stop lifted), the
 * schedules are paused, and a real buyer's Chromium loads the tampered page; seconds from that
 * page's request to the card stop. Then everything is restored for the next repetition.
 *
 * The false-alarm measurement walks the unchanged shop --walks times (alternating profiles) with the
 * verifier loop running and counts what any layer raised.
 *
 * Over plain HTTP and over HTTPS (the issue's "locally trusted test CA"): each transport is a run of
 * its own — database, instances, baselines, browsers — one after the other. Over HTTPS the two
 * instances listen with TLS, a certificate signed by a CA generated for the run (bench/test-ca.ts),
 * their BASE_URL is their https origin, and both Chromiums trust that one server key.
 *
 * Options: --reps=3 --walks=1000 (per transport) --scenarios=1,3,13b|all|none --db=pglite|postgres
 * (default postgres when DATABASE_URL is set) --monitor-interval=1 (minutes) --verifier-interval=30
 * (s) --transport=both|http|https (--https: HTTPS only).
 */

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'];
  }),
);
const reps = Number(args.reps ?? 3);
const walkCount = Number(args.walks ?? 1000);
const monitorIntervalMinutes = Number(args['monitor-interval'] ?? 1);
const verifierIntervalS = Number(args['verifier-interval'] ?? 30);
const dbKind = (args.db ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite')) as 'pglite' | 'postgres';
const chosen = args.scenarios ?? 'all';
/** Both by default; --https (or --transport=https) for the TLS run only, --transport=http for plain HTTP only. */
const transportArg = args.transport ?? (args.https === 'true' ? 'https' : args.http === 'true' ? 'http' : 'both');
if (!['http', 'https', 'both'].includes(transportArg)) throw new Error(`--transport must be http, https or both, not ${transportArg}`);
const transports: Transport[] = transportArg === 'both' ? ['http', 'https'] : [transportArg as Transport];
const scenarios = chosen === 'none' ? [] : chosen === 'all' ? ATTACK_SCENARIOS : ATTACK_SCENARIOS.filter((s) => chosen.split(',').includes(s.id));
const ROOT = path.resolve(import.meta.dirname, '..');
const log = createLogger('silent');
const BENCH_TICK_QUEUE = 'bench.monitor-tick';
const BENCH_WATCH_QUEUE = 'bench.verifier-watch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secondsBetween = (from: number, to: number) => round((to - from) / 1000);

/** A schedule's work that can be held: pause() waits for the unit in flight, then nothing new starts. */
class Gate {
  paused = true;
  private current: Promise<unknown> | null = null;
  async run<T>(fn: () => Promise<T>): Promise<T | null> {
    if (this.paused) return null;
    const p = fn();
    this.current = p;
    try {
      return await p;
    } finally {
      if (this.current === p) this.current = null;
    }
  }
  async pause(): Promise<void> {
    this.paused = true;
    await this.current?.catch(() => undefined);
  }
  resume(): void {
    this.paused = false;
  }
}

interface Span {
  startedAt: number;
  finishedAt: number;
}
interface WalkSpan extends Span {
  profile: MonitorProfile;
  outcome: string | null;
  durationMs: number;
}

// ---------------------------------------------------------------------------------------------

async function openDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (dbKind === 'pglite') {
    const database = await openPglite({});
    await migrate(database);
    await installJobSchema(database);
    return { database, drop: () => database.close() };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('--db=postgres needs DATABASE_URL (a server login that may create databases)');
  const name = `oroshi_detect_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres({ ownerUrl: url.toString(), runtimeUrl: appRoleUrl(url.toString()), poolSize: 10 });
  await migrate(database);
  await installJobSchema(database);
  return {
    database,
    async drop() {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** When each request reached the tampered instance (the buyer's page loads are timed from these). */
const requestLog: { at: number; path: string }[] = [];
const logRequests: RouteModule = (instance) => {
  instance.addHook('onRequest', async (request) => {
    requestLog.push({ at: Date.now(), path: request.url.split('?')[0] ?? '' });
    if (requestLog.length > 5000) requestLog.splice(0, 1000);
  });
};

const started = new Date();

/** One transport end to end: its own database, instances, baselines (headers differ over HTTPS), browsers and schedules. */
async function runTransport(transport: Transport): Promise<TransportRun> {
  const { database, drop } = await openDatabase();
  const ca = transport === 'https' ? createTestCa() : null;
  const listeners: TlsListener[] = [];
  let clean: FastifyInstance | null = null;
  let tampered: FastifyInstance | null = null;
  let queue: JobQueue | null = null;
  let browser: Browser | null = null;
  let tree: SignedTree | null = null;
  let stopVerifierLoop = false;
  let verifierLoop: Promise<void> | null = null;
  let unregisterSettingsChange: () => void = () => undefined;
  const loadAverages: number[][] = [os.loadavg()];
  requestLog.length = 0;
  tamperState.html = null;
  tamperState.requests = [];
  try {
    /** An instance listening over the run's transport; over HTTPS its BASE_URL names its https origin (secure cookies, HSTS). */
    const serve = async (routes?: readonly RouteModule[]) => {
      const options = routes ? { routes } : {};
      if (!ca) {
        const built = await createTestApp(database, options);
        return { built, url: await listen(built.app) };
      }
      const tls = await listenTls(ca);
      listeners.push(tls);
      const built = await createTestApp(database, { ...options, env: { BASE_URL: tls.url } });
      tls.attach(built.app);
      return { built, url: tls.url };
    };
    const { built: first, url: cleanUrl } = await serve();
    clean = first.app;
    await seedDemo(database, first.platform.secrets, log);
    const { built: second, url: tamperedUrl } = await serve([logRequests, tamperPlugin(database), ...ROUTES]);
    tampered = second.app;
    const tamperedPlatform: Platform = second.platform;
    const tenantId = String((await database.ownerExec(`SELECT id FROM tenants WHERE slug = $1`, [SHOP])).rows[0]!.id);
    const cleanApp = first.app;
    const productCode = await firstProductCode(cleanApp, DEMO_PASSWORD);
    // Over HTTPS both browsers accept the run's server key (by its SPKI hash) and verify everything else.
    browser = await launchChromium({ extraArgs: ca?.chromiumArgs ?? [] });
    const chromiumArgs = ca?.chromiumArgs;
    const launchMonitor = chromiumArgs
      ? () => chromium.launch({ executablePath: '/usr/bin/chromium', args: [...MONITOR_CHROMIUM_ARGS, ...chromiumArgs], headless: true, timeout: 30_000 })
      : undefined;
    tree = new SignedTree();
    const signedTree = tree;
    // Both processes verified the signed build at start; the tampered one serves files the manifest never signed.
    first.platform.signedAssetHashes = tree.signedAssetHashes();
    tamperedPlatform.signedAssetHashes = tree.signedAssetHashes();
    const sessions: SessionCache = new Map();
    const monitorSettings = (url: string): MonitorRunSettings => ({
      database,
      log,
      config: { BASE_DOMAIN: undefined, pathTenants: true, baseOrigin: url, CHROMIUM_PATH: '/usr/bin/chromium', APP_ENV: 'test' },
      platformUrl: url,
      credentials: { email: MONITOR_EMAIL, password: DEMO_PASSWORD },
      sessions,
      autoApproveFirstBaseline: true,
      launch: launchMonitor,
    });

    // The approved baselines: one walk per profile of the unchanged shop.
    for (const profile of ['desktop', 'mobile'] as MonitorProfile[]) {
      const walk = await runMonitorWalk(monitorSettings(cleanUrl), { tenantId, profile, reason: 'bench-baseline' });
      if (walk.error) throw new Error(`baseline walk failed: ${walk.error}`);
    }
    console.log(`bench:detect over ${transport.toUpperCase()} (${cleanUrl}, ${tamperedUrl}) on ${dbKind}: ${scenarios.length} scenario(s) × ${reps}, ${walkCount} false-alarm walk(s); monitor every ${monitorIntervalMinutes} min, verifier every ${verifierIntervalS} s`);

    // The browser monitor's schedule, through pg-boss as in production (cron → tick job → walk jobs).
    const monitorGate = new Gate();
    const walks: WalkSpan[] = [];
    queue = await startJobQueue({ database, log });
    await queue.work<{ tenantId: string; profile: MonitorProfile; reason: string }>(
      MONITOR_WALK_QUEUE,
      async (job) => {
        const startedAt = Date.now();
        const result = await monitorGate.run(() => runMonitorWalk(monitorSettings(tamperedUrl), job.data));
        if (result) walks.push({ startedAt, finishedAt: Date.now(), profile: job.data.profile, outcome: result.judgement?.outcome ?? (result.error ? 'failed' : null), durationMs: result.durationMs });
      },
      { retryLimit: 0, expireInSeconds: 300, pollingIntervalSeconds: MONITOR_POLL_SECONDS },
    );
    const jobQueue = queue;
    // The jobs process's wiring of setting changes (src/background/jobs.ts): events, and a walk of the shop (14).
    unregisterSettingsChange = registerSettingsChangeHandler(DEVELOPMENT_PROVIDER_HOSTS);
    setSettingsChangeWalkRequester((id, reason) => requestMonitorWalk(jobQueue, id, reason));
    await queue.work(
      BENCH_TICK_QUEUE,
      async () => {
        if (!monitorGate.paused) await requestMonitorWalk(jobQueue, tenantId, 'schedule');
      },
      { retryLimit: 0, pollingIntervalSeconds: MONITOR_POLL_SECONDS },
    );
    await queue.schedule(BENCH_TICK_QUEUE, monitorIntervalMinutes === 1 ? '* * * * *' : `*/${monitorIntervalMinutes} * * * *`, {}, { retryLimit: 0 });

    // The verifier's dead-man's switch (13b only: elsewhere the bench pauses the verifier on purpose).
    let watching = false;
    await queue.work(
      BENCH_WATCH_QUEUE,
      async () => {
        if (watching) await checkVerifierHeartbeat(database, { intervalSeconds: verifierIntervalS, since: started });
      },
      { retryLimit: 0 },
    );
    await queue.schedule(BENCH_WATCH_QUEUE, '* * * * *', {}, { retryLimit: 0 });

    // The verifier: pass, interval, pass (passes never overlap).
    const verifierGate = new Gate();
    const passes: Span[] = [];
    verifierLoop = (async () => {
      while (!stopVerifierLoop) {
        const startedAt = Date.now();
        const done = await verifierGate.run(() => signedTree.verify(database));
        if (done) passes.push({ startedAt, finishedAt: Date.now() });
        for (let waited = 0; waited < verifierIntervalS * 1000 && !stopVerifierLoop; waited += 250) await sleep(250);
      }
    })();

    const pauseAll = () => Promise.all([monitorGate.pause(), verifierGate.pause()]);
    const resumeAll = () => {
      monitorGate.resume();
      verifierGate.resume();
    };
    const layerTimes = (events: readonly SeenEvent[], t0: number): LayerTime[] => {
      const byLayer = new Map<string, LayerTime>();
      for (const e of events) {
        if (e.severity === 'info') continue;
        const layer = e.layer === 'trusted_types' ? 'csp_report' : e.layer;
        const s = secondsBetween(t0, e.seen_at.getTime());
        const had = byLayer.get(layer);
        if (!had || s < had.detected_s) byLayer.set(layer, { layer, severity: e.severity, detected_s: Math.max(0, s) });
      }
      return [...byLayer.values()].sort((a, b) => a.detected_s - b.detected_s);
    };
    const firstContained = (events: readonly SeenEvent[]) => {
      const t = events.map((e) => e.contained_at?.getTime()).filter((x): x is number => x !== undefined);
      return t.length ? Math.min(...t) : null;
    };

    async function runOnce(scenario: AttackScenario, rep: number): Promise<ScenarioRun> {
      // Phase 1: tamper, no buyer; the schedules find it.
      resumeAll();
      const t0 = Date.now();
      const since = new Date(t0 - 50);
      const undo = await scenario.inject({ database, tenantId, tree: signedTree, platform: tamperedPlatform, app: cleanApp, productCode, log });
      const deadline = t0 + (monitorIntervalMinutes * 60 + 180) * 1000;
      const walkedBoth = () => (['desktop', 'mobile'] as const).every((p) => walks.some((w) => w.profile === p && w.startedAt >= t0));
      const verified = () => passes.some((p) => p.startedAt >= t0);
      while (Date.now() < deadline && !(walkedBoth() && verified())) await sleep(250);
      await sleep(500);
      let dead_mans_switch_s: number | null = null;
      if (scenario.stopsVerifier) {
        // The attacker stops the verifier it could not silence.
        await verifierGate.pause();
        const stoppedAt = Date.now();
        watching = true;
        const limit = stoppedAt + (2 * verifierIntervalS + 180) * 1000;
        let dms: SeenEvent | undefined;
        while (Date.now() < limit && !dms) {
          dms = (await eventsSince(database, tenantId, new Date(stoppedAt))).find((e) => e.layer === 'dead_mans_switch');
          if (!dms) await sleep(500);
        }
        watching = false;
        if (dms) dead_mans_switch_s = secondsBetween(stoppedAt, dms.seen_at.getTime());
      }
      await pauseAll();
      const unseenEvents = await eventsSince(database, tenantId, since);
      const unseen = layerTimes(unseenEvents, t0);
      const contained = firstContained(unseenEvents);
      const monitorCritical = unseenEvents.filter((e) => e.layer === 'browser_monitor' && e.severity === 'critical').map((e) => e.seen_at.getTime());
      const verifierAt = unseenEvents.filter((e) => e.layer === 'build_verifier').map((e) => e.seen_at.getTime());
      const verifier_s = verifierAt.length ? Math.max(0, secondsBetween(t0, Math.min(...verifierAt))) : null;
      const detectedAt = unseen.length ? unseen[0]!.detected_s : null;

      // Phase 2: a buyer loads the tampered page (schedules paused, protection reset).
      let buyer_layers: string[] = [];
      let load_contained_s: number | null = null;
      if (scenario.page && browser) {
        await resetProtection(database);
        await sleep(300);
        const tB = Date.now();
        const then = scenario.buyerAction;
        // A tampered page can break the buyer's path (a form gone, a step that never loads): the layers are still measured.
        await buyerVisit(browser, tamperedUrl, { profile: scenario.buyerProfile, password: DEMO_PASSWORD, then }).catch((error: unknown) =>
          console.log(`  ${scenario.id}: the buyer's visit stopped early: ${String(error).split('\n')[0]}`),
        );
        const load = requestLog.find((r) => r.at >= tB && scenario.page!.test(r.path));
        await (async () => {
          for (let i = 0; i < 150 && !(await cardsStopped(database, tenantId)); i++) await sleep(100);
        })();
        const events = await eventsSince(database, tenantId, new Date(tB - 50));
        buyer_layers = detectingLayers(events);
        const stop = firstContained(events);
        load_contained_s = load && stop !== null ? Math.max(0, secondsBetween(load.at, stop)) : null;
      }

      // Restore for the next repetition; late browser reports are acknowledged too.
      await undo();
      tamperState.html = null;
      signedTree.restore();
      await sleep(500);
      await resetProtection(database);
      const run: ScenarioRun = {
        unseen_layers: unseen,
        detected_s: detectedAt,
        contained_s: contained === null ? null : Math.max(0, secondsBetween(t0, contained)),
        monitor_s: monitorCritical.length ? Math.max(0, secondsBetween(t0, Math.min(...monitorCritical))) : null,
        verifier_s,
        verifier_to_contained_s: verifierAt.length && contained !== null ? Math.max(0, secondsBetween(Math.min(...verifierAt), contained)) : null,
        buyer_layers,
        load_contained_s,
        dead_mans_switch_s,
      };
      console.log(
        `  ${scenario.id} #${rep + 1}: unseen ${unseen.map((l) => `${l.layer} ${l.detected_s}s`).join(', ') || 'nothing'}; stop ${run.contained_s ?? '—'}s` +
          (scenario.page ? `; buyer ${buyer_layers.join('+') || 'nothing'}, load→stop ${load_contained_s ?? '—'}s` : '') +
          (scenario.stopsVerifier ? `; dead-man's switch ${dead_mans_switch_s ?? '—'}s after the verifier stopped` : ''),
      );
      return run;
    }

    const runsById = new Map<string, ScenarioRun[]>();
    for (const scenario of scenarios) {
      console.log(`${scenario.id}. ${scenario.name}`);
      const runs: ScenarioRun[] = [];
      for (let rep = 0; rep < reps; rep++) runs.push(await runOnce(scenario, rep));
      runsById.set(scenario.id, runs);
      loadAverages.push(os.loadavg());
    }

    // False alarms: the unchanged shop walked again and again, the verifier running beside it.
    let falseAlarms: FalseAlarmResult | null = null;
    if (walkCount > 0) {
      await monitorGate.pause();
      verifierGate.resume();
      await resetProtection(database);
      const since = new Date();
      let clean = 0;
      let failed = 0;
      let deviating = 0;
      const durations: number[] = [];
      const samples: string[] = [];
      for (let i = 0; i < walkCount; i++) {
        const profile: MonitorProfile = i % 2 === 0 ? 'desktop' : 'mobile';
        const walk = await runMonitorWalk(monitorSettings(tamperedUrl), { tenantId, profile, reason: 'bench-false-alarms' });
        durations.push(walk.durationMs / 1000);
        const outcome = walk.judgement?.outcome ?? 'failed';
        if (outcome === 'clean') clean++;
        else if (outcome === 'deviation') {
          deviating++;
          if (samples.length < 20) samples.push(`${profile} walk ${i + 1}: ${walk.judgement!.diff.deviations.map((d) => d.summary).join(' / ')}`);
        } else {
          failed++;
          if (samples.length < 20) samples.push(`${profile} walk ${i + 1} ${outcome}: ${walk.error ?? ''}`);
        }
        if ((i + 1) % 50 === 0) console.log(`  false alarms: ${i + 1}/${walkCount} walks (deviating ${deviating}, failed ${failed})`);
      }
      await verifierGate.pause();
      const events = (await eventsSince(database, tenantId, since)).filter((e) => e.severity !== 'info');
      const otherLayers = events.filter((e) => e.layer !== 'browser_monitor');
      for (const e of otherLayers.slice(0, 10)) samples.push(`event ${e.severity}:${e.layer}:${e.kind}`);
      falseAlarms = {
        walks: walkCount,
        clean_walks: clean,
        failed_walks: failed,
        deviating_walks: deviating,
        events: events.length,
        false_alarms: deviating + otherLayers.length,
        walk_s: { median: median(durations), max: worst(durations) },
        samples,
      };
      loadAverages.push(os.loadavg());
    }

    const walkDurations = [...walks.map((w) => w.durationMs / 1000)];
    const targets: DetectTargets = {
      ...DEFAULT_TARGETS,
      monitorIntervalS: monitorIntervalMinutes * 60,
      walkS: round(Math.max(0, ...walkDurations, falseAlarms?.walk_s.max ?? 0)),
    };
    const summaries = scenarios.map((s) => summariseScenario(s, runsById.get(s.id) ?? [], targets, transport));
    const result = {
      transport,
      targets,
      scenarios: summaries,
      walks: falseAlarms?.walks ?? 0,
      false_alarms: falseAlarms?.false_alarms ?? null,
      false_alarm_detail: falseAlarms,
      environment: {
        base_urls: { clean: cleanUrl, tampered: tamperedUrl },
        ...(ca ? { test_ca_spki_sha256: ca.spkiSha256 } : {}),
        load_average_1m: loadAverages.map((l) => round(l[0]!)),
        scheduled_walks: walks.length,
        scheduled_walk_s: { median: median(walkDurations), max: worst(walkDurations) },
        verifier_passes: passes.length,
        verifier_pass_s: { median: median(passes.map((p) => (p.finishedAt - p.startedAt) / 1000)), max: worst(passes.map((p) => (p.finishedAt - p.startedAt) / 1000)) },
      },
    };
    return { ...result, all_targets_met: transportRunMet(result) };
  } finally {
    unregisterSettingsChange();
    setSettingsChangeWalkRequester(null);
    stopVerifierLoop = true;
    await verifierLoop?.catch(() => undefined);
    await queue?.stop().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await clean?.close();
    await tampered?.close();
    tree?.remove();
    for (const listener of listeners) await listener.close();
    ca?.remove();
    await drop();
  }
}

const runs: TransportRun[] = [];
const dir = path.join(ROOT, 'bench/results');
const file = path.join(dir, detectFileName(started));
for (const transport of transports) {
  runs.push(await runTransport(transport));
  const report = combineRuns(
    {
      at: started.toISOString(),
      db: dbKind,
      repetitions: reps,
      monitor_interval_s: monitorIntervalMinutes * 60,
      verifier_interval_s: verifierIntervalS,
      environment: { node: process.version, cpus: os.cpus().length, chromium: '/usr/bin/chromium' },
      notes: [
        'Each transport runs on its own database, instances and approved baselines (over HTTPS the headers differ: HSTS, upgrade-insecure-requests, __Host- cookies).',
        'HTTPS: a CA generated for the run with the openssl CLI signs a certificate for 127.0.0.1; Chromium accepts that server key through --ignore-certificate-errors-spki-list (verification stays on for any other certificate).',
        'One process runs the monitor for one shop; with more shops per process the walks of a tick run one after another.',
        'The walk in the unseen-detection target is the longest walk observed in that transport\'s run.',
      ],
    },
    runs,
  );
  // Written after each transport: an interrupted run keeps what it measured.
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${formatTransportTable(runs.at(-1)!, reps)}\n\nwritten ${path.relative(ROOT, file)}`);
  // Both tables together at the end, with the verdict over both.
  if (runs.length === transports.length && transports.length > 1) console.log(`\n${formatDetectTable(report)}`);
}
