import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from './database.ts';
import { ScopeError, withPlatform, withRequestScope, withTenant } from './tenant-scope.ts';

const legal = JSON.stringify({ seller: 'テスト' });
let database: Database;
let shopA: string;
let shopB: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(
    `INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('shop-a','A','A社',$1),('shop-b','B','B社',$1) RETURNING id`,
    [legal],
  );
  [shopA, shopB] = rows.map((r) => String(r.id)) as [string, string];
  await database.ownerExec(`INSERT INTO outbox (tenant_id, kind, payload) VALUES ($1,'mail','{"n":1}'),($2,'mail','{"n":2}'),(NULL,'mail','{"n":3}')`, [shopA, shopB]);
});
afterAll(() => database.close());

describe('row-level security through withTenant', () => {
  it('shows a shop only its own rows, with no WHERE clause', async () => {
    const rows = await withTenant(database, shopA, (tx) => tx.selectFrom('outbox').select('tenant_id').execute());
    expect(rows.map((r) => r.tenant_id)).toEqual([shopA]);
  });

  it('refuses to insert a row for another shop', async () => {
    await expect(
      withTenant(database, shopA, (tx) => tx.insertInto('outbox').values({ tenant_id: shopB, kind: 'mail', payload: {} }).execute()),
    ).rejects.toThrow(/row-level security/);
  });

  it('updates and deletes nothing of another shop', async () => {
    const updated = await withTenant(database, shopA, (tx) =>
      tx.updateTable('outbox').set({ kind: 'tampered' }).where('tenant_id', '=', shopB).executeTakeFirst(),
    );
    expect(updated.numUpdatedRows).toBe(0n);
    const deleted = await withTenant(database, shopA, (tx) => tx.deleteFrom('outbox').where('tenant_id', '=', shopB).executeTakeFirst());
    expect(deleted.numDeletedRows).toBe(0n);
    const b = await withTenant(database, shopB, (tx) => tx.selectFrom('outbox').select('kind').execute());
    expect(b).toEqual([{ kind: 'mail' }]);
  });

  it('cannot move its own row into another shop', async () => {
    await expect(
      withTenant(database, shopA, (tx) => tx.updateTable('outbox').set({ tenant_id: shopB }).execute()),
    ).rejects.toThrow(/row-level security/);
  });

  it('with no shop set sees no shop row (only platform rows)', async () => {
    const rows = await withPlatform(database, (tx) => tx.selectFrom('outbox').select('tenant_id').execute());
    expect(rows.map((r) => r.tenant_id)).toEqual([null]);
  });

  it('forgets the shop when the transaction ends', async () => {
    await withTenant(database, shopA, async () => undefined);
    const rows = await withPlatform(database, (tx) => tx.selectFrom('outbox').select('tenant_id').execute());
    expect(rows.every((r) => r.tenant_id === null)).toBe(true);
  });

  it('rolls back on error', async () => {
    await expect(
      withTenant(database, shopA, async (tx) => {
        await tx.insertInto('outbox').values({ tenant_id: shopA, kind: 'rolled_back', payload: {} }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await withTenant(database, shopA, (tx) => tx.selectFrom('outbox').where('kind', '=', 'rolled_back').selectAll().execute());
    expect(rows).toHaveLength(0);
  });

  it('refuses a malformed tenant id and a nested scope', async () => {
    await expect(withTenant(database, "x' OR true --", async () => 1)).rejects.toBeInstanceOf(ScopeError);
    await expect(withTenant(database, shopA, () => withTenant(database, shopB, async () => 1))).rejects.toBeInstanceOf(ScopeError);
  });

  it('sets up a request (shop by slug, session) in one statement and scopes the handler', async () => {
    const result = await withRequestScope(database, { slug: 'shop-b' }, null, async ({ tx, tenant, session }) => ({
      name: tenant?.display_name,
      session,
      rows: await tx.selectFrom('outbox').select('tenant_id').execute(),
    }));
    expect(result.name).toBe('B');
    expect(result.session).toBeNull();
    expect(result.rows.map((r) => r.tenant_id)).toEqual([shopB]);
  });

  it('reads a preload in the same round trip, filtered by the scope it just set', async () => {
    const preload = `(SELECT json_agg(o.tenant_id) FROM outbox o) AS outbox_shops, t.display_name AS shop_name`;
    const result = await withRequestScope(database, { slug: 'shop-b' }, null, async ({ tenant, preloaded }) => ({ tenant, preloaded }), preload);
    expect(result.tenant?.display_name).toBe('B');
    expect(result.preloaded).toMatchObject({ outbox_shops: [shopB], shop_name: 'B' });
    const unknown = await withRequestScope(database, { slug: 'nope' }, null, async ({ tenant, preloaded }) => ({ tenant, preloaded }), preload);
    expect(unknown.tenant).toBeNull();
    expect((unknown.preloaded?.outbox_shops as unknown[] | null)?.every((id) => id === null) ?? true).toBe(true);
    expect(await withRequestScope(database, { slug: 'shop-b' }, null, async ({ preloaded }) => preloaded)).toBeNull();
  });

  it('sees nothing when the shop is unknown', async () => {
    const result = await withRequestScope(database, { slug: 'nope' }, null, async ({ tx, tenant }) => ({
      tenant,
      rows: await tx.selectFrom('outbox').select('tenant_id').execute(),
    }));
    expect(result.tenant).toBeNull();
    expect(result.rows.every((r) => r.tenant_id === null)).toBe(true);
  });
});
