import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-credentials.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { sanitizeDescription } from '../../src/domains/catalog/description-sanitizer.ts';
import { processProductImage } from '../../src/domains/media/image-upload.process.ts';
import type { MonitorProfile } from '../../src/domains/monitor/monitor.tables.ts';
import { DEVELOPMENT_PROVIDER_HOSTS } from '../../src/domains/payments/provider-hosts.ts';
import { registerSettingsChangeHandler, setSettingsChangeWalkRequester } from '../../src/domains/security/settings-change.events.ts';
import { checkVerifierHeartbeat } from '../../src/domains/security/verifier-heartbeat.service.ts';
import { type MonitorRunSettings, runMonitorWalk } from '../../src/monitor/monitor-walk.run.ts';
import type { SessionCache } from '../../src/monitor/shop-walk.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Platform } from '../../src/platform/http/platform.ts';
import { StaticAssets } from '../../src/platform/http/static-assets.ts';
import { createLogger } from '../../src/platform/log/logger.ts';
import { ROUTES } from '../../src/web/routes.ts';
import { launchChromium } from '../chromium.ts';
import { createTestApp } from '../test-app.ts';
import { createTestDatabase } from '../test-database.ts';
import {
  buyerVisit,
  cardsStopped,
  dbNow,
  detectingLayers,
  eventsSince,
  firstProductCode,
  listen,
  MONITOR_EMAIL,
  resetProtection,
  SHOP,
  SignedTree,
  tamperPlugin,
  tamperState,
  timingOf,
  until,
} from './attack-harness.ts';
import { type AttackScenario, attackScenario, cloakedServes, IMAGE_PAYLOAD, SVG_PAYLOAD } from './attack-scenarios.ts';

/**
 * BRIEF's attack catalogue against a running Oroshi (issue 7, item 8). Each scenario (its tampering
 * defined once in attack-scenarios.ts, which `npm run bench:detect` replays too) tampers the way
 * an attacker would — files on disk (checked by the real verifier over a signed copy of the
 * tree and of one production dependency), database texts written directly as the owner, settings
 * through a taken-over staff session, and what the restarted process then sends (a second app
 * instance on the same database) — then lets the ordinary traffic happen at once: a real buyer's
 * Chromium, the browser monitor's walk and a verifier pass. It asserts that at least two
 * independent layers raised the deviation and that card payments for the shop stopped, and prints
 * the seconds from tampering to detection and to containment, and what the traffic cost.
 */

const log = createLogger('silent');
let database: Database;
let clean: FastifyInstance;
let tampered: FastifyInstance;
let tamperedPlatform: Platform;
let cleanUrl: string;
let tamperedUrl: string;
let tenantId: string;
/** The product the buyer and the monitor open (the first link on the shop's home). */
let productCode: string;
let browser: Browser;
let tree: SignedTree;
const sessions: SessionCache = new Map();
const walkRequests: { tenantId: string; reason: string }[] = [];
let unregisterSettingsChange: () => void = () => undefined;
const timings: { id: string; name: string; layers: string[]; detected_s: number | null; contained_s: number | null }[] = [];

function monitorSettings(url: string): MonitorRunSettings {
  return {
    database,
    log,
    config: { BASE_DOMAIN: undefined, pathTenants: true, baseOrigin: url, CHROMIUM_PATH: '/usr/bin/chromium', APP_ENV: 'test' },
    platformUrl: url,
    credentials: { email: MONITOR_EMAIL, password: DEMO_PASSWORD },
    sessions,
    autoApproveFirstBaseline: true,
  };
}

/** Seconds each kind of traffic took in the current scenario (printed with it: the suite must stay bounded). */
const spent = new Map<string, number>();
async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    spent.set(what, (spent.get(what) ?? 0) + (performance.now() - started) / 1000);
  }
}

const monitorWalk = (profile: MonitorProfile = 'desktop', url = tamperedUrl) =>
  timed('walk', () => runMonitorWalk(monitorSettings(url), { tenantId, profile, reason: 'attack-suite' }));
const buyer = (profile: MonitorProfile = 'desktop', then?: Parameters<typeof buyerVisit>[2]['then']) =>
  timed('buyer', () => buyerVisit(browser, tamperedUrl, { profile, password: DEMO_PASSWORD, then }));
const verify = () => timed('verify', () => tree.verify(database));

