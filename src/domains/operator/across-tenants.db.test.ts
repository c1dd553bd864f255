import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform } from '../../platform/db/tenant-scope.ts';
import { listAudit, verifyAuditChain } from '../audit/audit.service.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { unsafeAcrossTenants } from './across-tenants.ts';

let database: Database;
let shops: string[];
const actor = { type: 'operator' as const, id: '00000000-0000-4000-8000-0000000000aa', label: 'セキュリティ担当 佐藤' };

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(
    `INSERT INTO tenants (slug, display_name, company_name, legal, sort_order)
     VALUES ('across-a','A','A社','{}',1),('across-b','B','B社','{}',2),('across-c','C','C社','{}',3) RETURNING id`,
  );
  shops = rows.map((r) => String(r.id));
  // Two rows per shop and one platform row, all in one table under RLS.
  for (const id of shops) {
    await database.ownerExec(`INSERT INTO outbox (tenant_id, kind, payload) VALUES ($1,'test.row','{}'),($1,'test.row','{}')`, [id]);
  }
  await database.ownerExec(`INSERT INTO outbox (tenant_id, kind, payload) VALUES (NULL,'test.row','{}')`);
});
afterAll(() => database.close());

const platformAudit = () => withPlatform(database, (tx) => listAudit(tx, { limit: 100 }));

describe('unsafeAcrossTenants', () => {
  it('runs once per shop, each call seeing only that shop’s rows', async () => {
    const result = await unsafeAcrossTenants(database, { actor, reason: 'カード情報漏えい調査 INC-7', tenantIds: 'all' }, async (tenantId, tx) => {
      const rows = await tx.selectFrom('outbox').select('tenant_id').execute();
      return { tenantId, seen: rows.map((r) => r.tenant_id) };
    });
    expect([...result.keys()]).toEqual(shops);
    for (const id of shops) expect(result.get(id)).toEqual({ tenantId: id, seen: [id, id] });
  });

  it('writes who, why and which shops to the platform audit chain before running', async () => {
    const before = (await platformAudit()).length;
    const ranAt = await unsafeAcrossTenants(database, { actor, reason: '  月次監査  ', tenantIds: [shops[2]!, shops[0]!] }, async (_id, tx) => {
      const { rows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(tx);
      return rows[0]!.now;
    });
    const all = await platformAudit();
    expect(all).toHaveLength(before + 1);
    const latest = all[0]!;
    for (const at of ranAt.values()) expect(latest.at.getTime()).toBeLessThanOrEqual(at.getTime());
    expect(latest).toMatchObject({
      tenant_id: null,
      actor_type: 'operator',
      actor_id: actor.id,
      actor_label: actor.label,
      action: 'operator.across_tenants',
      result: 'success',
      reason: '月次監査',
      detail: { tenantIds: [shops[0], shops[2]], scope: 'selected' },
    });
    expect(await withPlatform(database, (tx) => verifyAuditChain(tx))).toMatchObject({ ok: true });
    // No shop chain got the entry.
    const inShops = await database.ownerExec(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id IS NOT NULL`);
    expect(inShops.rows[0]?.n).toBe(0);
  });

  it('refuses an empty reason, an empty or unknown shop list, and runs nothing', async () => {
    const before = (await platformAudit()).length;
    let ran = 0;
    const fn = async () => {
      ran++;
    };
    await expect(unsafeAcrossTenants(database, { actor, reason: '   ', tenantIds: 'all' }, fn)).rejects.toBeInstanceOf(ValidationError);
    await expect(unsafeAcrossTenants(database, { actor, reason: '調査', tenantIds: [] }, fn)).rejects.toBeInstanceOf(ValidationError);
    await expect(unsafeAcrossTenants(database, { actor, reason: '調査', tenantIds: ["x' OR true"] }, fn)).rejects.toBeInstanceOf(ValidationError);
    await expect(
      unsafeAcrossTenants(database, { actor, reason: '調査', tenantIds: ['00000000-0000-4000-8000-000000000000'] }, fn),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(ran).toBe(0);
    expect((await platformAudit()).length).toBe(before);
  });

  it('gives each shop its own transaction and audits a failure', async () => {
    await expect(
      unsafeAcrossTenants(database, { actor, reason: '一括修正', tenantIds: shops }, async (tenantId, tx) => {
        await tx.insertInto('outbox').values({ tenant_id: tenantId, kind: 'test.fixed', payload: '{}' }).execute();
        if (tenantId === shops[1]) throw new Error('shop B broke');
      }),
    ).rejects.toThrow('shop B broke');
    const { rows } = await database.ownerExec(`SELECT tenant_id FROM outbox WHERE kind = 'test.fixed'`);
    // Shop A committed; shop B rolled back; shop C never ran.
    expect(rows.map((r) => r.tenant_id)).toEqual([shops[0]]);
    const [failure] = await platformAudit();
    expect(failure).toMatchObject({ action: 'operator.across_tenants.failed', result: 'failure', resource_id: shops[1], detail: { completed: [shops[0]] } });
  });

  it('cannot be used from inside another scope', async () => {
    await expect(
      withPlatform(database, () => unsafeAcrossTenants(database, { actor, reason: '調査', tenantIds: 'all' }, async () => 1)),
    ).rejects.toThrow(/nested database scope/);
  });
});
