import { randomUUID } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { type Tx, withPlatform, withTenant } from '../db/tenant-scope.ts';
import { maskPanLike } from '../log/redact.ts';
import type { JobQueue, WorkOptions } from './job-queue.ts';
import { JOB_SCHEMA, OUTBOX_QUEUE } from './job-schema.ts';

/**
 * The transactional outbox. A side effect (mail, PSP call, PDF) is decided inside a business
 * transaction: the outbox row and its pg-boss job are written in that same transaction, so a
 * rollback leaves neither and a commit leaves both. A worker delivers it after commit.
 *
 * Delivery is at-least-once. A crash after a handler's side effect but before the row is marked
 * delivered runs the handler again (once per such crash), so every handler must be idempotent by
 * outbox id: check for its own record of the effect first, and pass the id on as an idempotency
 * key where the other side accepts one (PSP Idempotency-Key, mail Message-ID).
 */

export interface OutboxItem {
  id: string;
  tenantId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  /** Failed attempts before this one. */
  attempts: number;
}

export interface OutboxContext {
  database: Database;
  log: Logger;
}

/**
 * Runs outside any transaction; open your own scope with `withOutboxScope` when you need one. It
 * may resolve to its record of the effect as a step (an `OutboxRecord` function; anything else is
 * ignored): that runs in the transaction that marks the item delivered, so the record and the
 * mark commit together, one scope fewer.
 */
export type OutboxHandler = (item: OutboxItem, ctx: OutboxContext) => Promise<unknown>;

/** A handler's record of its effect, written in the transaction that marks the item delivered. */
export type OutboxRecord = (tx: Tx) => Promise<unknown>;

export interface OutboxHandlerOptions {
  /**
   * Whether the effect is already recorded (a crash after the record, before the mark — or a
   * record from an earlier delivery): checked in the transaction that loads the item; when true
   * the handler does not run again and the item is marked delivered.
   */
  alreadyDone?: (tx: Tx, item: OutboxItem) => Promise<boolean>;
}

interface OutboxJobData {
  outboxId: string;
  tenantId: string | null;
}

const handlers = new Map<string, { run: OutboxHandler; options: OutboxHandlerOptions }>();

/** Registers the handler of one outbox kind; returns a function that removes it. */
export function registerOutboxHandler(kind: string, handler: OutboxHandler, options: OutboxHandlerOptions = {}): () => void {
  if (handlers.has(kind)) throw new Error(`outbox handler for ${kind} is already registered`);
  const entry = { run: handler, options };
  handlers.set(kind, entry);
  return () => {
    if (handlers.get(kind) === entry) handlers.delete(kind);
  };
}

// Never started: it only turns send() into pg-boss's insert statement, run on the caller's
// transaction through the per-call `db` option.
const jobWriter = new PgBoss({
  schema: JOB_SCHEMA,
  db: {
    executeSql: () => Promise.reject(new Error('outbox jobs are written only through the open transaction')),
  },
});

/**
 * pg-boss's statement on the caller's transaction. `alongside`: a data-modifying statement of
 * ours run in the same round trip as a WITH clause (its placeholders renumbered after pg-boss's):
 * the outbox row with its job, one statement instead of two.
 */
