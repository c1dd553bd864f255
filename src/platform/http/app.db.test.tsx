import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ComponentChildren } from 'preact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { ROUTES } from '../../web/routes.ts';
import type { Database } from '../db/database.ts';
import { withPlatform, withTenant } from '../db/tenant-scope.ts';
import { CsrfField, Layout } from '../views/layout.tsx';
import { unsafeRawHtml } from '../views/raw-html.ts';
import type { RouteModule } from './app.ts';
import { inShop } from './request-scope.ts';
import { loadApprovedScripts, sha384Of } from './script-inventory.ts';
import { StaticAssets } from './static-assets.ts';

let database: Database;
let app: FastifyInstance;
let mallId: string;

// A fixture static dir with one script, so inventory behaviour is tested without the real files.
const fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-static-'));
fs.mkdirSync(path.join(fixtureDir, 'css'));
fs.mkdirSync(path.join(fixtureDir, 'js'));
fs.writeFileSync(path.join(fixtureDir, 'css/app.css'), 'body{}');
fs.writeFileSync(path.join(fixtureDir, 'js/good.js'), 'document.documentElement.dataset.good = "1";');
fs.writeFileSync(path.join(fixtureDir, 'js/altered.js'), 'console.log("approved version");');
const fixtureAssets = new StaticAssets(fixtureDir);
const inventory = [
  { id: 'postal-fill' as const, file: 'js/good.js', purpose: 'test', owner: 'test', pages: ['test-checkout'], sha384: sha384Of('document.documentElement.dataset.good = "1";') },
  { id: 'altered' as never, file: 'js/altered.js', purpose: 'test', owner: 'test', pages: ['test-checkout'], sha384: sha384Of('console.log("the approved bytes were different");') },
];

const testRoutes: RouteModule = (a) => {
  const page = (body: ComponentChildren) => <Layout title="t" brand={{ name: 'T', href: '/' }} stylesheetUrl="/assets/css/app.css">{body}</Layout>;
  a.get('/test/approved-script', (_req, reply) => reply.page(page(<p>ok</p>), { page: 'test-checkout', scripts: ['postal-fill'] }));
  a.get('/test/uninventoried', (_req, reply) => reply.page(page(<p>x</p>), { page: 'test-checkout', scripts: ['altered' as never] }));
  a.get('/test/injected-script', (_req, reply) =>
    reply.page(page(unsafeRawHtml('<p>promo</p><script src="https://evil.example/skim.js"></script>', 'trusted-markup')), { page: 'test-checkout' }),
  );
  a.get('/test/inline-handler', (_req, reply) =>
    reply.page(page(unsafeRawHtml('<svg onload="fetch(1)"></svg>', 'trusted-markup')), { page: 'test-checkout' }),
  );
  a.get('/test/crash', () => {
    throw new Error('db password hunter2 at /work/main/src/secret.ts:12');
  });
  a.get('/s/:shop/test/form', async (request, reply) => {
    await inShop(a.platform, request, async () => undefined);
    return reply.page(page(<form method="post"><CsrfField token={request.csrfToken()} /></form>), { page: 'test-form' });
  });
  a.post('/s/:shop/test/form', async (request, reply) => {
    await inShop(a.platform, request, ({ tx, tenant }) => tx.insertInto('outbox').values({ tenant_id: tenant.id, kind: 'test.write', payload: {} }).execute());
    return reply.status(204).send();
  });
};

