import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../../test/test-database.ts';
import { appendAudit } from '../../domains/audit/audit.service.ts';
import { anchorAuditHeads } from '../../domains/audit/audit-anchor.ts';
import { loadAuditSigningKey, parseAuditPublicKey } from '../../domains/audit/audit-anchor-key.ts';
import { verifyAuditWithAnchors } from '../../domains/audit/audit-anchor-verify.ts';
import { addToCart } from '../../domains/cart/cart.service.ts';
import { placeOrder, prepareCheckout } from '../../domains/checkout/checkout.service.ts';
import { addMember, addVariant, asMember, commerceShop } from '../../domains/checkout/checkout-fixtures.testing.ts';
import { issueOrderInvoice } from '../../domains/invoicing/order-invoice.service.ts';
import { loadShopSettings } from '../../domains/orders/shop-settings.ts';
import { appRoleUrl, type Database, openPglite, openPostgres } from '../db/database.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { createBackup, pgliteDir, restoreBackup } from './backup.service.ts';

/**
 * A backup taken from a platform with an order, its qualified invoice (PDF under DATA_DIR), an
 * audit chain anchored outside the database and an uploaded certificate is restored into a fresh
 * directory (and, on PostgreSQL, a fresh database): the same order, a verifying audit chain with
 * its anchors, the same document bytes. On the PGlite run the embedded database is backed up; on
 * the PostgreSQL run, pg_dump/pg_restore.
 */

