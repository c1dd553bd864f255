import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSalon, signInSalon } from '../../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform } from '../../platform/db/tenant-scope.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { salonSignInUrl } from './session-handoff.routes.tsx';

const sessionOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'oroshi_session')?.value;

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let shops: { id: string; slug: string }[];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database));
  shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).orderBy('sort_order').execute());
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function handoffUrl(email: string, password: string, shop: string, next = '/products') {
  const page = await app.inject({ method: 'GET', url: `/account/sign-in?shop=${shop}&next=${encodeURIComponent(next)}` });
  const csrf = csrfFrom(page);
  const res = await app.inject({
    method: 'POST',
    url: '/account/sign-in',
    headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf.token, email, password, shop, next }).toString(),
  });
  expect(res.statusCode).toBe(303);
  return { location: String(res.headers.location), platformCookie: `oroshi_session=${sessionOf(res)}` };
}

describe('shop session handoff', () => {
  it('opens a session bound to the shop, once', async () => {
    const salon = await createTestSalon(platform);
    const shop = shops[0]!;
    const { location } = await handoffUrl(salon.email, salon.password, shop.slug);
    expect(location).toMatch(new RegExp(`^/s/${shop.slug}/session/handoff\\?token=[A-Za-z0-9_-]+&next=%2Fproducts$`));
    const first = await app.inject({ method: 'GET', url: location });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/s/${shop.slug}/products`);
    const token = sessionOf(first);
    expect(token).toBeTruthy();
    const row = await withPlatform(database, (tx) =>
      tx.selectFrom('sessions').select(['bound_tenant_id', 'account_id', 'audience']).where('user_id', '=', salon.userId).where('bound_tenant_id', 'is not', null).executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ bound_tenant_id: shop.id, account_id: salon.accountId, audience: 'salon' });

    const second = await app.inject({ method: 'GET', url: location });
    expect(second.statusCode).toBe(303);
    expect(sessionOf(second)).toBeUndefined();
    expect(second.headers.location).toBe(salonSignInUrl(platform.config, shop.slug, '/products'));
  });

  it('refuses a token presented to another shop, and an expired one', async () => {
    const salon = await createTestSalon(platform);
    const [a, b] = [shops[0]!, shops[1]!];
    const { location } = await handoffUrl(salon.email, salon.password, a.slug);
    const stolen = location.replace(`/s/${a.slug}/`, `/s/${b.slug}/`);
    const res = await app.inject({ method: 'GET', url: stolen });
    expect(res.statusCode).toBe(303);
    expect(sessionOf(res)).toBeUndefined();
    // Spent by the attempt: it no longer works on its own shop either.
    expect(sessionOf(await app.inject({ method: 'GET', url: location }))).toBeUndefined();

    const late = await handoffUrl(salon.email, salon.password, a.slug);
    await withPlatform(database, (tx) => tx.updateTable('auth_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('kind', '=', 'handoff').where('used_at', 'is', null).execute());
    expect(sessionOf(await app.inject({ method: 'GET', url: late.location }))).toBeUndefined();
  });

  it('hands an already signed-in salon straight on, without the password', async () => {
    const salon = await createTestSalon(platform);
    const signed = await signInSalon(app, salon.email, salon.password);
    const res = await app.inject({ method: 'GET', url: `/account/sign-in?shop=${shops[2]!.slug}&next=/`, headers: { cookie: signed.cookie } });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(new RegExp(`^/s/${shops[2]!.slug}/session/handoff\\?token=`));
    const shopSession = await signInSalon(app, salon.email, salon.password, shops[3]!.slug);
    expect(shopSession.location).toBe(`/s/${shops[3]!.slug}/`);
  });
});