declare module 'fastify' {
  interface FastifyInstance {
    platform: import('./platform.ts').Platform;
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  const built = await createTestApp(database, {
    routes: [
      (a, p) => {
        a.decorate('platform', p);
      },
      ...ROUTES,
      testRoutes,
    ],
    platform: (p) => ({ ...p, assets: fixtureAssets, scripts: loadApprovedScripts(fixtureAssets, inventory).approved }),
  });
  app = built.app;
  mallId = (await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').where('slug', '=', 'mall').executeTakeFirstOrThrow())).id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const countWrites = () => withTenant(database, mallId, (tx) => tx.selectFrom('outbox').where('kind', '=', 'test.write').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).then((r) => Number(r.n));

describe('security headers on every kind of route', () => {
  const routes = [
    ['platform page', '/', 200, 'html'],
    ['shop page', '/s/mall/', 200, 'html'],
    ['shop legal page', '/s/mall/legal', 200, 'html'],
    ['unknown shop', '/s/no-such-shop/', 404, 'html'],
    ['unknown path', '/nothing/here', 404, 'html'],
    ['asset', fixtureAssets.url('css/app.css'), 200, 'other'],
    ['health JSON', '/healthz', 200, 'other'],
    ['machine endpoint error', '/hooks/csp-report', 404, 'other'],
  ] as const;

  it.each(routes)('%s', async (_name, url, status, kind) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
    if (kind === 'html') {
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/script-src ('sha384-[A-Za-z0-9+/=]+' ?)+|script-src 'none'/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("require-trusted-types-for 'script'");
      expect(csp).toMatch(/report-uri \S*\/hooks\/csp-report\?page=/);
      expect(csp).not.toContain('report-to');
      expect(res.body).not.toMatch(/<meta[^>]+http-equiv/i);
    } else {
      expect(csp).toContain("default-src 'none'");
    }
  });
});

describe('script inventory', () => {
  it('serves an approved script with SRI and exactly its hash in the CSP', async () => {
    const res = await app.inject({ url: '/test/approved-script' });
    expect(res.statusCode).toBe(200);
    const good = fixtureAssets.get('js/good.js');
    expect(res.body).toContain(`<script src="${good.url}" integrity="${good.sha384}" crossorigin="anonymous" defer></script>`);
    expect(res.headers['content-security-policy']).toContain(`script-src '${good.sha384}';`);
  });

  it('refuses a page whose script was altered after approval', async () => {
    const res = await app.inject({ url: '/test/uninventoried' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('altered');
  });

  it('refuses a page that carries an uninventoried script tag', async () => {
    const res = await app.inject({ url: '/test/injected-script' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('evil.example');
  });

  it('refuses a page that carries an inline event handler', async () => {
    const res = await app.inject({ url: '/test/inline-handler' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('onload');
  });
});

describe('CSRF', () => {
  async function formSession() {
    const res = await app.inject({ url: '/s/mall/test/form' });
    return csrfFrom(res);
  }

  it('refuses a POST without a token and changes nothing', async () => {
    const before = await countWrites();
    const { cookie } = await formSession();
    const res = await app.inject({ method: 'POST', url: '/s/mall/test/form', headers: { cookie }, payload: { note: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(await countWrites()).toBe(before);
  });

  it('refuses a wrong token, a token without its cookie, and a cross-site request', async () => {
    const before = await countWrites();
    const { cookie, token } = await formSession();
    const other = await formSession();
    const wrong = await app.inject({ method: 'POST', url: '/s/mall/test/form', headers: { cookie }, payload: { _csrf: other.token } });
    const noCookie = await app.inject({ method: 'POST', url: '/s/mall/test/form', payload: { _csrf: token } });
    const crossSite = await app.inject({
      method: 'POST',
      url: '/s/mall/test/form',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
      payload: { _csrf: token },
    });
    const foreignOrigin = await app.inject({
      method: 'POST',
      url: '/s/mall/test/form',
      headers: { cookie, origin: 'https://evil.example', host: 'localhost:3000' },
      payload: { _csrf: token },
    });
    expect([wrong.statusCode, noCookie.statusCode, crossSite.statusCode, foreignOrigin.statusCode]).toEqual([403, 403, 403, 403]);
    expect(await countWrites()).toBe(before);
  });

  it('accepts the right token and writes', async () => {
    const before = await countWrites();
    const { cookie, token } = await formSession();
    const res = await app.inject({ method: 'POST', url: '/s/mall/test/form', headers: { cookie, 'sec-fetch-site': 'same-origin' }, payload: { _csrf: token } });
    expect(res.statusCode).toBe(204);
    expect(await countWrites()).toBe(before + 1);
  });
});

describe('error pages leak nothing', () => {
  it('500 shows a reference, not the error', async () => {
    const res = await app.inject({ url: '/test/crash' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('エラーが発生しました');
    expect(res.body).toContain(String(res.headers['x-request-id']));
    expect(res.body).not.toMatch(/hunter2|\/work\/|secret\.ts|at .*:\d+|Error:/);
  });

  it('404 is a Japanese page without internals', async () => {
    const res = await app.inject({ url: '/s/mall/../../etc/passwd' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('見つかりません');
    expect(res.body).not.toMatch(/\/work\/|node_modules|at .*:\d+/);
  });

  it('malformed JSON to a machine endpoint is a 400 with a message', async () => {
    const res = await app.inject({ method: 'POST', url: '/hooks/csp-report', headers: { 'content-type': 'application/csp-report' }, payload: '{"csp-report": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBeTruthy();
  });
});

describe('CSP report intake', () => {
  const report = (doc: string) => ({
    'csp-report': {
      'document-uri': doc,
      'violated-directive': 'script-src-elem',
      'effective-directive': 'script-src-elem',
      'blocked-uri': 'https://evil.example/skim.js',
      disposition: 'enforce',
    },
  });
  const storedFor = (tenantId: string) => withTenant(database, tenantId, (tx) => tx.selectFrom('csp_reports').selectAll().execute());

  it('stores a shop page report under that shop', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/s/mall/hooks/csp-report?page=checkout',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify(report('http://localhost/s/mall/checkout')),
    });
    expect(res.statusCode).toBe(204);
    const rows = await storedFor(mallId);
    expect(rows.some((r) => r.page === 'checkout' && r.blocked_uri === 'https://evil.example/skim.js')).toBe(true);
  });

  it('rejects what is not a report, and oversized bodies, storing nothing', async () => {
    const before = (await storedFor(mallId)).length;
    const notReport = await app.inject({ method: 'POST', url: '/s/mall/hooks/csp-report', headers: { 'content-type': 'application/csp-report' }, payload: '{"hello":1}' });
    const huge = await app.inject({
      method: 'POST',
      url: '/s/mall/hooks/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify(report('x'.repeat(20_000))),
    });
    const wrongType = await app.inject({ method: 'POST', url: '/s/mall/hooks/csp-report', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect([notReport.statusCode, huge.statusCode, wrongType.statusCode]).toEqual([400, 413, 400]);
    expect((await storedFor(mallId)).length).toBe(before);
  });
});