const pgTemplate = inject('pgTemplate');
const adminUrl = process.env.DATABASE_URL;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-backup-test-'));
const sourceDir = path.join(work, 'source');
const targetDir = path.join(work, 'target');
const archive = path.join(work, 'backup.tar.gz');
const created: string[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function newPostgresDatabase(suffix: string, template: string): Promise<string> {
  const name = `oroshi_t_${inject('runId')}_${suffix}_${Math.random().toString(16).slice(2, 8)}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  created.push(name);
  return withDatabase(adminUrl!, name);
}

async function openSource(): Promise<{ database: Database; ownerUrl?: string }> {
  if (pgTemplate) {
    const ownerUrl = await newPostgresDatabase('bksrc', pgTemplate);
    return { database: await openPostgres({ ownerUrl, runtimeUrl: appRoleUrl(ownerUrl), poolSize: 4 }), ownerUrl };
  }
  const blob = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  return { database: await openPglite({ dataDir: pgliteDir(sourceDir), loadDataDir: blob }) };
}

interface Seeded {
  orderNumber: string;
  totalInclTax: number;
  documentSha256: string;
  documentPath: string;
  certificate: string;
}

let seeded: Seeded;
let sourceUrl: string | undefined;

beforeAll(async () => {
  fs.mkdirSync(sourceDir, { recursive: true });
  const { database, ownerUrl } = await openSource();
  sourceUrl = ownerUrl;
  try {
    const shop = await commerceShop(database);
    const variant = await addVariant(database, shop, { sku: 'BACKUP-1', listPriceYen: 3000, stock: 10 });
    const member = await addMember(database, shop);
    const form = { destination: 'location', locationId: member.locationId, deliveryDate: '', deliverySlot: '', paymentMethod: 'bank_transfer', poNumber: 'PO-BK', notes: '' };
    const placed = await asMember(database, shop, member, async (tx, buyer) => {
      await addToCart(tx, buyer, { variantId: variant, quantity: 2 });
      const settings = await loadShopSettings(tx, shop.tenantId);
      const draft = await prepareCheckout(tx, buyer, settings, form);
      const outcome = await placeOrder(tx, { buyer, settings, form, idempotencyKey: 'backup-test-order-0001', confirmedTotalInclTax: draft.totalInclTax });
      if (outcome.kind !== 'placed') throw new Error(`order not placed: ${outcome.kind}`);
      return { ...outcome, total: draft.totalInclTax };
    });
    await withTenant(database, shop.tenantId, (tx) => appendAudit(tx, { actorType: 'system', action: 'backup.test', result: 'success', detail: { note: 'before backup' } }));
    const signingKey = loadAuditSigningKey({ dataDir: sourceDir });
    const anchored = await anchorAuditHeads(database, { signingKey, anchorDir: path.join(sourceDir, 'audit-anchors') });
    expect(anchored.anchored.length).toBeGreaterThan(0);
    const doc = await issueOrderInvoice({ inScope: (fn) => withTenant(database, shop.tenantId, fn), dataDir: sourceDir }, { tenantId: shop.tenantId, orderId: placed.orderId });
    const certificate = path.join('uploads', 'certificates', 'cert-test.pdf');
    fs.mkdirSync(path.join(sourceDir, 'uploads', 'certificates'), { recursive: true });
    fs.writeFileSync(path.join(sourceDir, certificate), '%PDF-1.4 美容所登録証 test');
    seeded = {
      orderNumber: placed.orderNumber,
      totalInclTax: placed.total,
      documentSha256: doc.sha256,
      documentPath: path.join('documents', shop.tenantId, `${doc.storage_key}.pdf`),
      certificate,
    };
  } finally {
    // PGlite must be closed before its directory can be dumped (the server stopped).
    await database.close();
  }
}, 120_000);

afterAll(async () => {
  fs.rmSync(work, { recursive: true, force: true });
  if (adminUrl) for (const name of created) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

describe(`backup and restore (${pgTemplate ? 'PostgreSQL: pg_dump custom format' : 'PGlite: data-directory dump'})`, () => {
  it('writes one archive with a hash manifest, the database dump and the uploads, without the private keys', async () => {
    const manifest = await createBackup({ databaseUrl: sourceUrl, dataDir: sourceDir }, archive);
    expect(manifest.database.kind).toBe(pgTemplate ? 'postgres' : 'pglite');
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toContain(manifest.database.file);
    expect(paths).toContain(`data/${seeded.documentPath}`);
    expect(paths).toContain(`data/${seeded.certificate}`);
    expect(paths).toContain('data/audit-anchors/anchors.jsonl');
    expect(paths).toContain('data/audit-signing.pub');
    expect(paths).not.toContain('data/audit-signing.key');
    expect(manifest.excluded.map((e) => e.path)).toContain('audit-signing.key');
    expect(paths.some((p) => p.startsWith('data/pgdata'))).toBe(false);
    for (const f of manifest.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('restores into a fresh directory and database: same order, verifying audit chain and anchors, same document bytes', async () => {
    const targetUrl = pgTemplate ? await newPostgresDatabase('bkdst', 'template0') : undefined;
    await restoreBackup(archive, { databaseUrl: targetUrl, dataDir: targetDir });
    const database = targetUrl
      ? await openPostgres({ ownerUrl: targetUrl, runtimeUrl: appRoleUrl(targetUrl), poolSize: 2 })
      : await openPglite({ dataDir: pgliteDir(targetDir) });
    try {
      const order = (await database.ownerExec('SELECT order_number, total_incl_tax FROM orders WHERE order_number = $1', [seeded.orderNumber])).rows[0];
      expect(order).toEqual({ order_number: seeded.orderNumber, total_incl_tax: seeded.totalInclTax });
      const { publicKey, keyId } = parseAuditPublicKey(fs.readFileSync(path.join(targetDir, 'audit-signing.pub'), 'utf8'));
      const report = await verifyAuditWithAnchors(database, { anchorFile: path.join(targetDir, 'audit-anchors', 'anchors.jsonl'), publicKey, keyId });
      expect(report.anchorProblems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.chains.some((c) => c.anchors > 0 && c.rows > 0)).toBe(true);
      const docRow = (await database.ownerExec('SELECT sha256 FROM documents WHERE sha256 = $1', [seeded.documentSha256])).rows;
      expect(docRow).toHaveLength(1);
      const bytes = fs.readFileSync(path.join(targetDir, seeded.documentPath));
      expect(execFileSync('sha256sum', ['-'], { input: bytes }).toString().slice(0, 64)).toBe(seeded.documentSha256);
      expect(fs.readFileSync(path.join(targetDir, seeded.certificate), 'utf8')).toContain('美容所登録証');
      expect(fs.existsSync(path.join(targetDir, 'audit-signing.key'))).toBe(false);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('refuses to restore over existing data, and refuses a damaged archive before writing anything', async () => {
    await expect(restoreBackup(archive, { databaseUrl: undefined, dataDir: targetDir })).rejects.toThrow(/refusing to overwrite|archive holds a PostgreSQL dump/);
    const unpacked = path.join(work, 'tamper');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', archive, '-C', unpacked]);
    fs.appendFileSync(path.join(unpacked, 'data', seeded.certificate), 'x');
    const damaged = path.join(work, 'damaged.tar.gz');
    execFileSync('tar', ['-czf', damaged, '-C', unpacked, '.']);
    const fresh = path.join(work, 'fresh');
    await expect(restoreBackup(damaged, { databaseUrl: pgTemplate ? 'postgres://unused@127.0.0.1:1/none' : undefined, dataDir: fresh })).rejects.toThrow(/hash mismatch/);
    expect(fs.existsSync(fresh)).toBe(false);
  }, 60_000);
});
