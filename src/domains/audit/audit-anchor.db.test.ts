import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { type AuditHashedFields, appendAudit, auditHash, GENESIS_HASH, verifyAuditChain } from './audit.service.ts';
import { type AuditAnchor, anchorAuditHeads, anchorFilePath, readAnchorFile, signAnchor } from './audit-anchor.ts';
import { type AuditSigningKey, parseAuditSigningKey } from './audit-anchor-key.ts';
import { verifyAuditWithAnchors } from './audit-anchor-verify.ts';

let database: Database;
let signingKey: AuditSigningKey;
const tmpDirs: string[] = [];

const legal = JSON.stringify({ seller: 'テスト' });

function freshKey(): AuditSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return parseAuditSigningKey(String(privateKey.export({ format: 'pem', type: 'pkcs8' })));
}

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-anchors-'));
  tmpDirs.push(dir);
  return dir;
}

async function newShop(slug: string): Promise<string> {
  const { rows } = await database.ownerExec(`INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ($1, $1, $1, $2) RETURNING id`, [slug, legal]);
  return String(rows[0]?.id);
}

async function appendMany(tenantId: string, n: number) {
  for (let i = 1; i <= n; i++) {
    await withTenant(database, tenantId, (tx) =>
      appendAudit(tx, { actorType: 'staff', actorLabel: '佐藤 美咲', action: 'member.approve', result: 'success', detail: { i } }),
    );
  }
}