function onTransaction(tx: Tx, alongside?: CompiledQuery): PgBoss.Db {
  return {
    executeSql: async (text, values = []) => {
      if (!alongside) {
        const result = await tx.executeQuery(CompiledQuery.raw(text, values));
        return { rows: result.rows as unknown[] };
      }
      const ours = alongside.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + values.length}`);
      const body = text.trimStart();
      const combined = /^WITH\s/i.test(body) ? `WITH alongside AS (${ours}), ${body.slice(5)}` : `WITH alongside AS (${ours}) ${body}`;
      const result = await tx.executeQuery(CompiledQuery.raw(combined, [...values, ...alongside.parameters]));
      return { rows: result.rows as unknown[] };
    },
  };
}

/** Writes an outbox item and its job in the caller's transaction. Returns the outbox id. */
export async function enqueueOutbox(
  tx: Tx,
  item: { kind: string; payload: Record<string, unknown>; tenantId: string | null },
): Promise<string> {
  // The row and its job in one statement (the row's id chosen here).
  const id = randomUUID();
  const row = tx.insertInto('outbox').values({ id, tenant_id: item.tenantId, kind: item.kind, payload: JSON.stringify(item.payload) }).compile();
  const data: OutboxJobData = { outboxId: id, tenantId: item.tenantId };
  const jobId = await jobWriter.send(OUTBOX_QUEUE.name, data, { db: onTransaction(tx, row) });
  if (!jobId) throw new Error('outbox job was not created');
  return id;
}

/**
 * Writes many outbox items and their jobs in the caller's transaction with two statements per
 * chunk instead of two per item (a customer import queues thousands of invitation mails; one by
 * one they held the transaction for minutes). Same rows, same jobs, same queue policy as
 * enqueueOutbox. Returns the outbox ids in the order of `items`.
 */
export async function enqueueOutboxBatch(
  tx: Tx,
  items: readonly { kind: string; payload: Record<string, unknown>; tenantId: string | null }[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += 1000) {
    const chunk = items.slice(i, i + 1000).map((item) => ({ ...item, id: randomUUID() }));
    await tx
      .insertInto('outbox')
      .values(chunk.map((item) => ({ id: item.id, tenant_id: item.tenantId, kind: item.kind, payload: JSON.stringify(item.payload) })))
      .execute();
    await jobWriter.insert(
      chunk.map((item) => ({ name: OUTBOX_QUEUE.name, data: { outboxId: item.id, tenantId: item.tenantId } satisfies OutboxJobData })),
      { db: onTransaction(tx) },
    );
    ids.push(...chunk.map((item) => item.id));
  }
  return ids;
}

/** The scope an outbox item lives in: its shop, or the platform for tenant_id NULL. */
export function withOutboxScope<T>(database: Database, tenantId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return tenantId === null ? withPlatform(database, fn) : withTenant(database, tenantId, fn);
}

export type DeliveryResult = 'delivered' | 'already_delivered' | 'missing';

/**
 * Delivers one outbox item: load (in its scope), run the handler outside any transaction, mark
 * delivered. On failure the attempt and a short redacted error are recorded and the error is
 * rethrown so pg-boss retries the job.
 */
export async function deliverOutboxItem(database: Database, data: OutboxJobData, log: Logger): Promise<DeliveryResult> {
  // The item and (when its handler can tell) whether its effect is already recorded: one scope.
  const loaded = await withOutboxScope(database, data.tenantId, async (tx) => {
    const row = await tx.selectFrom('outbox').selectAll().where('id', '=', data.outboxId).executeTakeFirst();
    if (!row || row.delivered_at) return { row, item: null, done: false };
    const item: OutboxItem = { id: row.id, tenantId: row.tenant_id, kind: row.kind, payload: row.payload, attempts: row.attempts };
    const alreadyDone = handlers.get(row.kind)?.options.alreadyDone;
    return { row, item, done: alreadyDone ? await alreadyDone(tx, item) : false };
  });
  const { row, item } = loaded;
  if (!row) {
    // Written in the same transaction as its job, so this is a job pointing at the wrong scope.
    log.error({ outboxId: data.outboxId, tenantId: data.tenantId }, 'outbox item not found in its scope');
    return 'missing';
  }
  if (!item) return 'already_delivered';
  let record: OutboxRecord | undefined;
  if (!loaded.done) {
    try {
      const handler = handlers.get(row.kind);
      if (!handler) throw new Error(`no outbox handler for ${row.kind}`);
      const outcome = await handler.run(item, { database, log });
      if (typeof outcome === 'function') record = outcome as OutboxRecord;
    } catch (err) {
      await withOutboxScope(database, data.tenantId, (tx) =>
        tx
          .updateTable('outbox')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: outboxErrorText(err) }))
          .where('id', '=', row.id)
          .execute(),
      );
      throw err;
    }
  }
  await withOutboxScope(database, data.tenantId, async (tx) => {
    if (record) await record(tx);
    await tx.updateTable('outbox').set({ delivered_at: new Date(), last_error: null }).where('id', '=', row.id).where('delivered_at', 'is', null).execute();
  });
  return 'delivered';
}

/** Starts delivering outbox items in this process. */
export async function startOutboxWorker(
  queue: JobQueue,
  database: Database,
  log: Logger,
  options: Pick<WorkOptions, 'concurrency' | 'pollingIntervalSeconds' | 'retryDelay' | 'retryLimit' | 'retryBackoff'> = {},
): Promise<void> {
  await queue.work<OutboxJobData>(OUTBOX_QUEUE.name, async (job) => {
    await deliverOutboxItem(database, job.data, log);
  }, options);
}

// Stored for the operator console: short, no credentials in URLs, no card-number-like digits.
export function outboxErrorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return maskPanLike(text.replace(/\/\/[^/\s@]+@/g, '//[redacted]@')).slice(0, 500);
}