beforeAll(async () => {
  database = await createTestDatabase();
  const built = await createTestApp(database);
  clean = built.app;
  await seedDemo(database, built.platform.secrets, log);
  cleanUrl = await listen(clean);
  const second = await createTestApp(database, { routes: [tamperPlugin(database), ...ROUTES] });
  tampered = second.app;
  tamperedPlatform = second.platform;
  tamperedUrl = await listen(tampered);
  tenantId = String((await database.ownerExec(`SELECT id FROM tenants WHERE slug = $1`, [SHOP])).rows[0]!.id);
  productCode = await firstProductCode(clean, DEMO_PASSWORD);
  browser = await launchChromium();
  tree = new SignedTree();
  // Both processes verified the signed build at start; the tampered one serves files the manifest never signed.
  built.platform.signedAssetHashes = tree.signedAssetHashes();
  tamperedPlatform.signedAssetHashes = tree.signedAssetHashes();
  // The jobs process's wiring of setting changes (src/background/jobs.ts): events, and a walk request.
  unregisterSettingsChange = registerSettingsChangeHandler(DEVELOPMENT_PROVIDER_HOSTS);
  setSettingsChangeWalkRequester(async (id, reason) => {
    walkRequests.push({ tenantId: id, reason });
  });
  // The approved baselines: one walk per profile of the unchanged site.
  for (const first of await traffic(monitorWalk('desktop', cleanUrl), monitorWalk('mobile', cleanUrl))) {
    if (first.error) throw new Error(`baseline walk failed: ${first.error}`);
  }
}, 240_000);

afterAll(async () => {
  console.info(`attack suite timings:\n${timings.map((t) => `  ${t.id}. ${t.name}: layers ${t.layers.join('+')} · detected ${t.detected_s}s · contained ${t.contained_s}s`).join('\n')}`);
  unregisterSettingsChange();
  setSettingsChangeWalkRequester(null);
  await browser?.close();
  await clean?.close();
  await tampered?.close();
  await database?.close();
  tree?.remove();
});

beforeEach(async () => {
  tamperState.html = null;
  tamperState.requests = [];
  spent.clear();
  walkRequests.length = 0;
  tree.restore();
  await resetProtection(database);
});

/**
 * The ordinary traffic of a scenario, at once, as it happens in production: a buyer's browser, the
 * monitor's walk and the verifier's pass are independent of each other.
 */
function traffic<T extends unknown[]>(...work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  return Promise.all(work) as Promise<T>;
}

/** The tampering of the last `attack()`, undone after the test (the signed tree and `tamperState` are reset before each). */
let undoAttack: (() => Promise<void>) | null = null;

afterEach(async () => {
  await undoAttack?.();
  undoAttack = null;
});

/** Applies a catalogue scenario's tampering (attack-scenarios.ts: the definition bench:detect replays too). */
async function attack(id: string): Promise<AttackScenario> {
  const scenario = attackScenario(id);
  undoAttack = await scenario.inject({ database, tenantId, tree, platform: tamperedPlatform, app: clean, productCode, log });
  return scenario;
}

/** The buyer of a scenario: its profile, doing what the scenario's buyer does on the tampered page. */
const buyerOf = (scenario: AttackScenario) => buyer(scenario.buyerProfile, scenario.buyerAction);

/** What a scenario must show: its layers, and how many in all (at least two). */
interface Expected {
  id: string;
  name: string;
  layers: readonly string[];
  minLayers?: number;
}

/** The common ending: the scenario's layers (at least two), cards stopped, timing printed. */
async function expectCaught(scenario: AttackScenario, since: Date): Promise<string[]>;
/** The same for a scenario written out in this file (its own number, name and required layers). */
async function expectCaught(id: number, name: string, since: Date, options?: { atLeast?: number; mustInclude?: string[] }): Promise<string[]>;
async function expectCaught(
  first: AttackScenario | number,
  second: Date | string,
  third?: Date,
  options: { atLeast?: number; mustInclude?: string[] } = {},
): Promise<string[]> {
  const expected: Expected =
    typeof first === 'number' ? { id: String(first), name: String(second), layers: options.mustInclude ?? [], minLayers: options.atLeast } : first;
  const since = (typeof first === 'number' ? third : second) as Date;
  const atLeast = Math.max(2, expected.minLayers ?? 2);
  await until(async () => detectingLayers(await eventsSince(database, tenantId, since)).length >= atLeast, 3000);
  const events = await eventsSince(database, tenantId, since);
  const layers = detectingLayers(events);
  const timing = timingOf(events, since);
  timings.push({ id: expected.id, name: expected.name, layers, ...timing });
  const took = [...spent].map(([what, seconds]) => `${what} ${seconds.toFixed(1)}s`).join(' ');
  console.info(
    `${expected.id}. ${expected.name}: layers ${layers.join('+')} · detected ${timing.detected_s}s · contained ${timing.contained_s}s · ${took} · ${[...new Set(events.map((e) => `${e.severity}:${e.layer}:${e.kind}`))].join(', ')}`,
  );
  expect(layers.length, `layers: ${layers.join(',')}`).toBeGreaterThanOrEqual(atLeast);
  for (const layer of expected.layers) expect(layers).toContain(layer);
  expect(await cardsStopped(database, tenantId)).toBe(true);
  return layers;
}

