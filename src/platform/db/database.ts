import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { queryStatsLog, recordRoundTrip } from './query-stats.ts';
import type { DB } from './schema.ts';

/**
 * The runtime role every request runs as. It owns nothing, has no BYPASSRLS, and on PostgreSQL
 * it is the login role of the pool. Migrations grant it exactly what it needs.
 */
export const APP_ROLE = 'oroshi_app';

/**
 * Statements prefixed with this marker may hold several SQL commands and carry no parameters; the
 * drivers below run them with the simple-query protocol and return the last result. It is how the
 * per-request setup (BEGIN, role, tenant, session lookup) costs one round trip instead of four.
 */
export const MULTI_STATEMENT = '/*multi*/';

export type DatabaseKind = 'pglite' | 'postgres';

export interface QueryResultRows {
  rows: Record<string, unknown>[];
}

export type SqlExec = (text: string, values?: unknown[]) => Promise<QueryResultRows>;

export interface Database {
  readonly kind: DatabaseKind;
  /** Kysely over the runtime role. Use through withTenant / withPlatform, never bare. */
  readonly db: Kysely<DB>;
  /** Owner-level raw SQL: migrations, role setup, test fixtures. Never used while serving requests. */
  ownerExec(text: string, values?: unknown[]): Promise<QueryResultRows>;
  /** One owner connection held for the callback (a migration's transaction must stay on one session). */
  ownerSession<T>(fn: (exec: SqlExec) => Promise<T>): Promise<T>;
  /** Raw SQL through the runtime connection queue (pg-boss uses it, so it never interleaves with a transaction on PGlite). */
  runtimeExec(text: string, values?: unknown[]): Promise<QueryResultRows>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (backups, test templates). */
  dumpDataDir?: () => Promise<Blob>;
}

// int8 → number (yen amounts and counts stay far below 2^53), date → 'YYYY-MM-DD' string (a
// business date has no time zone), numeric stays a string.
const INT8_OID = 20;
const DATE_OID = 1082;
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));
pg.types.setTypeParser(DATE_OID, (v: string) => v);

export interface PgliteOptions {
  /** Directory for a file-backed database; omit for in-memory (tests). */
  dataDir?: string;
  /** A dumped data directory to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob | File;
  /** Count round trips per request (DB_QUERY_STATS, bench and development only; see query-stats.ts). */
  countQueries?: boolean;
}

/** Raw runtime SQL counted like Kysely's queries when round trips are being counted. */
function counted(exec: SqlExec): SqlExec {
  return async (text, values) => {
    const started = performance.now();
    try {
      return await exec(text, values);
    } finally {
      recordRoundTrip(performance.now() - started);
    }
  };
}

