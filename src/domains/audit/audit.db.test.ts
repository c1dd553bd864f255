import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { type AuditEntry, type AuditHashedFields, appendAudit, auditHash, canonicalAuditJson, GENESIS_HASH, listAudit, verifyAuditChain } from './audit.service.ts';

let database: Database;
let shopA: string;
let shopB: string;
let shopC: string;

const legal = JSON.stringify({ seller: 'テスト' });
const entry = (action: string, detail: Record<string, unknown> = {}): AuditEntry => ({
  actorType: 'staff',
  actorLabel: '山田 花子',
  action,
  result: 'success',
  resourceType: 'order',
  resourceId: 'o-1',
  detail,
});

async function appendMany(tenantId: string, n: number) {
  for (let i = 1; i <= n; i++) await withTenant(database, tenantId, (tx) => appendAudit(tx, entry('order.update', { i })));
}

// Tampering needs the owner: the runtime role has no UPDATE/DELETE and a trigger refuses them.
async function tamper(statement: string, values: unknown[]) {
  await database.ownerSession(async (exec) => {
    await exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await exec(statement, values);
    } finally {
      await exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(
    `INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('audit-a','A','A社',$1),('audit-b','B','B社',$1),('audit-c','C','C社',$1) RETURNING id`,
    [legal],
  );
  [shopA, shopB, shopC] = rows.map((r) => String(r.id)) as [string, string, string];
});
afterAll(() => database.close());

describe('appendAudit', () => {
  it('starts a chain at seq 1 from the genesis hash and links each row to the previous one', async () => {
    const first = await withTenant(database, shopA, (tx) => appendAudit(tx, entry('product.create', { sku: 'H-1', price: 1200 })));
    const second = await withTenant(database, shopA, (tx) => appendAudit(tx, entry('product.update')));
    expect(first.seq).toBe(1);
    expect(first.tenant_id).toBe(shopA);
    expect(first.prev_hash).toBe(GENESIS_HASH);
    expect(first.hash).toBe(auditHash(GENESIS_HASH, first));
    expect(second.seq).toBe(2);
    expect(second.prev_hash).toBe(first.hash);
    // Stored at millisecond precision, so the hash recomputed from the row matches.
    const { rows } = await database.ownerExec('SELECT (extract(microseconds FROM at)::int % 1000) AS us FROM audit_log WHERE id = $1', [first.id]);
    expect(Number(rows[0]?.us)).toBe(0);
  });

  it('keeps one chain per shop and one for the platform, chosen by the scope', async () => {
    const b = await withTenant(database, shopB, (tx) => appendAudit(tx, entry('member.approve')));
    const p = await withPlatform(database, (tx) => appendAudit(tx, { actorType: 'operator', action: 'tenant.suspend', result: 'success' }));
    expect(b.seq).toBe(1);
    expect(b.tenant_id).toBe(shopB);
    expect(p.seq).toBe(1);
    expect(p.tenant_id).toBeNull();
    const aRows = await withTenant(database, shopA, (tx) => listAudit(tx, { limit: 50 }));
    expect(aRows.every((r) => r.tenant_id === shopA)).toBe(true);
    const platformRows = await withPlatform(database, (tx) => listAudit(tx, { limit: 50 }));
    expect(platformRows.map((r) => r.action)).toEqual(['tenant.suspend']);
  });

  it('cannot write into another chain: the row tenant comes from the scope only', async () => {
    await expect(
      withTenant(database, shopA, (tx) =>
        sql`INSERT INTO audit_log (tenant_id, seq, at, actor_type, action, result, prev_hash, hash)
          VALUES (${shopB}, 99, now(), 'staff', 'x.y', 'success', ${GENESIS_HASH}, ${GENESIS_HASH})`.execute(tx),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('gives the runtime role no way to change or delete a row', async () => {
    await expect(
      withTenant(database, shopA, (tx) => tx.updateTable('audit_log').set({ reason: 'edited' }).where('seq', '=', 1).execute()),
    ).rejects.toThrow(/permission denied|append-only/);
    await expect(withTenant(database, shopA, (tx) => tx.deleteFrom('audit_log').execute())).rejects.toThrow(/permission denied|append-only/);
  });

  it('serialises concurrent appends in one chain', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => withTenant(database, shopC, (tx) => appendAudit(tx, entry('order.ship', { i })))),
    );
    expect(results.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const check = await withTenant(database, shopC, (tx) => verifyAuditChain(tx));
    expect(check).toMatchObject({ ok: true, count: 20 });
  });

  it('rolls the row and the head back with the transaction', async () => {
    const before = await withTenant(database, shopB, (tx) => verifyAuditChain(tx));
    await expect(
      withTenant(database, shopB, async (tx) => {
        await appendAudit(tx, entry('member.reject'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const after = await withTenant(database, shopB, (tx) => verifyAuditChain(tx));
    expect(after).toEqual(before);
  });
});

describe('canonicalAuditJson', () => {
  it('sorts keys at every level and writes the time with milliseconds', () => {
    const fields: AuditHashedFields = {
      id: '00000000-0000-4000-8000-000000000001',
      tenant_id: null,
      seq: 3,
      at: new Date('2025-04-13T01:02:03.004Z'),
      actor_type: 'system',
      actor_id: null,
      actor_label: '',
      action: 'a.b',
      resource_type: '',
      resource_id: '',
      result: 'success',
      source_ip: '',
      request_id: '',
      reason: '',
      detail: { z: 1, a: { y: [2, { d: 1, c: 0 }], b: '日本' } },
    };
    const json = canonicalAuditJson(fields);
    expect(json.startsWith('{"action":"a.b","actor_id":null,')).toBe(true);
    expect(json).toContain('"at":"2025-04-13T01:02:03.004Z"');
    expect(json).toContain('"detail":{"a":{"b":"日本","y":[2,{"c":0,"d":1}]},"z":1}');
    expect(auditHash(GENESIS_HASH, fields)).not.toBe(auditHash(GENESIS_HASH, { ...fields, seq: 4 }));
    expect(auditHash(GENESIS_HASH, fields)).not.toBe(auditHash(GENESIS_HASH, { ...fields, tenant_id: 'x' }));
  });
});

describe('verifyAuditChain detects tampering', () => {
  // Each case gets a fresh shop with a 5-row chain.
  async function freshChain(): Promise<string> {
    const { rows } = await database.ownerExec(
      `INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('t-' || substr(md5(random()::text), 1, 12),'T','T社',$1) RETURNING id`,
      [legal],
    );
    const id = String(rows[0]?.id);
    await appendMany(id, 5);
    expect(await withTenant(database, id, (tx) => verifyAuditChain(tx))).toMatchObject({ ok: true, count: 5, head: { seq: 5 } });
    return id;
  }
  const verify = (id: string) => withTenant(database, id, (tx) => verifyAuditChain(tx));

  it('an edited row', async () => {
    const id = await freshChain();
    await tamper(`UPDATE audit_log SET reason = 'nothing happened' WHERE tenant_id = $1 AND seq = 3`, [id]);
    expect(await verify(id)).toEqual({ ok: false, brokenAtSeq: 3, reason: 'row content does not match its hash' });
  });

  it('an edited detail', async () => {
    const id = await freshChain();
    await tamper(`UPDATE audit_log SET detail = '{"i": 99}' WHERE tenant_id = $1 AND seq = 2`, [id]);
    expect(await verify(id)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('a deleted row in the middle', async () => {
    const id = await freshChain();
    await tamper('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 2', [id]);
    expect(await verify(id)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('a deleted row renumbered to close the gap', async () => {
    const id = await freshChain();
    await tamper('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 2', [id]);
    for (const seq of [3, 4, 5]) await tamper('UPDATE audit_log SET seq = $2 WHERE tenant_id = $1 AND seq = $3', [id, seq - 1, seq]);
    await database.ownerExec('UPDATE audit_heads SET seq = 4 WHERE tenant_id = $1', [id]);
    expect(await verify(id)).toEqual({ ok: false, brokenAtSeq: 2, reason: 'prev_hash does not match the previous row' });
  });

  it('the last row deleted (head ahead of the rows)', async () => {
    const id = await freshChain();
    await tamper('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 5', [id]);
    expect(await verify(id)).toMatchObject({ ok: false, brokenAtSeq: 5 });
  });

  it('two rows swapped', async () => {
    const id = await freshChain();
    // seq > 0 is checked and (tenant_id, seq) unique, so swap through a free number.
    await tamper('UPDATE audit_log SET seq = 1000 WHERE tenant_id = $1 AND seq = 3', [id]);
    await tamper('UPDATE audit_log SET seq = 3 WHERE tenant_id = $1 AND seq = 4', [id]);
    await tamper('UPDATE audit_log SET seq = 4 WHERE tenant_id = $1 AND seq = 1000', [id]);
    expect(await verify(id)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('a head that does not match the last row', async () => {
    const id = await freshChain();
    await database.ownerExec(`UPDATE audit_heads SET hash = $2 WHERE tenant_id = $1`, [id, 'f'.repeat(64)]);
    expect(await verify(id)).toEqual({ ok: false, brokenAtSeq: 5, reason: 'head hash does not match the last row' });
  });

  it('but not a chain recomputed from genesis with its head (the external signed head covers that)', async () => {
    const id = await freshChain();
    const { rows } = await database.ownerExec('SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY seq', [id]);
    let prev = GENESIS_HASH;
    for (const row of rows) {
      const forged = { ...(row as never as Parameters<typeof auditHash>[1]), reason: 'rewritten' };
      const hash = auditHash(prev, forged);
      await tamper('UPDATE audit_log SET reason = $3, prev_hash = $4, hash = $5 WHERE tenant_id = $1 AND seq = $2', [id, row.seq, 'rewritten', prev, hash]);
      prev = hash;
    }
    await database.ownerExec('UPDATE audit_heads SET hash = $2 WHERE tenant_id = $1', [id, prev]);
    expect(await verify(id)).toMatchObject({ ok: true, count: 5 });
  });
});

describe('listAudit', () => {
  it('pages back by seq, newest first', async () => {
    const { rows } = await database.ownerExec(
      `INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('audit-list','L','L社',$1) RETURNING id`,
      [legal],
    );
    const id = String(rows[0]?.id);
    await appendMany(id, 7);
    const page1 = await withTenant(database, id, (tx) => listAudit(tx, { limit: 3 }));
    const page2 = await withTenant(database, id, (tx) => listAudit(tx, { limit: 3, before: page1.at(-1)!.seq }));
    expect(page1.map((r) => r.seq)).toEqual([7, 6, 5]);
    expect(page2.map((r) => r.seq)).toEqual([4, 3, 2]);
  });
});
