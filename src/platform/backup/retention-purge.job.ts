import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { withPlatform, withTenant } from '../db/tenant-scope.ts';
import { pruneRateLimits } from '../http/rate-limit.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { type PURGEABLE_TABLES, RETENTION } from './retention.policy.ts';

export const RETENTION_PURGE_QUEUE = 'retention-purge';
// Daily at 03:17 (an off-peak minute no other job uses).
export const RETENTION_PURGE_CRON = '17 3 * * *';

export type PurgeCounts = Record<(typeof PURGEABLE_TABLES)[number], number>;

/**
 * Deletes what has outlived its retention (retention.policy.ts). csp_reports are scoped per shop
 * by row-level security, so they are purged one shop at a time (and the platform's own, tenant NULL).
 */
export async function purgeExpired(database: Database, now: Date = new Date()): Promise<PurgeCounts> {
  const securityCutoff = new Date(now);
  securityCutoff.setUTCMonth(securityCutoff.getUTCMonth() - RETENTION.securityLogMonths);
  const tokenCutoff = new Date(now.getTime() - RETENTION.authTokenDays * 86_400_000);

  const tenantIds = await withPlatform(database, async (tx) => (await tx.selectFrom('tenants').select('id').execute()).map((t) => t.id));
  let cspReports = 0;
  const purgeCsp = async (tx: Parameters<Parameters<typeof withPlatform>[1]>[0]) =>
    Number((await tx.deleteFrom('csp_reports').where('received_at', '<', securityCutoff).executeTakeFirst()).numDeletedRows);
  for (const tenantId of tenantIds) cspReports += await withTenant(database, tenantId, purgeCsp);

  return withPlatform(database, async (tx) => {
    cspReports += await purgeCsp(tx);
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM rate_limit_counters`.execute(tx);
    await pruneRateLimits(tx, RETENTION.rateLimitWindowSeconds);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM rate_limit_counters`.execute(tx);
    const authTokens = await tx
      .deleteFrom('auth_tokens')
      .where((eb) => eb.or([eb('expires_at', '<', tokenCutoff), eb('used_at', '<', tokenCutoff)]))
      .executeTakeFirst();
    const sessions = await tx
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('absolute_expires_at', '<', securityCutoff), eb('revoked_at', '<', securityCutoff)]))
      .executeTakeFirst();
    return {
      csp_reports: cspReports,
      rate_limit_counters: before.rows[0]!.n - after.rows[0]!.n,
      auth_tokens: Number(authTokens.numDeletedRows),
      sessions: Number(sessions.numDeletedRows),
    };
  });
}

export async function registerRetentionPurgeJob(queue: JobQueue, database: Database, log: Logger): Promise<void> {
  await queue.work(RETENTION_PURGE_QUEUE, async () => {
    const counts = await purgeExpired(database);
    log.info({ event: 'retention.purged', counts }, 'expired records purged');
  });
  await queue.schedule(RETENTION_PURGE_QUEUE, RETENTION_PURGE_CRON, {}, { tz: 'Asia/Tokyo' });
}
