import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../db/database.ts';
import { withPlatform, withTenant } from '../db/tenant-scope.ts';
import { type JobQueue, startJobQueue } from './job-queue.ts';
import { OUTBOX_QUEUE } from './job-schema.ts';
import { deliverOutboxItem, enqueueOutbox, type OutboxItem, registerOutboxHandler, startOutboxWorker } from './outbox.ts';
import { waitUntil } from './wait-until.testing.ts';

const log = pino({ level: 'silent' });
let database: Database;
let shopA: string;
let shopB: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(
    `INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('outbox-a','A','A社','{}'),('outbox-b','B','B社','{}') RETURNING id`,
  );
  [shopA, shopB] = rows.map((r) => String(r.id)) as [string, string];
});
afterAll(() => database.close());

const outboxRow = async (id: string) => (await database.ownerExec('SELECT * FROM outbox WHERE id = $1', [id])).rows[0];
const jobsFor = async (outboxId: string) =>
  (await database.ownerExec(`SELECT id, state FROM pgboss.job WHERE name = $1 AND data->>'outboxId' = $2`, [OUTBOX_QUEUE.name, outboxId])).rows;

describe('enqueueOutbox', () => {
  it('writes the outbox row and its job in the same transaction', async () => {
    const id = await withTenant(database, shopA, (tx) => enqueueOutbox(tx, { kind: 'test.commit', tenantId: shopA, payload: { n: 1 } }));
    expect(await outboxRow(id)).toMatchObject({ tenant_id: shopA, kind: 'test.commit', payload: { n: 1 }, delivered_at: null });
    expect(await jobsFor(id)).toHaveLength(1);
  });

  it('leaves neither row nor job when the transaction rolls back', async () => {
    let id = '';
    await expect(
      withTenant(database, shopA, async (tx) => {
        id = await enqueueOutbox(tx, { kind: 'test.rollback', tenantId: shopA, payload: {} });
        throw new Error('order failed');
      }),
    ).rejects.toThrow('order failed');
    expect(id).not.toBe('');
    expect(await outboxRow(id)).toBeUndefined();
    expect(await jobsFor(id)).toHaveLength(0);
  });

  it('cannot enqueue an item for another shop', async () => {
    await expect(
      withTenant(database, shopA, (tx) => enqueueOutbox(tx, { kind: 'test.cross', tenantId: shopB, payload: {} })),
    ).rejects.toThrow(/row-level security/);
    expect((await database.ownerExec(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'test.cross'`)).rows[0]?.n).toBe(0);
  });
});

describe('deliverOutboxItem', () => {
  it('runs the handler once even when the job runs twice', async () => {
    const seen: OutboxItem[] = [];
    const off = registerOutboxHandler('test.once', async (item) => {
      seen.push(item);
    });
    try {
      const id = await withTenant(database, shopB, (tx) => enqueueOutbox(tx, { kind: 'test.once', tenantId: shopB, payload: { x: 'y' } }));
      expect(await deliverOutboxItem(database, { outboxId: id, tenantId: shopB }, log)).toBe('delivered');
      expect(await deliverOutboxItem(database, { outboxId: id, tenantId: shopB }, log)).toBe('already_delivered');
      expect(seen).toEqual([{ id, tenantId: shopB, kind: 'test.once', payload: { x: 'y' }, attempts: 0 }]);
      expect((await outboxRow(id))?.delivered_at).toBeInstanceOf(Date);
    } finally {
      off();
    }
  });

  it('loads an item only in its own scope', async () => {
    const id = await withTenant(database, shopA, (tx) => enqueueOutbox(tx, { kind: 'test.scope', tenantId: shopA, payload: {} }));
    expect(await deliverOutboxItem(database, { outboxId: id, tenantId: shopB }, log)).toBe('missing');
    expect(await deliverOutboxItem(database, { outboxId: id, tenantId: null }, log)).toBe('missing');
    expect((await outboxRow(id))?.delivered_at).toBeNull();
  });

  it('records a failed attempt with a short, redacted error and rethrows', async () => {
    const off = registerOutboxHandler('test.fails', async () => {
      throw new Error(`connect smtp://mailer:hunter2@mail.example failed for card 4242 4242 4242 4242 ${'x'.repeat(800)}`);
    });
    try {
      const id = await withPlatform(database, (tx) => enqueueOutbox(tx, { kind: 'test.fails', tenantId: null, payload: {} }));
      await expect(deliverOutboxItem(database, { outboxId: id, tenantId: null }, log)).rejects.toThrow(/connect/);
      const row = await outboxRow(id);
      expect(row?.attempts).toBe(1);
      expect(row?.delivered_at).toBeNull();
      const error = String(row?.last_error);
      expect(error.length).toBeLessThanOrEqual(500);
      expect(error).toContain('smtp://[redacted]@mail.example');
      expect(error).not.toContain('hunter2');
      expect(error).not.toContain('4242 4242');
    } finally {
      off();
    }
  });

  it('records a missing handler as a failure', async () => {
    const id = await withTenant(database, shopA, (tx) => enqueueOutbox(tx, { kind: 'test.unhandled', tenantId: shopA, payload: {} }));
    await expect(deliverOutboxItem(database, { outboxId: id, tenantId: shopA }, log)).rejects.toThrow(/no outbox handler/);
    expect((await outboxRow(id))?.last_error).toMatch(/no outbox handler for test\.unhandled/);
  });
});

describe('startOutboxWorker', () => {
  let queue: JobQueue;
  beforeAll(async () => {
    queue = await startJobQueue({ database, log, schedule: false, supervise: false, pollingIntervalSeconds: 0.5 });
    await startOutboxWorker(queue, database, log, { retryDelay: 1, retryBackoff: false, retryLimit: 3 });
  });
  afterAll(() => queue.stop());

  it('delivers after commit, outside any transaction', async () => {
    const delivered: string[] = [];
    const off = registerOutboxHandler('test.worker', async (item, ctx) => {
      // A nested scope would throw: the handler is not inside a transaction.
      const count = await withTenant(ctx.database, item.tenantId!, (tx) => tx.selectFrom('outbox').select('id').execute());
      expect(count.length).toBeGreaterThan(0);
      delivered.push(item.id);
    });
    try {
      const id = await withTenant(database, shopA, (tx) => enqueueOutbox(tx, { kind: 'test.worker', tenantId: shopA, payload: {} }));
      await waitUntil(async () => (await outboxRow(id))?.delivered_at, 10_000, 'delivery');
      expect(delivered).toEqual([id]);
    } finally {
      off();
    }
  });

  it('retries a failed handler until it succeeds', async () => {
    let calls = 0;
    const off = registerOutboxHandler('test.flaky', async () => {
      calls++;
      if (calls === 1) throw new Error('provider timeout');
    });
    try {
      const id = await withTenant(database, shopB, (tx) => enqueueOutbox(tx, { kind: 'test.flaky', tenantId: shopB, payload: {} }));
      await waitUntil(async () => (await outboxRow(id))?.delivered_at, 15_000, 'delivery after retry');
      expect(calls).toBe(2);
      expect(await outboxRow(id)).toMatchObject({ attempts: 1, last_error: null });
      await waitUntil(async () => (await jobsFor(id))[0]?.state === 'completed', 5_000, 'job completed');
    } finally {
      off();
    }
  });

  it('delivers once when the same item is queued twice', async () => {
    let calls = 0;
    const off = registerOutboxHandler('test.duplicate', async () => {
      calls++;
    });
    try {
      const id = await withTenant(database, shopA, (tx) => enqueueOutbox(tx, { kind: 'test.duplicate', tenantId: shopA, payload: {} }));
      await queue.send(OUTBOX_QUEUE.name, { outboxId: id, tenantId: shopA });
      await waitUntil(async () => {
        const jobs = await jobsFor(id);
        return jobs.length === 2 && jobs.every((j) => j.state === 'completed');
      }, 10_000, 'both jobs completed');
      expect(calls).toBe(1);
    } finally {
      off();
    }
  });
});
