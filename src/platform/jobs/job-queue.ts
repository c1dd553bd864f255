import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { type Database, MULTI_STATEMENT } from '../db/database.ts';
import { JOB_SCHEMA } from './job-schema.ts';

export type Job<T> = PgBoss.JobWithMetadata<T>;
export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface WorkOptions {
  /** Jobs of this queue run at most this many at a time in this process (default 1). */
  concurrency?: number;
  pollingIntervalSeconds?: number;
  /** Queue policy, applied when the queue is created or updated by this call. */
  retryLimit?: number;
  /** Seconds before the first retry; doubles each retry when retryBackoff is on. */
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
}

export interface JobQueueOptions {
  database: Database;
  log: Logger;
  /** Run cron schedules in this process (default true). */
  schedule?: boolean;
  /** Run pg-boss maintenance (expire, archive, purge) in this process (default true). */
  supervise?: boolean;
  /** Default polling interval for workers, seconds (default 2, at least 0.5). */
  pollingIntervalSeconds?: number;
  /** How long stop() waits for running jobs before failing them back to the queue (default 10 s). */
  stopTimeoutMs?: number;
}

export interface JobQueue {
  readonly boss: PgBoss;
  work<T extends object>(name: string, handler: JobHandler<T>, options?: WorkOptions): Promise<void>;
  send<T extends object>(name: string, data: T, options?: PgBoss.SendOptions): Promise<string | null>;
  /**
   * Sends unless a job of this queue with the same key is still waiting to start, or (with
   * `recentSeconds`) was sent that recently. The check and the insert run in one transaction under
   * an advisory lock on the key, so senders in several processes at once queue one job. Returns
   * the new job's id, or null when an existing job already covers it.
   */
  sendOnce<T extends object>(name: string, data: T, options: PgBoss.SendOptions & { singletonKey: string; recentSeconds?: number }): Promise<string | null>;
  schedule<T extends object>(name: string, cron: string, data?: T, options?: PgBoss.ScheduleOptions & WorkOptions): Promise<void>;
  stop(): Promise<void>;
}

// pg-boss 10 records a finished job's outcome (complete / fail) from its worker loop without
// awaiting it (manager.js, watch → onFetch): with the database down at that moment the rejection
// is unhandled and Node exits — a PostgreSQL restart killed the whole process. Those two writes
// must not reject. An unrecorded outcome leaves the job active until it expires and runs again;
// handlers are idempotent (the outbox checks delivered_at).
const bossPlans = createRequire(import.meta.url)('pg-boss/src/plans.js') as { completeJobs(schema: string): string; failJobsById(schema: string): string };
const UNAWAITED_WRITES = new Set([bossPlans.completeJobs(JOB_SCHEMA), bossPlans.failJobsById(JOB_SCHEMA)]);

// Retries: 5 attempts after the first, 5 s then doubling with jitter (pg-boss's backoff): ~5 min.
const DEFAULT_RETRY = { retryLimit: 5, retryDelay: 5, retryBackoff: true } as const;

/**
 * pg-boss over the runtime connection. Its schema comes from installJobSchema (run with the
 * migrations), so a serving process never runs DDL. On PGlite every pg-boss statement goes
 * through the runtime queue, so it waits its turn behind open transactions instead of
 * interleaving with them on the single session. (There it runs as PGlite's session user: the
 * embedded mode has no role boundary; on PostgreSQL it runs as the runtime role.)
 */
