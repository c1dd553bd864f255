import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { claimWalkTurn, finishWalk, WALK_TURN_STALE_SECONDS } from './monitor-walks.service.ts';

let database: Database;
let shops: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  shops = (await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').orderBy('sort_order').execute())).map((r) => r.id);
});
afterAll(() => database.close());

const claim = (tenantId: string, profile: 'desktop' | 'mobile', instance = 'test') =>
  withTenant(database, tenantId, (tx) => claimWalkTurn(tx, { tenantId, profile, reason: 'test', instance }));
const finish = (tenantId: string, walkId: string) =>
  withTenant(database, tenantId, (tx) => finishWalk(tx, { walkId, outcome: 'clean', durationMs: 1, baselineId: null, snapshot: null, diff: null }));

describe('one walk of a shop at a time', () => {
  it('gives the turn to exactly one of two walks asked for at once, and to the next once it finished', async () => {
    const shop = shops[0]!;
    const [desktop, mobile] = await Promise.all([claim(shop, 'desktop', 'web-1'), claim(shop, 'mobile', 'web-2')]);
    expect([desktop, mobile].filter(Boolean)).toHaveLength(1);
    // Another shop is not held up by it.
    const other = await claim(shops[1]!, 'desktop');
    expect(other).toBeTruthy();
    await finish(shops[1]!, other!);

    expect(await claim(shop, 'mobile')).toBeNull();
    await finish(shop, (desktop ?? mobile)!);
    const next = await claim(shop, 'mobile');
    expect(next).toBeTruthy();
    await finish(shop, next!);
  });

  it('does not wait for a walk whose process died mid-walk', async () => {
    const shop = shops[2]!;
    const crashed = await claim(shop, 'desktop');
    expect(crashed).toBeTruthy();
    await database.ownerExec(`UPDATE monitor_walks SET started_at = now() - make_interval(secs => $2) WHERE id = $1`, [crashed, WALK_TURN_STALE_SECONDS + 1]);
    expect(await claim(shop, 'mobile')).toBeTruthy();
  });
});