describe('attack catalogue', () => {
  it('0. control: unchanged pages walked by buyer, monitor and verifier raise nothing', async () => {
    const since = await dbNow(database);
    const [, , desktop, mobile, pass] = await traffic(buyer('desktop'), buyer('mobile'), monitorWalk('desktop'), monitorWalk('mobile'), verify());
    for (const walk of [desktop, mobile]) {
      expect(walk.error).toBeNull();
      expect(walk.judgement?.outcome, JSON.stringify(walk.judgement?.diff.deviations.map((d) => [d.kind, d.step, d.summary, d.detail]))).toBe('clean');
    }
    expect(pass.problems).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await eventsSince(database, tenantId, since)).toEqual([]);
    expect(await cardsStopped(database, tenantId)).toBe(false);
  }, 120_000);

  it('1. code appended to a first-party JS bundle', async () => {
    const since = await dbNow(database);
    const scenario = await attack('1');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await expectCaught(scenario, since);
  }, 120_000);

  it('2. external <script> injected through a DB-stored text (product description, bypassing the sanitiser)', async () => {
    const since = await dbNow(database);
    const scenario = await attack('2');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await expectCaught(scenario, since);
  }, 120_000);

  it('3. fake card form on the shop’s own checkout ("payment failed, enter again")', async () => {
    const since = await dbNow(database);
    const scenario = await attack('3');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await expectCaught(scenario, since);
  }, 120_000);

  it('4. redirect hijack: the form that sends the buyer on is pointed at a look-alike', async () => {
    const since = await dbNow(database);
    const scenario = await attack('4');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await expectCaught(scenario, since);
  }, 120_000);

  it('5. exfiltration by image beacon (new Image().src = …?d=)', async () => {
    const since = await dbNow(database);
    const scenario = await attack('5');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await expectCaught(scenario, since);
  }, 120_000);

  it('9. inline handler in an SVG (<svg onload=…>) stored in a description', async () => {
    // Through the shop's editor the sanitiser strips it on write (layer: sanitiser-on-write refusal).
    const sanitised = sanitizeDescription(`<p>説明</p>${SVG_PAYLOAD}`);
    expect('html' in sanitised ? sanitised.html : '').not.toMatch(/onload|<svg/i);
    const since = await dbNow(database);
    // The attacker with database access writes it behind the sanitiser's back.
    const scenario = await attack('9');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await expectCaught(scenario, since);
  }, 120_000);

  it('13. server-side tampering of the payment module on disk (this incident)', async () => {
    const since = await dbNow(database);
    const scenario = await attack('13');
    await traffic(verify(), buyerOf(scenario), monitorWalk('desktop'));
    await expectCaught(scenario, since);
  }, 120_000);

  it('13b. tamper with the verifier itself: caught by the running verifier, and its silence by the dead-man’s switch', async () => {
    const since = await dbNow(database);
    const scenario = await attack('13b');
    const pass = await verify();
    expect(pass.raised.map((r) => r.severity)).toContain('critical');
    const kinds = (await eventsSince(database, tenantId, since)).map((e) => e.kind);
    expect(kinds).toContain('build.verifier-tampered');
    // The attacker then stops the verifier: no heartbeat for two intervals.
    await database.ownerExec(`UPDATE verifier_heartbeats SET checked_at = now() - interval '5 minutes'`);
    await checkVerifierHeartbeat(database, { intervalSeconds: 30, since: new Date(Date.now() - 3_600_000) });
    await expectCaught(scenario, since);
  }, 60_000);

  it('12. cloaked skimmer: checkout only, mobile only, skips the monitor’s identity and headless browsers', async () => {
    const since = await dbNow(database);
    const scenario = await attack('12');
    const walk = await monitorWalk('mobile');
    expect(walk.judgement?.outcome).toBe('clean');
    expect(cloakedServes.monitor).toBeGreaterThan(0);
    await traffic(buyerOf(scenario), verify());
    expect(cloakedServes.buyer).toBeGreaterThan(0);
    const layers = await expectCaught(scenario, since);
    expect(layers).not.toContain('browser_monitor');
  }, 120_000);

  it('15. security headers weakened or removed (CSP dropped / unsafe-inline / moved to <meta>)', async () => {
    const since = await dbNow(database);
    tree.tamper('src/platform/http/security-headers.ts', (src) => `${src}\n// moved CSP to <meta>, added 'unsafe-inline'\n`);
    tamperState.html = (html, ctx, reply) => {
      if (!ctx.path.endsWith('/checkout')) return html;
      const csp = String(reply.getHeader('content-security-policy') ?? '');
      reply.removeHeader('content-security-policy');
      const weakened = csp.replace(/script-src [^;]*/, "script-src 'self' 'unsafe-inline'").replace(/;\s*report-uri [^;]*/, '');
      return html.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${weakened.replace(/"/g, '&quot;')}">`);
    };
    await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
    await expectCaught(15, 'security headers weakened', since, { mustInclude: ['browser_integrity', 'browser_monitor', 'build_verifier'] });
  }, 120_000);

  it('6. exfiltration through an allowed endpoint: the page’s own origin (the only one the CSP allows)', async () => {
    const since = await dbNow(database);
    const scenario = await attack('6');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    expect(tamperState.requests.some((u) => u.startsWith('/assets/px.gif?d=')), 'the skimmer ran and its beacon reached the allowed origin').toBe(true);
    const layers = await expectCaught(scenario, since);
    // The CSP has nothing to object to: the other two layers caught it.
    expect(layers).not.toContain('csp_report');
  }, 120_000);

  it('7. exfiltration over WebSocket', async () => {
    const since = await dbNow(database);
    const scenario = await attack('7');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await expectCaught(scenario, since);
    const kinds = (await eventsSince(database, tenantId, since)).map((e) => e.kind);
    expect(kinds).toContain('csp.connect-src');
  }, 120_000);

  it('8. payload hidden in an image and eval’ed by a small loader', async () => {
    // Through the catalog's upload the image is re-encoded to pixels: nothing rides along (layer: re-encode on write).
    const carrier = Buffer.concat([await sharp({ create: { width: 32, height: 32, channels: 3, background: '#c33' } }).png().toBuffer(), Buffer.from(IMAGE_PAYLOAD)]);
    const processed = await processProductImage(carrier);
    expect(processed.renditions.every((r) => !r.body.includes(Buffer.from('/*P*/')))).toBe(true);
    const since = await dbNow(database);
    // So the attacker plants it in an image on disk, and a loader in the bundle fetches it and evals the tail.
    const scenario = await attack('8');
    const imageUrl = new StaticAssets(tree.file('static/')).url('demo/apron.webp');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    expect(tamperState.requests).toContain(imageUrl);
    await expectCaught(scenario, since);
  }, 120_000);

  it('10. payload carried in a stylesheet', async () => {
    const since = await dbNow(database);
    const scenario = await attack('10');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await expectCaught(scenario, since);
    // The monitor saw the stylesheet itself change, not only the CSP violations it caused.
    const monitor = (await eventsSince(database, tenantId, since)).filter((e) => e.layer === 'browser_monitor');
    expect(monitor.map((e) => `${e.severity}:${e.kind}`)).toContainEqual(expect.stringMatching(/^critical:walk\.stylesheet-(added|changed)$/));
  }, 120_000);

  it('11. a trusted dependency turned malicious (supply chain: the HTML renderer)', async () => {
    const since = await dbNow(database);
    const scenario = await attack('11');
    await traffic(buyerOf(scenario), monitorWalk('desktop'), verify());
    await until(async () => (await eventsSince(database, tenantId, since)).some((e) => e.layer === 'egress'));
    await expectCaught(scenario, since);
    const kinds = (await eventsSince(database, tenantId, since)).map((e) => `${e.layer}:${e.kind}`);
    expect(kinds).toContain('egress:egress.blocked');
  }, 120_000);

  it('14. admin account taken over, then a malicious setting (the payment provider pointed at a look-alike)', async () => {
    const since = await dbNow(database);
    // The taken-over admin's session saves the setting; the outbox delivers the change (walk requested).
    const scenario = await attack('14');
    expect(walkRequests).toContainEqual({ tenantId, reason: 'settings:payments.provider_key_set' });
    await verify();
    await expectCaught(scenario, since);
  }, 120_000);
});