export async function startJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  const { database, log } = options;
  let inFlight = 0;
  let closed = false;
  const runtime = jobDatabaseAdapter(database);
  const db: PgBoss.Db = {
    async executeSql(text, values) {
      // A worker loop may still be finishing a poll after stop(); the database may be closing. A
      // job's outcome written then gets the shape pg-boss reads (rows[0].count), or it throws.
      if (closed) return { rows: UNAWAITED_WRITES.has(text) ? [{ count: 0 }] : [] };
      inFlight++;
      try {
        return await runtime.executeSql(text, values);
      } catch (err) {
        if (!UNAWAITED_WRITES.has(text)) throw err;
        log.warn({ err }, 'job outcome not recorded (database unavailable); the job will expire and run again');
        return { rows: [{ count: 0 }] };
      } finally {
        inFlight--;
      }
    },
  };
  const boss = new PgBoss({
    db,
    schema: JOB_SCHEMA,
    migrate: false,
    schedule: options.schedule ?? true,
    supervise: options.supervise ?? true,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    // pg-boss looks for due cron ticks every 30 s and polls their hand-off every 5 s by default: a
    // once-a-minute schedule then ran up to ~35 s late, which the browser monitor's "one interval
    // plus one walk" cannot afford (bench:detect). One process per 5 s does the check.
    cronMonitorIntervalSeconds: 5,
    cronWorkerIntervalSeconds: 1,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();

  const ensureQueue = async (name: string, work: WorkOptions) => {
    const policy = {
      retryLimit: work.retryLimit,
      retryDelay: work.retryDelay,
      retryBackoff: work.retryBackoff,
      expireInSeconds: work.expireInSeconds,
    };
    // Two processes booting at once create the same queues: PostgreSQL may pick one as a deadlock
    // victim (40P01) or see the other's row first (23505). The queue then exists or will on retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await boss.createQueue(name, { name, ...DEFAULT_RETRY, ...withoutUndefined(policy) });
        break;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if ((code !== '40P01' && code !== '23505') || attempt >= 5) throw err;
        await sleep(50 + Math.random() * 200);
      }
    }
    // createQueue keeps an existing queue's policy; an explicit option here wins over it.
    if (Object.values(policy).some((v) => v !== undefined)) await boss.updateQueue(name, { name, ...withoutUndefined(policy) });
  };

  const work = async <T extends object>(name: string, handler: JobHandler<T>, opts: WorkOptions = {}) => {
    await ensureQueue(name, opts);
    const workOptions = {
      includeMetadata: true as const,
      batchSize: 1,
      ...(opts.pollingIntervalSeconds ? { pollingIntervalSeconds: opts.pollingIntervalSeconds } : {}),
    };
    for (let i = 0; i < Math.max(1, opts.concurrency ?? 1); i++) {
      let workerId: string | undefined;
      workerId = await boss.work<T>(name, workOptions, async ([job]) => {
        if (!job) return;
        try {
          await handler(job);
        } catch (err) {
          log.warn({ err, queue: name, jobId: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit }, 'job failed');
          throw err;
        } finally {
          // A worker that just found a job looks for the next one at once; only an idle one polls.
          if (workerId) boss.notifyWorker(workerId);
        }
      });
    }
  };

  return {
    boss,
    work,
    send: (name, data, sendOptions = {}) => boss.send(name, data, sendOptions),
    sendOnce: (name, data, { recentSeconds = 0, ...sendOptions }) =>
      database.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`job:${name}:${sendOptions.singletonKey}`}))`.execute(trx);
        const covered = await sql`
          SELECT 1 FROM ${sql.table(`${JOB_SCHEMA}.job`)} WHERE name = ${name} AND singleton_key = ${sendOptions.singletonKey}
            AND (state < 'active' OR created_on > now() - make_interval(secs => ${recentSeconds})) LIMIT 1`.execute(trx);
        if (covered.rows.length > 0) return null;
        const inTransaction: PgBoss.Db = { executeSql: async (text, values) => ({ rows: (await trx.executeQuery(CompiledQuery.raw(text, values ?? []))).rows as unknown[] }) };
        return boss.send(name, data, { ...sendOptions, db: inTransaction });
      }),
    async schedule(name, cron, data, scheduleOptions = {}) {
      await ensureQueue(name, scheduleOptions);
      await boss.schedule(name, cron, data, scheduleOptions);
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, close: false, timeout: options.stopTimeoutMs ?? 10_000 });
      // pg-boss completes a finished job without awaiting it; let those statements land.
      for (let waited = 0; inFlight > 0 && waited < 5_000; waited += 20) await sleep(20);
      closed = true;
    },
  };
}

/**
 * pg-boss's statements on the runtime connection queue (on PGlite that is the one session, so
 * they wait behind open transactions). pg-boss sends some blocks as one parameterless
 * `BEGIN; …; COMMIT;` string; if a statement in it fails, the session stays in an aborted
 * transaction, and the next request to get that connection would fail. The block is rolled back
 * on the same connection before it is handed back.
 */
export function jobDatabaseAdapter(database: Database): PgBoss.Db {
  return {
    executeSql: (text, values) =>
      database.db.connection().execute(async (conn) => {
        const multi = !values?.length;
        try {
          const result = await conn.executeQuery(CompiledQuery.raw(multi ? MULTI_STATEMENT + text : text, values ?? []));
          return { rows: result.rows as unknown[] };
        } catch (err) {
          if (multi) await conn.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
          throw err;
        }
      }),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
