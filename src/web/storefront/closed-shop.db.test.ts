import type { FastifyInstance, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoCatalog } from '../../demo/seed-catalog.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { createSession } from '../../domains/auth/session.service.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { ROUTES } from '../routes.ts';

/**
 * The closed shop: every route registered under /s/:shop/ (collected from the real route table,
 * so routes added later are covered without touching this file) is requested anonymously and as
 * salons that this shop has not approved. Only the shop's public door may answer; everything else
 * must redirect to sign-in / the salon's shop list or refuse, and nothing may show a price or stock.
 */

// The only shop paths anyone may see: front door, 特商法 page, the session handoff and sign-out,
// browser CSP reports, public incident notices — and product image files, which are named by
// their content hash (unguessable, no listing; an unknown name is a plain 404) so that browsers
// and shared caches can keep them immutably.
const PUBLIC = [/^\/?$/, /^\/legal$/, /^\/session\/(handoff|sign-out)$/, /^\/hooks\//, /^\/notices(\/|$)/, /^\/media\/:file$/];

// Anything that looks like a price or stock on a member-only answer is a leak.
const MEMBER_MARKERS = [/円/, /在庫/, /data-price/, /data-stock/, /class="price/, /¥\s*\d/, /税込|税抜/];
// Public pages legitimately talk about 価格/在庫 in prose (and the legal page about 送料 in 円, 税抜),
// but never render a product price or stock figure.
const PUBLIC_MARKERS = [/data-price/, /data-stock/, /class="price/];

let database: Database;
let app: FastifyInstance;
let platform: Platform;
const shopRoutes: RouteOptions[] = [];
const shops: Record<string, string> = {};
const cookies: Record<string, string> = {};
const params: Record<string, string> = {};
const CSRF_SECRET = 'closedshopclosedshopclosedshop12';

async function salonWithStatus(label: string, memberships: Record<string, 'applied' | 'approved' | 'rejected' | 'suspended'>): Promise<string> {
  const accountId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const token = await withIdentity(database, { accountId, principalId: userId, audience: 'salon' }, async (tx) => {
    await tx
      .insertInto('salon_accounts')
      .values({
        id: accountId,
        business_type: 'corporation',
        company_name: `株式会社${label}`,
        salon_name: `サロン${label}`,
        representative_name: '代表 太郎',
        postal_code: '1500001',
        prefecture: '東京都',
        city: '渋谷区',
        address_line1: '神宮前1-1-1',
        phone: '03-1234-5678',
        verification_status: 'verified',
      })
      .execute();
    await tx.insertInto('salon_users').values({ id: userId, account_id: accountId, email: `${label}@salon.example`, display_name: label, role: 'owner' }).execute();
    return (await createSession(tx, { audience: 'salon', userId, accountId })).token;
  });
  for (const [slug, status] of Object.entries(memberships)) {
    await withTenant(database, shops[slug]!, (tx) =>
      tx
        .insertInto('memberships')
        .values({ tenant_id: shops[slug]!, account_id: accountId, status, consent_at: new Date(), consent_version: 'test', decided_at: status === 'applied' ? null : new Date() })
        .execute(),
    );
  }
  return `oroshi_session=${token}`;
}

function concretePath(url: string, slug: string): string {
  return url
    .replace('/s/:shop', `/s/${slug}`)
    .replace(/:([A-Za-z_]+)/g, (_, name: string) => params[name] ?? '00000000-0000-4000-8000-000000000000')
    .replace(/\*$/, 'x');
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  await seedDemoCatalog(database);
  const collect = (a: FastifyInstance) => {
    a.addHook('onRoute', (route) => {
      if (route.url.startsWith('/s/:shop')) shopRoutes.push(route);
    });
  };
  ({ app, platform } = await createTestApp(database, { routes: [collect, ...ROUTES] }));
  for (const t of await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).orderBy('sort_order').execute())) shops[t.slug] = t.id;
  // Real values for the catalog's route parameters, so a missing gate would meet real products.
  const [shopA] = Object.keys(shops);
  await withTenant(database, shops[shopA!]!, async (tx) => {
    const product = await sql<{ code: string }>`SELECT code FROM products LIMIT 1`.execute(tx).catch(() => ({ rows: [] }));
    const category = await sql<{ slug: string }>`SELECT slug FROM categories LIMIT 1`.execute(tx).catch(() => ({ rows: [] }));
    if (product.rows[0]) params.code = product.rows[0].code;
    if (category.rows[0]) params.slug = category.rows[0].slug;
  });
  const [a, b] = Object.keys(shops);
  cookies.anonymous = '';
  cookies['never applied'] = await salonWithStatus('never', {});
  cookies.applied = await salonWithStatus('applied', { [a!]: 'applied' });
  cookies.rejected = await salonWithStatus('rejected', { [a!]: 'rejected' });
  cookies.suspended = await salonWithStatus('suspended', { [a!]: 'suspended' });
  cookies['approved by another shop only'] = await salonWithStatus('other', { [b!]: 'approved' });
  cookies.approved = await salonWithStatus('approved', { [a!]: 'approved' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function request(method: string, path: string, cookie: string) {
  const csrfCookie = `oroshi_csrf=${CSRF_SECRET}`;
  return app.inject({
    method: method as 'GET',
    url: path,
    headers: { cookie: [cookie, csrfCookie].filter(Boolean).join('; '), accept: 'text/html' },
    ...(method === 'GET' || method === 'HEAD' ? {} : { payload: { _csrf: platform.csrf.tokenFor(CSRF_SECRET) } }),
  });
}

describe('closed shop: the crawled storefront route table', () => {
  it('has member-only routes to protect (the crawl found the table)', () => {
    const memberOnly = shopRoutes.filter((r) => !PUBLIC.some((p) => p.test(r.url.slice('/s/:shop'.length).replace(/^\//, '/'))));
    expect(shopRoutes.length).toBeGreaterThan(2);
    expect(memberOnly.length).toBeGreaterThan(0);
  });

  for (const who of ['anonymous', 'never applied', 'applied', 'rejected', 'suspended', 'approved by another shop only']) {
    it(`as ${who}: every member-only route redirects or refuses, and nothing shows a price or stock`, async () => {
      const slug = Object.keys(shops)[0]!;
      const checked: string[] = [];
      for (const route of shopRoutes) {
        const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
        const rest = route.url.slice('/s/:shop'.length) || '/';
        const isPublic = PUBLIC.some((p) => p.test(rest === '/' ? '' : rest));
        for (const method of methods) {
          const path = concretePath(route.url, slug);
          const res = await request(method, path, cookies[who]!);
          const label = `${who} ${method} ${route.url} → ${res.statusCode}`;
          checked.push(label);
          for (const marker of isPublic ? PUBLIC_MARKERS : MEMBER_MARKERS) expect(res.body, `${label} shows ${marker}`).not.toMatch(marker);
          if (isPublic) continue;
          expect([303, 401, 403], label).toContain(res.statusCode);
          if (res.statusCode === 303) {
            const location = String(res.headers.location);
            if (who === 'anonymous') expect(location, label).toMatch(new RegExp(`^/account/sign-in\\?shop=${slug}&`));
            else expect(location, label).toMatch(new RegExp(`^/account/(shops|sign-in)\\?shop=${slug}`));
          }
        }
      }
      expect(checked.length).toBeGreaterThan(2);
    }, 60_000);
  }

  it('the same crawl as an approved member reaches the member pages (the gate is not simply shut)', async () => {
    const slug = Object.keys(shops)[0]!;
    const reached: string[] = [];
    for (const route of shopRoutes) {
      const rest = route.url.slice('/s/:shop'.length) || '/';
      if (PUBLIC.some((p) => p.test(rest === '/' ? '' : rest))) continue;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.includes('GET')) continue;
      const res = await request('GET', concretePath(route.url, slug), cookies.approved!);
      if (res.statusCode === 200) reached.push(route.url);
    }
    const memberGets = shopRoutes.filter((r) => {
      const rest = r.url.slice('/s/:shop'.length) || '/';
      return !PUBLIC.some((p) => p.test(rest === '/' ? '' : rest)) && (Array.isArray(r.method) ? r.method : [r.method]).includes('GET');
    });
    if (memberGets.length > 0) expect(reached.length).toBeGreaterThan(0);
  }, 60_000);
});
