import type { Logger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';

export const PAGE_VIEW_PARTITIONS_QUEUE = 'page-view-partitions';
// Daily at 02:43 JST (an off-peak minute no other job uses).
export const PAGE_VIEW_PARTITIONS_CRON = '43 2 * * *';
/** Months created ahead of the current one, so a view never waits for a partition. */
export const MONTHS_AHEAD = 2;

/**
 * Creates the monthly partitions of protected_page_views and platform_page_views for this month
 * and the next MONTHS_AHEAD (db/migrations/0018: ensure_page_view_partition, idempotent). The
 * function belongs to the owner (creating tables is not the runtime role's business), so it runs
 * on the owner connection. Views of a month without a partition land in the default partition
 * and are moved in when the month's partition is created, so a missed run loses nothing.
 */
export async function ensurePageViewPartitions(database: Database, now: Date = new Date()): Promise<number> {
  const { rows } = await database.ownerExec(
    `SELECT coalesce(sum(ensure_page_view_partition((date_trunc('month', $1::timestamptz) + make_interval(months => m))::date)), 0)::int AS created
       FROM generate_series(0, $2::int) AS m`,
    [now, MONTHS_AHEAD],
  );
  return Number(rows[0]?.created ?? 0);
}

export async function registerPageViewPartitionJob(queue: JobQueue, database: Database, log: Pick<Logger, 'info'>): Promise<void> {
  await queue.work(PAGE_VIEW_PARTITIONS_QUEUE, async () => {
    const created = await ensurePageViewPartitions(database);
    if (created) log.info({ event: 'page_view.partitions_created', created }, 'page view partitions created');
  });
  await queue.schedule(PAGE_VIEW_PARTITIONS_QUEUE, PAGE_VIEW_PARTITIONS_CRON, {}, { tz: 'Asia/Tokyo' });
  // At boot too: a process started after a long pause must not wait for 02:43.
  await ensurePageViewPartitions(database).catch(() => 0);
}
