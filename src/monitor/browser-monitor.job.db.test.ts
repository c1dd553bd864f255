import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import type { Database } from '../platform/db/database.ts';
import { type JobQueue, startJobQueue } from '../platform/jobs/job-queue.ts';
import { DEPLOY_WALK_COVER_SECONDS, MONITOR_WALK_QUEUE, requestMonitorWalk } from './browser-monitor.job.ts';

/**
 * Walk requests from several processes: the instances of one deploy boot together and each asks
 * for a walk of every shop; one walk per shop and profile is queued. No worker runs here, so the
 * queued jobs stay waiting and can be counted.
 */

const log = pino({ level: 'silent' });
let database: Database;
let shop: string;
let first: JobQueue;
let second: JobQueue;

beforeAll(async () => {
  database = await createTestDatabase();
  shop = String((await database.ownerExec(`INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('walks-a','A','A社','{}') RETURNING id`)).rows[0]!.id);
  // Two "processes": two job queues on the one database.
  first = await startJobQueue({ database, log, schedule: false, supervise: false });
  second = await startJobQueue({ database, log, schedule: false, supervise: false });
  await first.boss.createQueue(MONITOR_WALK_QUEUE);
});
afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await database?.close();
});

const walkJobs = async (reason: string) =>
  (await database.ownerExec(`SELECT data->>'profile' AS profile, state FROM pgboss.job WHERE name = $1 AND data->>'tenantId' = $2 AND data->>'reason' = $3 ORDER BY 1`, [MONITOR_WALK_QUEUE, shop, reason])).rows;

describe('monitor walk requests', () => {
  it('two processes booting at once queue one deploy walk per profile', async () => {
    const queued = await Promise.all([requestMonitorWalk(first, shop, 'deploy'), requestMonitorWalk(second, shop, 'deploy'), requestMonitorWalk(second, shop, 'deploy')]);
    expect(queued.reduce((a, b) => a + b, 0)).toBe(2);
    expect((await walkJobs('deploy')).map((j) => j.profile)).toEqual(['desktop', 'mobile']);
  });

  it('a boot walk already run recently still covers a late-booting instance; an older one does not', async () => {
    await database.ownerExec(`UPDATE pgboss.job SET state = 'completed', completed_on = now() WHERE name = $1`, [MONITOR_WALK_QUEUE]);
    expect(await requestMonitorWalk(second, shop, 'deploy')).toBe(0);
    await database.ownerExec(`UPDATE pgboss.job SET created_on = now() - make_interval(secs => $2) WHERE name = $1`, [MONITOR_WALK_QUEUE, DEPLOY_WALK_COVER_SECONDS + 1]);
    expect(await requestMonitorWalk(second, shop, 'deploy')).toBe(2);
  });

  it('a scheduled walk still waiting covers the next request; once it started, a new one is queued', async () => {
    expect(await requestMonitorWalk(first, shop, 'schedule')).toBe(2);
    expect(await requestMonitorWalk(second, shop, 'settings: card provider')).toBe(0);
    expect(await requestMonitorWalk(first, shop, 'schedule')).toBe(0);
    await database.ownerExec(`UPDATE pgboss.job SET state = 'active', started_on = now() WHERE name = $1 AND data->>'reason' = 'schedule'`, [MONITOR_WALK_QUEUE]);
    expect(await requestMonitorWalk(second, shop, 'settings: card provider')).toBe(2);
    expect((await walkJobs('schedule')).length).toBe(2);
  });

  it('a pending deploy walk does not swallow a scheduled one (different keys), nor other shops’ walks', async () => {
    const other = String((await database.ownerExec(`INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('walks-b','B','B社','{}') RETURNING id`)).rows[0]!.id);
    expect(await requestMonitorWalk(first, other, 'deploy')).toBe(2);
    expect(await requestMonitorWalk(first, other, 'schedule')).toBe(2);
  });
});
