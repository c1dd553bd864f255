import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogEvent } from 'kysely';

/**
 * Round trips per request, for the bench and development only (DB_QUERY_STATS=true): every
 * statement the runtime connection sends — the request scope's setup string, each query, the
 * COMMIT — counts once, with the time it took. A multi-statement setup string is one round trip.
 * The HTTP layer opens one counter per request (app.ts) and reports it in response headers; with
 * the flag off nothing here runs.
 */
export interface QueryStats {
  roundTrips: number;
  /** Milliseconds spent waiting for the database, summed over the round trips. */
  dbMs: number;
}

const current = new AsyncLocalStorage<QueryStats>();

export function newQueryStats(): QueryStats {
  return { roundTrips: 0, dbMs: 0 };
}

/** Runs `fn` (and everything it starts) counting into `stats`. */
export function countQueriesInto<T>(stats: QueryStats, fn: () => T): T {
  return current.run(stats, fn);
}

export function recordRoundTrip(ms: number): void {
  const stats = current.getStore();
  if (!stats) return;
  stats.roundTrips++;
  stats.dbMs += ms;
}

/** Kysely's `log` option: every executed query, succeeded or failed. */
export function queryStatsLog(event: LogEvent): void {
  recordRoundTrip(event.queryDurationMillis);
}