export async function openPglite(options: PgliteOptions): Promise<Database> {
  if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { citext, pg_trgm },
    parsers: { [INT8_OID]: (v: string) => Number(v), [DATE_OID]: (v: string) => v },
  });
  // PGlite has one session. Kysely's dialect queues connections; the facade below lets multi-
  // statement setup strings through `exec`, and raw callers (pg-boss) borrow the same queue.
  const facade = {
    // Closing is ours (below), after Kysely lets go of the queue.
    close: async () => undefined,
    query: async (text: string, values: unknown[]) => {
      if (text.startsWith(MULTI_STATEMENT) && values.length === 0) {
        const results = await pglite.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      }
      return pglite.query(text, values);
    },
  };
  const db = new Kysely<DB>({ dialect: new PGliteDialect(facade as unknown as PGlite), log: options.countQueries ? queryStatsLog : undefined });
  const pgliteExec = async (text: string, values?: unknown[]): Promise<QueryResultRows> => {
    if (values?.length) return (await pglite.query(text, values)) as QueryResultRows;
    const results = await pglite.exec(text);
    return (results[results.length - 1] ?? { rows: [] }) as QueryResultRows;
  };
  // Holding Kysely's connection is holding the one session. A failed multi-statement string may
  // leave it inside an aborted transaction: roll back before letting the next caller in.
  const viaQueue = (text: string, values?: unknown[]) =>
    db.connection().execute(async () => {
      try {
        return await pgliteExec(text, values);
      } catch (err) {
        await pglite.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  return {
    kind: 'pglite',
    db,
    ownerExec: viaQueue,
    ownerSession: (fn) => db.connection().execute(() => fn(pgliteExec)),
    runtimeExec: options.countQueries ? counted(viaQueue) : viaQueue,
    dumpDataDir: () => db.connection().execute(() => pglite.dumpDataDir('gzip')),
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** pg returns an array of results for a multi-statement string; callers want the last one. */
function lastResult(result: unknown): pg.QueryResult {
  return (Array.isArray(result) ? result[result.length - 1] : result) as pg.QueryResult;
}

/** A pg pool whose clients return the last result of a multi-statement string, as Kysely expects one. */
function lastResultPool(pool: pg.Pool) {
  return {
    async connect() {
      const client = await pool.connect();
      return {
        query: async (text: string, values: unknown[]) => lastResult(await client.query(text, values.length ? values : undefined)),
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}

/**
 * Runs raw SQL on one client of `pool`. A failed multi-statement string (`BEGIN; …; COMMIT`)
 * leaves that client inside an aborted transaction, so it is rolled back before the client goes
 * back to the pool (or destroyed if even that fails).
 */
async function execOn(pool: pg.Pool, text: string, values?: unknown[]): Promise<QueryResultRows> {
  const client = await pool.connect();
  let broken = false;
  try {
    return { rows: lastResult(await client.query(text, values?.length ? values : undefined)).rows ?? [] };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

export function appRoleUrl(ownerUrl: string, password?: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password ?? '';
  return url.toString();
}

export interface PostgresOptions {
  runtimeUrl: string;
  ownerUrl: string;
  poolSize: number;
  onPoolError?: (err: Error) => void;
  /** See PgliteOptions.countQueries. */
  countQueries?: boolean;
}

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const runtimePool = new pg.Pool({
    connectionString: options.runtimeUrl,
    max: options.poolSize,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    // A statement that runs this long is a bug or an attack; fail it rather than hold a connection.
    statement_timeout: 30_000,
    application_name: 'oroshi',
  });
  // An idle client dropped by a database restart emits here; without a listener it would crash
  // the process. The pool replaces it on the next checkout.
  runtimePool.on('error', (err) => options.onPoolError?.(err));
  // The pool listens for errors only on idle clients. A client checked out (a request's open
  // transaction) when the server terminates it (restart, failover: 57P01) emits 'error' itself,
  // and with no listener that crashes the whole process; the request then fails with a 500 and
  // the pool drops the broken client on release.
  runtimePool.on('connect', (client) => client.on('error', (err) => options.onPoolError?.(err)));
  let ownerPool: pg.Pool | undefined;
  const owner = () => {
    if (!ownerPool) {
      ownerPool = new pg.Pool({ connectionString: options.ownerUrl, max: 2, application_name: 'oroshi-owner' });
      ownerPool.on('error', (err) => options.onPoolError?.(err));
      ownerPool.on('connect', (client) => client.on('error', (err) => options.onPoolError?.(err)));
    }
    return ownerPool;
  };
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: lastResultPool(runtimePool) as unknown as pg.Pool }),
    log: options.countQueries ? queryStatsLog : undefined,
  });
  const runtimeExec: SqlExec = (text, values) => execOn(runtimePool, text, values);
  return {
    kind: 'postgres',
    db,
    ownerExec: (text, values) => execOn(owner(), text, values),
    async ownerSession(fn) {
      const client = await owner().connect();
      try {
        return await fn(async (text, values) => ({ rows: lastResult(await client.query(text, values?.length ? values : undefined)).rows ?? [] }));
      } finally {
        client.release();
      }
    },
    runtimeExec: options.countQueries ? counted(runtimeExec) : runtimeExec,
    async close() {
      await db.destroy();
      if (ownerPool) await ownerPool.end();
    },
  };
}
