import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { ensurePageViewPartitions, MONTHS_AHEAD } from './page-view-partitions.job.ts';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
}, 60_000);

afterAll(async () => {
  await database?.close();
});

async function partitions(): Promise<string[]> {
  const { rows } = await database.ownerExec(`SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'protected_page_views'::regclass ORDER BY 1`);
  return rows.map((r) => String(r.name));
}

describe('page-view partition job', () => {
  it('creates this month and the next ones for both tables, moves early rows out of the default partition, and is idempotent', async () => {
    const future = new Date(Date.UTC(2031, 10, 15));
    const tenant = (await database.ownerExec(`SELECT id FROM tenants LIMIT 1`)).rows[0]!.id;
      await database.ownerExec(`INSERT INTO protected_page_views (tenant_id, viewed_at, page, viewer) VALUES ($1, '2031-12-03T00:00:00Z', 'checkout', 'anonymous')`, [tenant]);
    expect(await ensurePageViewPartitions(database, future)).toBe(2 * (MONTHS_AHEAD + 1));
    const names = await partitions();
    for (const month of ['203111', '203112', '203201']) expect(names).toContain(`protected_page_views_${month}`);
    const platform = await database.ownerExec(`SELECT to_regclass('platform_page_views_203201') IS NOT NULL AS ok`);
    expect(platform.rows[0]!.ok).toBe(true);
    {
      const moved = await database.ownerExec(`SELECT (SELECT count(*)::int FROM protected_page_views_203112) AS there, (SELECT count(*)::int FROM protected_page_views_default WHERE viewed_at >= '2031-12-01') AS left_behind`);
      expect(moved.rows[0]).toEqual({ there: 1, left_behind: 0 });
    }
    expect(await ensurePageViewPartitions(database, future)).toBe(0);
  });
});
