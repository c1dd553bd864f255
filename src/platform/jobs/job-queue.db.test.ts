import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../db/database.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { type JobQueue, jobDatabaseAdapter, startJobQueue } from './job-queue.ts';
import { waitUntil } from './wait-until.testing.ts';

const log = pino({ level: 'silent' });
let database: Database;
let shop: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(
    `INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('jobs-a','A','A社','{}') RETURNING id`,
  );
  shop = String(rows[0]?.id);
});
afterAll(() => database.close());

async function withQueue(fn: (queue: JobQueue) => Promise<void>, stopTimeoutMs?: number) {
  const queue = await startJobQueue({ database, log, schedule: false, supervise: false, pollingIntervalSeconds: 0.5, stopTimeoutMs });
  try {
    await fn(queue);
  } finally {
    await queue.stop();
  }
}

const jobState = async (id: string) =>
  String((await database.ownerExec('SELECT state FROM pgboss.job WHERE id = $1', [id])).rows[0]?.state);

describe('startJobQueue', () => {
  it('refuses to start when the schema is missing rather than running DDL', async () => {
    await database.ownerExec('ALTER SCHEMA pgboss RENAME TO pgboss_away');
    try {
      await expect(startJobQueue({ database, log, schedule: false, supervise: false })).rejects.toThrow(/not installed/);
    } finally {
      await database.ownerExec('ALTER SCHEMA pgboss_away RENAME TO pgboss');
    }
  });

  it('creates a queue as the runtime role, sends and works a job', async () => {
    await withQueue(async (queue) => {
      const seen: unknown[] = [];
      await queue.work<{ n: number }>('test-roundtrip', async (job) => {
        seen.push(job.data);
      });
      const id = await queue.send('test-roundtrip', { n: 7 });
      expect(id).toBeTruthy();
      await waitUntil(async () => (await jobState(id!)) === 'completed', 10_000, 'job completed');
      expect(seen).toEqual([{ n: 7 }]);
    });
    const { rows } = await database.ownerExec(
      `SELECT pg_get_userbyid(c.relowner) AS owner FROM pgboss.queue q JOIN pg_class c ON c.relname = q.partition_name WHERE q.name = 'test-roundtrip'`,
    );
    // The partition belongs to the installer (create_queue runs with its rights), not to oroshi_app.
    expect(rows[0]?.owner).not.toBe('oroshi_app');
  });

  it('retries a failed job with growing delays', async () => {
    await withQueue(async (queue) => {
      const startedAt: number[] = [];
      await queue.work(
        'test-retry',
        async () => {
          startedAt.push(Date.now());
          if (startedAt.length < 3) throw new Error(`attempt ${startedAt.length} failed`);
        },
        { retryLimit: 3, retryDelay: 1, retryBackoff: true },
      );
      const id = await queue.send('test-retry', {});
      await waitUntil(async () => (await jobState(id!)) === 'completed', 20_000, 'job completed after retries');
      expect(startedAt).toHaveLength(3);
      const [a, b, c] = startedAt as [number, number, number];
      // Backoff: the first retry waits 1–2 s, the second 2–4 s.
      expect(b - a).toBeGreaterThanOrEqual(950);
      expect(c - b).toBeGreaterThanOrEqual(1950);
      const { rows } = await database.ownerExec('SELECT retry_count FROM pgboss.job WHERE id = $1', [id]);
      expect(Number(rows[0]?.retry_count)).toBe(2);
    });
  });

  it('marks a job failed once its retries are used up', async () => {
    await withQueue(async (queue) => {
      let calls = 0;
      await queue.work(
        'test-give-up',
        async () => {
          calls++;
          throw new Error('always fails');
        },
        { retryLimit: 1, retryDelay: 0, retryBackoff: false },
      );
      const id = await queue.send('test-give-up', {});
      await waitUntil(async () => (await jobState(id!)) === 'failed', 10_000, 'job failed');
      expect(calls).toBe(2);
    });
  });

  it('keeps working while other transactions hold the connection (no deadlock on PGlite)', async () => {
    await withQueue(async (queue) => {
      const handled: number[] = [];
      await queue.work<{ i: number }>(
        'test-busy',
        async (job) => {
          // Handlers open their own transactions, as real ones do.
          await withTenant(database, shop, async (tx) => tx.selectFrom('outbox').select('id').execute());
          handled.push(job.data.i);
        },
        { concurrency: 2 },
      );
      const sends: Promise<unknown>[] = [];
      const transactions = Array.from({ length: 30 }, (_, i) =>
        withTenant(database, shop, async (tx) => {
          await tx.selectFrom('outbox').select('id').execute();
          // While this transaction is open, a send through the job queue must wait, not interleave.
          sends.push(queue.send('test-busy', { i }));
          await sleep(10);
          return i;
        }),
      );
      expect(await Promise.all(transactions)).toHaveLength(30);
      await Promise.all(sends);
      await waitUntil(() => handled.length === 30, 20_000, 'all jobs handled');
      expect([...handled].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    });
  });

  it('on PGlite, queues a pg-boss statement behind an open transaction', async () => {
    await withQueue(async (queue) => {
      await queue.work('test-order', async () => undefined);
      const events: string[] = [];
      await withTenant(database, shop, async () => {
        void queue.send('test-order', {}).then(() => events.push('sent'));
        await sleep(200);
        events.push('transaction done');
      });
      await waitUntil(() => events.length === 2, 5_000, 'send');
      // PostgreSQL has a pool, so the send need not wait there.
      expect(events).toEqual(database.kind === 'pglite' ? ['transaction done', 'sent'] : ['sent', 'transaction done']);
    });
  });

  it('rolls back a failed multi-statement block so the next transaction gets a clean connection', async () => {
    const adapter = jobDatabaseAdapter(database);
    await expect(adapter.executeSql('BEGIN; SELECT 1; SELECT 1/0; COMMIT;', [])).rejects.toThrow(/division by zero/);
    for (let i = 0; i < 3; i++) {
      const rows = await withTenant(database, shop, (tx) => tx.selectFrom('outbox').select('id').execute());
      expect(rows).toEqual([]);
    }
    expect((await adapter.executeSql('SELECT 41 + 1 AS answer', [])).rows).toEqual([{ answer: 42 }]);
  });

  it('registers a cron schedule with the timekeeper running as the runtime role', async () => {
    const errors: string[] = [];
    const errorLog = pino({ level: 'error' }, { write: (line: string) => errors.push(line) });
    const queue = await startJobQueue({ database, log: errorLog, schedule: true, supervise: true, pollingIntervalSeconds: 0.5 });
    try {
      await queue.schedule('test-cron', '*/5 * * * *', { task: 'checkout-walk' }, { tz: 'Asia/Tokyo' });
      const { rows } = await database.ownerExec(`SELECT cron, timezone, data FROM pgboss.schedule WHERE name = 'test-cron'`);
      expect(rows).toEqual([{ cron: '*/5 * * * *', timezone: 'Asia/Tokyo', data: { task: 'checkout-walk' } }]);
      // Let the timekeeper's first cron pass and maintenance run under the runtime role's rights.
      await queue.boss.maintain();
      await sleep(300);
    } finally {
      await queue.stop();
    }
    expect(errors).toEqual([]);
  });

  it('stop() waits for a running job to finish', async () => {
    let finished = false;
    let id: string | null = null;
    await withQueue(async (queue) => {
      await queue.work('test-stop', async () => {
        await sleep(800);
        finished = true;
      });
      id = await queue.send('test-stop', {});
      await waitUntil(async () => (await jobState(id!)) === 'active', 5_000, 'job active');
    });
    expect(finished).toBe(true);
    expect(await jobState(id!)).toBe('completed');
  });

  it('stop() is bounded: a job still running after the timeout goes back to the queue as failed', async () => {
    let id: string | null = null;
    const started = Date.now();
    await withQueue(async (queue) => {
      await queue.work('test-stop-bounded', () => sleep(5_000), { retryLimit: 0 });
      id = await queue.send('test-stop-bounded', {});
      await waitUntil(async () => (await jobState(id!)) === 'active', 5_000, 'job active');
    }, 1_000);
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(await jobState(id!)).toBe('failed');
  });
});
