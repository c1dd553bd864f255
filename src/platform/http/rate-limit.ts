import { sql } from 'kysely';
import { RateLimitedError } from '../../domains/shared/domain-error.ts';
import type { Database } from '../db/database.ts';
import { type Tx, withPlatform } from '../db/tenant-scope.ts';

/**
 * Fixed-window rate limit kept in PostgreSQL, so every process behind the balancer counts the same
 * hits (a limit in process memory would multiply by the number of instances).
 */
export async function hitRateLimit(tx: Tx, bucket: string, limit: number, windowSeconds: number): Promise<{ hits: number; allowed: boolean; retryAfter: number }> {
  const row = await sql<{ hits: number; window_start: Date }>`
    INSERT INTO rate_limit_counters (bucket, window_start, hits)
    VALUES (${bucket}, to_timestamp(floor(extract(epoch FROM now()) / ${windowSeconds}) * ${windowSeconds}), 1)
    ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
    RETURNING hits, window_start`.execute(tx);
  const hit = row.rows[0]!;
  const retryAfter = Math.max(1, Math.ceil((new Date(hit.window_start).getTime() + windowSeconds * 1000 - Date.now()) / 1000));
  return { hits: hit.hits, allowed: hit.hits <= limit, retryAfter };
}

/**
 * Counts a hit in its own short transaction and throws after it committed: a refusal thrown inside
 * the caller's transaction would roll the counter back and never limit anything.
 */
export async function consumeRateLimit(database: Database, bucket: string, limit: number, windowSeconds: number): Promise<void> {
  const result = await withPlatform(database, (tx) => hitRateLimit(tx, bucket, limit, windowSeconds));
  if (!result.allowed) throw new RateLimitedError(result.retryAfter);
}

/** Old windows are useless; a periodic job deletes them. */
export async function pruneRateLimits(tx: Tx, olderThanSeconds = 3600): Promise<void> {
  await sql`DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => ${olderThanSeconds})`.execute(tx);
}
