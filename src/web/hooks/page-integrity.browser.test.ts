import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { h } from 'preact';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.ts';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { cardKillState } from '../../domains/payments/card-kill-switch.service.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import type { RouteModule } from '../../platform/http/app.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { registerShopRoutes } from '../../platform/http/shop-routes.ts';
import { Layout } from '../../platform/views/layout.tsx';
import { ROUTES } from '../routes.ts';

let database: Database;
let app: FastifyInstance;
let browser: Browser;
let origin: string;
let mallId: string;
let platform: Platform;

/**
 * Protected pages as served, and as a tampered process or proxy would serve them: the CSP header
 * dropped, or replaced by a weaker one in <meta>. Each is a real protected page id ('checkout').
 */
const testPages: RouteModule = (a, platform) =>
  registerShopRoutes(a, platform, (shopApp) => {
    const page = (title: string) => h(Layout, { title, brand: { name: 'T', href: '/' }, stylesheetUrl: platform.assets.url('css/app.css'), children: h('p', null, title) });
    shopApp.get('/test/served', (_req, reply) => reply.page(page('served'), { page: 'checkout' }));
    shopApp.get(
      '/test/csp-dropped',
      {
        onSend: async (_req, reply, payload) => {
          reply.removeHeader('content-security-policy');
          return payload;
        },
      },
      (_req, reply) => reply.page(page('dropped'), { page: 'checkout' }),
    );
    shopApp.get(
      '/test/csp-in-meta',
      {
        onSend: async (_req, reply, payload) => {
          const csp = String(reply.getHeader('content-security-policy') ?? '');
          reply.removeHeader('content-security-policy');
          const weakened = csp.replace(/script-src [^;]*/, "script-src 'self' 'unsafe-inline'").replace(/;\s*report-uri [^;]*/, '');
          return typeof payload === 'string' ? payload.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${weakened}">`) : payload;
        },
      },
      (_req, reply) => reply.page(page('meta'), { page: 'checkout' }),
    );
  });

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database, { routes: [...ROUTES, testPages] }));
  // As main.ts does once the build manifest is signed: the signed SHA-256 of every static file.
  platform.signedAssetHashes = new Map(platform.assets.all().map((a) => [a.logicalPath, createHash('sha256').update(a.body).digest('hex')]));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  origin = address.replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
  mallId = (await database.ownerExec(`SELECT id FROM tenants WHERE slug = 'mall'`)).rows[0]!.id as string;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});
beforeEach(async () => {
  // Each case sees only its own events and starts with cards allowed.
  await database.ownerExec(`UPDATE security_events SET acknowledged_at = now(), acknowledgement = 'next case' WHERE acknowledged_at IS NULL`);
  await database.ownerExec(`DELETE FROM card_kill_switches`);
});

const integrityEvents = () =>
  database.ownerExec(`SELECT kind, severity, page, tenant_id FROM security_events WHERE layer = 'browser_integrity' AND acknowledged_at IS NULL ORDER BY kind`).then((r) => r.rows as { kind: string; severity: string; page: string; tenant_id: string }[]);

/** Loads a page in real Chromium and waits until its integrity check has asked for the headers and, if it reports, has been answered. */
async function load(path: string): Promise<{ heads: number; reports: number }> {
  const page: Page = await browser.newPage();
  let heads = 0;
  let reports = 0;
  const reported = new Promise<void>((resolve) => {
    page.on('response', (response) => {
      if (response.request().method() === 'HEAD' && response.status() === 200) heads++;
    });
    page.on('requestfinished', (request) => {
      if (request.url().includes('/hooks/page-integrity')) {
        reports++;
        resolve();
      }
    });
  });
  await page.goto(`${origin}${path}`);
  await Promise.race([reported, page.waitForTimeout(3000)]);
  await page.close();
  return { heads, reports };
}

describe('the protected pages’ integrity check in real Chromium', () => {
  it('asks for its page’s headers again and reports nothing for a page as Oroshi serves it', async () => {
    const seen = await load('/s/mall/test/served');
    expect(seen.heads).toBe(1);
    expect(seen.reports).toBe(0);
    expect(await integrityEvents()).toEqual([]);
  });

  it('reports a CSP header dropped on the way: a critical event for the shop and its cards stopped', async () => {
    const seen = await load('/s/mall/test/csp-dropped');
    expect(seen.reports).toBe(1);
    expect(await integrityEvents()).toEqual([{ kind: 'integrity.csp-missing', severity: 'critical', page: 'checkout', tenant_id: mallId }]);
    expect((await withTenant(database, mallId, (tx) => cardKillState(tx, mallId))).engaged).toBe(true);
  });

  it('reports a stylesheet whose bytes are not the signed build’s (a file changed and the process restarted on it)', async () => {
    const signed = platform.signedAssetHashes!;
    platform.signedAssetHashes = new Map([...signed, ['css/app.css', '0'.repeat(64)]]);
    try {
      const seen = await load('/s/mall/test/served');
      expect(seen.reports).toBe(1);
      expect(await integrityEvents()).toEqual([{ kind: 'integrity.asset-unsigned', severity: 'critical', page: 'checkout', tenant_id: mallId }]);
    } finally {
      platform.signedAssetHashes = signed;
    }
  });

  it('reports a CSP moved into <meta> and weakened', async () => {
    await load('/s/mall/test/csp-in-meta');
    expect((await integrityEvents()).map((e) => e.kind)).toEqual(expect.arrayContaining(['integrity.csp-meta', 'integrity.csp-missing']));
  });
});

describe('the report intake', () => {
  it('refuses a malformed report with 400 and raises nothing; a report with nothing wrong in it raises nothing', async () => {
    const before = (await database.ownerExec(`SELECT count(*)::int AS n FROM security_events`)).rows[0]!.n;
    const bad = await app.inject({ method: 'POST', url: '/s/mall/hooks/page-integrity?page=checkout', payload: { url: 1, scripts: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBeTruthy();
    const notJson = await app.inject({ method: 'POST', url: '/s/mall/hooks/page-integrity?page=checkout', headers: { 'content-type': 'application/json' }, payload: '{"url":' });
    expect(notJson.statusCode).toBe(400);
    const clean = await app.inject({ method: 'POST', url: '/s/mall/hooks/page-integrity?page=checkout', payload: { url: `${origin}/s/mall/checkout`, status: 404, headerCsp: null, metaCsp: [], scripts: [] } });
    expect(clean.statusCode).toBe(204);
    expect((await database.ownerExec(`SELECT count(*)::int AS n FROM security_events`)).rows[0]!.n).toBe(before);
  });
});