async function asOwnerWithoutTrigger(fn: (exec: (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>) => Promise<void>) {
  await database.ownerSession(async (exec) => {
    await exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await fn(exec);
    } finally {
      await exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  });
}

/** What an attacker with the owner's rights does: edit a row, then rehash the chain and its head. */
async function rewriteChainConsistently(tenantId: string, editSeq: number) {
  await asOwnerWithoutTrigger(async (exec) => {
    await exec(`UPDATE audit_log SET reason = 'harmless' WHERE tenant_id = $1 AND seq = $2`, [tenantId, editSeq]);
    const rows = (await exec('SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY seq', [tenantId])).rows as unknown as (AuditHashedFields & {
      hash: string;
    })[];
    let prev = GENESIS_HASH;
    for (const row of rows) {
      const hash = auditHash(prev, row);
      await exec('UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3', [prev, hash, row.id]);
      prev = hash;
    }
    await exec('UPDATE audit_heads SET hash = $1 WHERE tenant_id = $2', [prev, tenantId]);
  });
}

const verify = (dir: string, key = signingKey) =>
  verifyAuditWithAnchors(database, { anchorFile: anchorFilePath(dir), publicKey: key.publicKey, keyId: key.keyId });

beforeAll(async () => {
  database = await createTestDatabase();
  signingKey = freshKey();
});
afterAll(async () => {
  await database.close();
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('anchorAuditHeads', () => {
  it('signs one line per chain that has rows, and adds nothing while no head moves', async () => {
    const shop = await newShop('anchor-first');
    await appendMany(shop, 3);
    await withPlatform(database, (tx) => appendAudit(tx, { actorType: 'system', action: 'platform.boot', result: 'success' }));
    const dir = tmpDir();
    const first = await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    const forShop = first.anchored.find((a) => a.chain === shop);
    expect(forShop).toMatchObject({ seq: 3, key: signingKey.keyId });
    expect(first.anchored.some((a) => a.chain === 'platform')).toBe(true);
    const lines = readAnchorFile(anchorFilePath(dir));
    expect(lines).toHaveLength(first.anchored.length);
    expect((fs.statSync(anchorFilePath(dir)).mode & 0o777).toString(8)).toBe('600');

    const second = await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    expect(second.anchored).toEqual([]);
    expect(second.unchanged).toContain(shop);

    await appendMany(shop, 1);
    const third = await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    expect(third.anchored.map((a) => [a.chain, a.seq])).toEqual([[shop, 4]]);
    expect(readAnchorFile(anchorFilePath(dir))).toHaveLength(lines.length + 1);
  });
});

describe('audit verification against the anchors', () => {
  it('passes an untouched database', async () => {
    const shop = await newShop('anchor-clean');
    await appendMany(shop, 4);
    const dir = tmpDir();
    await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    const report = await verify(dir);
    expect(report.anchorProblems).toEqual([]);
    expect(report.chains.find((c) => c.chain === shop)).toMatchObject({ label: 'anchor-clean', rows: 4, headSeq: 4, latestAnchoredSeq: 4, problems: [] });
    expect(report.ok).toBe(true);
  });

  it('detects an edited row', async () => {
    const shop = await newShop('anchor-edited');
    await appendMany(shop, 4);
    const dir = tmpDir();
    await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    await asOwnerWithoutTrigger((exec) => exec(`UPDATE audit_log SET actor_label = '別人' WHERE tenant_id = $1 AND seq = 2`, [shop]).then(() => undefined));
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(report.chains.find((c) => c.chain === shop)?.problems).toEqual(['row 2: content does not match its hash (edited)']);
  });

  it('detects a deleted row', async () => {
    const shop = await newShop('anchor-deleted');
    await appendMany(shop, 4);
    const dir = tmpDir();
    await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    await asOwnerWithoutTrigger((exec) => exec('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 3', [shop]).then(() => undefined));
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(report.chains.find((c) => c.chain === shop)?.problems).toContain('row 3 is missing');
  });

  it('detects a chain recomputed from scratch that the database alone accepts', async () => {
    const shop = await newShop('anchor-rewritten');
    const other = await newShop('anchor-bystander');
    await appendMany(shop, 5);
    await appendMany(other, 2);
    const dir = tmpDir();
    await anchorAuditHeads(database, { signingKey, anchorDir: dir });

    await rewriteChainConsistently(shop, 2);
    // In the database the rewritten chain is perfectly consistent...
    expect(await withTenant(database, shop, (tx) => verifyAuditChain(tx))).toMatchObject({ ok: true, count: 5 });
    // ...but the row at the anchored seq no longer carries the signed hash.
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    const problems = report.chains.find((c) => c.chain === shop)?.problems ?? [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^row 5 differs from its anchor of .*: the chain was rewritten$/);
    expect(report.chains.find((c) => c.chain === other)?.problems).toEqual([]);

    // The anchoring job refuses to bless the rewritten head and reports it instead.
    const run = await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    expect(run.mismatches).toEqual([{ chain: shop, reason: 'row 5 no longer has its anchored hash' }]);
    expect(run.anchored.some((a) => a.chain === shop)).toBe(false);
  });

  it('detects forged anchor lines: another key, or a changed hash under the old signature', async () => {
    const shop = await newShop('anchor-forged');
    await appendMany(shop, 3);
    const dir = tmpDir();
    await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    const head = await withTenant(database, shop, (tx) => tx.selectFrom('audit_heads').select(['seq', 'hash']).executeTakeFirstOrThrow());
    const file = anchorFilePath(dir);
    const cleanLines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

    // Signed with the attacker's own key.
    const byOtherKey = signAnchor(freshKey(), { chain: shop, seq: Number(head.seq), hash: head.hash }, new Date());
    // The real key id and signature of a genuine line, with its hash swapped.
    const genuine = readAnchorFile(file).flatMap((l) => ('anchor' in l && l.anchor.chain === shop ? [l.anchor] : []))[0] as AuditAnchor;
    const altered: AuditAnchor = { ...genuine, hash: 'f'.repeat(64) };
    fs.appendFileSync(file, `${JSON.stringify(byOtherKey)}\n${JSON.stringify(altered)}\n{not json\n`);

    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(report.anchorProblems).toEqual([
      `anchor line ${cleanLines + 1}: signed by unknown key ${byOtherKey.key}`,
      `anchor line ${cleanLines + 2}: signature does not verify (forged or altered)`,
      `anchor line ${cleanLines + 3}: not JSON`,
    ]);
    // The forged lines are not used as references: the chain itself still verifies.
    expect(report.chains.find((c) => c.chain === shop)?.problems).toEqual([]);
  });

  it('reports an anchored chain whose rows are all gone', async () => {
    const shop = await newShop('anchor-wiped');
    await appendMany(shop, 2);
    const dir = tmpDir();
    await anchorAuditHeads(database, { signingKey, anchorDir: dir });
    await asOwnerWithoutTrigger(async (exec) => {
      await exec('DELETE FROM audit_log WHERE tenant_id = $1', [shop]);
      await exec('DELETE FROM audit_heads WHERE tenant_id = $1', [shop]);
    });
    const report = await verify(dir);
    expect(report.chains.find((c) => c.chain === shop)?.problems).toEqual(['anchored row 2 (anchored ' + readAnchorFile(anchorFilePath(dir)).flatMap((l) => ('anchor' in l && l.anchor.chain === shop ? [l.anchor.at] : []))[0] + ') is missing']);
    expect(report.ok).toBe(false);
  });
});
