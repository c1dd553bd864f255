import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../db/database.ts';
import { withPlatform } from '../db/tenant-scope.ts';
import { installJobSchema, OUTBOX_QUEUE } from './job-schema.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('installJobSchema', () => {
  it('is idempotent and keeps the outbox queue policy', async () => {
    const before = (await database.ownerExec('SELECT version FROM pgboss.version')).rows;
    await installJobSchema(database);
    await installJobSchema(database);
    expect((await database.ownerExec('SELECT version FROM pgboss.version')).rows).toEqual(before);
    const { rows } = await database.ownerExec('SELECT retry_limit, retry_delay, retry_backoff FROM pgboss.queue WHERE name = $1', [OUTBOX_QUEUE.name]);
    expect(rows).toEqual([{ retry_limit: OUTBOX_QUEUE.retryLimit, retry_delay: OUTBOX_QUEUE.retryDelay, retry_backoff: true }]);
  });

  it('lets the runtime role use the queue tables but not change the schema', async () => {
    const count = await withPlatform(database, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job`.execute(tx));
    expect(count.rows[0]?.n).toBeGreaterThanOrEqual(0);
    await expect(withPlatform(database, (tx) => sql`CREATE TABLE pgboss.planted (id int)`.execute(tx))).rejects.toThrow(/permission denied/);
    await expect(withPlatform(database, (tx) => sql`DROP TABLE pgboss.archive`.execute(tx))).rejects.toThrow(/must be owner|permission denied/);
  });
});
