import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { checkMonitorDeadMansSwitch } from './monitor-dead-mans-switch.ts';
import { finishWalk, startWalk } from './monitor-walks.service.ts';

let database: Database;
let shops: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  shops = (await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').orderBy('sort_order').execute())).map((r) => r.id);
});
afterAll(() => database.close());

const events = (kind: string) => withIdentity(database, { audience: 'operator' }, (tx) => tx.selectFrom('security_events').select(['tenant_id', 'severity', 'contained_at']).where('kind', '=', kind).execute());

describe("monitor dead-man's switch", () => {
  it('raises nothing while walks are recent', async () => {
    const walked = shops[0]!;
    const walkId = await withTenant(database, walked, (tx) => startWalk(tx, { tenantId: walked, profile: 'desktop', reason: 'test', instance: 'test' }));
    await withTenant(database, walked, (tx) => finishWalk(tx, { walkId, outcome: 'clean', durationMs: 1, baselineId: null, snapshot: null, diff: null }));
    const result = await checkMonitorDeadMansSwitch(database, { intervalMinutes: 5, unavailableReason: null, protectionRequired: false });
    expect(result.stale).toEqual([]);
    expect(await events('monitor.stale')).toEqual([]);
  });

  it('raises a critical event and stops cards for a shop whose last good walk is older than two intervals', async () => {
    const later = new Date(Date.now() + 11 * 60_000);
    const walked = shops[0]!;
    // A failed walk does not count as good.
    const failed = await withTenant(database, walked, (tx) => startWalk(tx, { tenantId: walked, profile: 'mobile', reason: 'test', instance: 'test' }));
    await withTenant(database, walked, (tx) => finishWalk(tx, { walkId: failed, outcome: 'failed', durationMs: 1, baselineId: null, snapshot: null, diff: null, error: 'x' }));
    const result = await checkMonitorDeadMansSwitch(database, { intervalMinutes: 5, unavailableReason: null, protectionRequired: false, now: later });
    expect(result.stale.map((s) => s.tenantId).sort()).toEqual([...shops].sort());
    const raised = await events('monitor.stale');
    expect(raised).toHaveLength(shops.length);
    expect(raised.every((e) => e.severity === 'critical' && e.contained_at)).toBe(true);
    const kill = await withTenant(database, walked, (tx) => tx.selectFrom('card_kill_switches').select('engaged').where('tenant_id', '=', walked).executeTakeFirst());
    expect(kill?.engaged).toBe(true);
  });

  it('without Chromium: a platform-wide warning in the demo, critical with PROTECTION_REQUIRED', async () => {
    await checkMonitorDeadMansSwitch(database, { intervalMinutes: 5, unavailableReason: 'Chromium がありません', protectionRequired: false });
    expect((await events('monitor.unavailable')).map((e) => [e.tenant_id, e.severity])).toEqual([[null, 'warning']]);
    await checkMonitorDeadMansSwitch(database, { intervalMinutes: 5, unavailableReason: 'Chromium がありません', protectionRequired: true });
    const after = await events('monitor.unavailable');
    expect(after.map((e) => [e.tenant_id, e.severity])).toEqual([[null, 'critical']]);
    expect(after[0]?.contained_at).toBeTruthy();
  });
});
