import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { seedStaffUser, staffSessionToken, tenantIdOf } from '../../domains/staff/console.test-support.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { RouteModule } from '../../platform/http/app.ts';
import { OPERATOR_ROLES, SHOP_ROLES } from '../../platform/http/auth-guard.ts';
import { cookieName } from '../../platform/http/cookies.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { ROUTES } from '../routes.ts';

/**
 * Crawls the route table: every shop console route (/admin/:shop/…) and operator console route
 * (/operator/…) declares its roles, and refuses the anonymous, every role it does not list,
 * staff of another shop, and staff of the other console — before doing anything.
 */

interface CrawledRoute {
  method: string;
  url: string;
  roles: readonly StaffRole[] | undefined;
}

const crawled: CrawledRoute[] = [];
const crawler: RouteModule = (app) => {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      if (route.url.startsWith('/admin/:shop') || route.url.startsWith('/operator')) crawled.push({ method, url: route.url, roles: route.config?.staffRoles });
    }
  });
};

let database: Database;
let app: FastifyInstance;
let config: Config;
let platform: Platform;
const cookies = new Map<string, string>();

function concrete(url: string): string {
  return url.replace(':shop', 'ayame-color').replace(/:[a-zA-Z]+/g, randomUUID());
}

async function hit(route: CrawledRoute, who: string | null) {
  const secret = platform.csrf.newSecret();
  const csrfCookie = `${cookieName(config, 'csrf')}=${secret}`;
  const cookie = [csrfCookie, who ? cookies.get(who) : null].filter(Boolean).join('; ');
  const url = concrete(route.url);
  if (route.method === 'GET') return app.inject({ url, headers: { cookie } });
  return app.inject({ method: route.method as 'POST', url, headers: { cookie, 'sec-fetch-site': 'same-origin' }, payload: { _csrf: platform.csrf.tokenFor(secret) } });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, config, platform } = await createTestApp(database, { routes: [crawler, ...ROUTES] }));
  const shopA = await tenantIdOf(database, 'ayame-color');
  const shopB = await tenantIdOf(database, 'kiriha-tools');
  const sessionCookie = cookieName(config, 'session');
  for (const role of SHOP_ROLES) {
    const staff = await seedStaffUser(database, { tenantId: shopA, role });
    cookies.set(`A:${role}`, `${sessionCookie}=${await staffSessionToken(database, staff)}`);
  }
  const otherShopAdmin = await seedStaffUser(database, { tenantId: shopB, role: 'shop_admin' });
  cookies.set('B:shop_admin', `${sessionCookie}=${await staffSessionToken(database, otherShopAdmin)}`);
  for (const role of OPERATOR_ROLES) {
    const staff = await seedStaffUser(database, { tenantId: null, role });
    cookies.set(`op:${role}`, `${sessionCookie}=${await staffSessionToken(database, staff)}`);
  }
  // A shop admin who has not passed the second factor reaches nothing but MFA.
  const noMfa = await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin' });
  cookies.set('A:no-mfa', `${sessionCookie}=${await staffSessionToken(database, noMfa, { mfa: false })}`);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('console route table', () => {
  it('has the expected routes, each declaring its roles', () => {
    expect(crawled.length).toBeGreaterThan(30);
    expect(crawled.filter((r) => !r.roles?.length).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(crawled.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /admin/:shop/applications', 'POST /admin/:shop/memberships/:id/approve', 'POST /operator/sessions/revoke-all', 'GET /operator/verifications']),
    );
  });

  it('refuses the anonymous on every route (to staff sign-in)', async () => {
    for (const route of crawled) {
      const res = await hit(route, null);
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(303);
      expect(res.headers.location, `${route.method} ${route.url}`).toMatch(/^\/admin\/sign-in\?next=/);
    }
  });

  it('sends staff without MFA to the second factor on every route', async () => {
    for (const route of crawled.filter((r) => r.url.startsWith('/admin'))) {
      const res = await hit(route, 'A:no-mfa');
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(303);
      expect(res.headers.location, `${route.method} ${route.url}`).toMatch(/^\/admin\/mfa\?next=/);
    }
  });

  it('refuses every role a route does not list, and admits the ones it does', async () => {
    for (const route of crawled) {
      const shopRoute = route.url.startsWith('/admin');
      const candidates = shopRoute ? SHOP_ROLES.map((r) => `A:${r}`) : OPERATOR_ROLES.map((r) => `op:${r}`);
      for (const who of candidates) {
        const role = who.split(':')[1] as StaffRole;
        const res = await hit(route, who);
        const label = `${route.method} ${route.url} as ${who}`;
        if (route.roles!.includes(role)) {
          expect(res.statusCode, label).not.toBe(403);
          expect(String(res.headers.location ?? ''), label).not.toMatch(/sign-in|\/mfa/);
        } else {
          expect(res.statusCode, label).toBe(403);
        }
      }
    }
  });

  it('refuses staff of another shop and the other console', async () => {
    for (const route of crawled) {
      const outsiders = route.url.startsWith('/admin') ? ['B:shop_admin', 'op:platform_admin', 'op:security_officer'] : ['A:shop_admin', 'B:shop_admin'];
      for (const who of outsiders) {
        const res = await hit(route, who);
        expect(res.statusCode, `${route.method} ${route.url} as ${who}`).toBe(403);
      }
    }
  });
});
