import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { RouteModule } from '../http/app.ts';
import { inPlatformRequest } from '../http/request-scope.ts';
import type { Database } from './database.ts';
import { countQueriesInto, newQueryStats } from './query-stats.ts';
import { withPlatform } from './tenant-scope.ts';

/** DB_QUERY_STATS (bench/development): round trips per request, in response headers. */
describe('query stats', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase({ countQueries: true });
  });
  afterAll(async () => database.close());

  it('counts one scope as its setup string, each query and the commit', async () => {
    const stats = newQueryStats();
    await countQueriesInto(stats, () =>
      withPlatform(database, async (tx) => {
        await tx.selectFrom('tenants').select('id').limit(1).execute();
        await tx.selectFrom('tenants').select('slug').limit(1).execute();
      }),
    );
    expect(stats.roundTrips).toBe(4);
    expect(stats.dbMs).toBeGreaterThan(0);
    // Outside a counter nothing is recorded (and nothing fails).
    await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').limit(1).execute());
    expect(stats.roundTrips).toBe(4);
  });

  it('reports each request’s round trips in headers, also after a body was read', async () => {
    const probe: RouteModule = (app, platform) => {
      app.post('/probe', { config: { csrf: 'manual' } }, async (request, reply) => {
        await inPlatformRequest(platform, request, async ({ tx }) => tx.selectFrom('tenants').select('id').limit(1).execute());
        return reply.send({ ok: true });
      });
      app.get('/probe', async (request, reply) => {
        await inPlatformRequest(platform, request, async ({ tx }) => tx.selectFrom('tenants').select('id').limit(1).execute());
        return reply.send({ ok: true });
      });
    };
    const { app } = await createTestApp(database, { env: { DB_QUERY_STATS: 'true' }, routes: [probe] });
    const get = await app.inject({ method: 'GET', url: '/probe' });
    expect(get.headers['x-db-round-trips']).toBe('3');
    const post = await app.inject({ method: 'POST', url: '/probe', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.headers['x-db-round-trips']).toBe('3');
    expect(Number(post.headers['x-db-ms'])).toBeGreaterThan(0);
    await app.close();

    const { app: plain } = await createTestApp(database, { routes: [probe] });
    expect((await plain.inject({ method: 'GET', url: '/probe' })).headers['x-db-round-trips']).toBeUndefined();
    await plain.close();
  });
});
