import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import { sanitizeDescription } from '../domains/catalog/description-sanitizer.ts';
import { checkVerifierHeartbeat } from '../domains/security/verifier-heartbeat.service.ts';
import { prepareBuildManifest } from '../platform/build-manifest/build-integrity.ts';
import { createBuildManifest, PROJECT_ROOT, writeBuildManifest } from '../platform/build-manifest/build-manifest.ts';
import { loadConfig } from '../platform/config/config.ts';
import type { Database } from '../platform/db/database.ts';
import { runFilePass } from './verifier-pass.ts';
import { startVerifierProcess } from './verifier-process.ts';
import { newVerifierRecordState, recordVerifierPass } from './verifier-record.ts';

let database: Database;
let shopA: string;
let shopB: string;
let productId: string;
let root: string;
const keys = generateKeyPairSync('ed25519');
const manifestPath = () => path.join(root, 'build-manifest.json');
const cleanHtml = (sanitizeDescription('<p>サロン専用の<strong>カラー剤</strong>です。<a href="/s/a/p/1">詳細</a></p>') as { html: string }).html;

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(
    `INSERT INTO tenants (slug, display_name, company_name, legal, tagline) VALUES ('ver-a','A','A社','{"seller":"A社"}','プロのための卸'),('ver-b','B','B社','{}','') RETURNING id`,
  );
  [shopA, shopB] = rows.map((r) => String(r.id)) as [string, string];
  const cat = await database.ownerExec(`INSERT INTO categories (tenant_id, slug, name) VALUES ($1, 'color', 'カラー') RETURNING id`, [shopA]);
  const product = await database.ownerExec(
    `INSERT INTO products (tenant_id, code, name, category_id, description_html) VALUES ($1, 'C-1', 'カラー剤', $2, $3) RETURNING id`,
    [shopA, cat.rows[0]!.id, cleanHtml],
  );
  productId = String(product.rows[0]!.id);
  await database.ownerExec(`INSERT INTO staff_users (tenant_id, email, display_name, role) VALUES (NULL, 'officer@ver.example', '真田', 'security_officer')`);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-ver-'));
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src/checkout.routes.ts'), 'export const checkout = 1;\n');
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  writeBuildManifest(manifestPath(), createBuildManifest({ root, privateKey: keys.privateKey, appEnv: 'test' }));
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(async () => {
  await database.ownerExec(`DELETE FROM card_kill_switches`);
});

const pass = () => runFilePass({ root, manifestPath: manifestPath(), publicKey: keys.publicKey });
const events = async () => (await database.ownerExec(`SELECT tenant_id, layer, severity, kind, occurrences FROM security_events ORDER BY first_seen_at`)).rows;
const switches = async () => (await database.ownerExec(`SELECT tenant_id, engaged FROM card_kill_switches ORDER BY tenant_id NULLS FIRST`)).rows;

describe('verifier passes recorded', () => {
  it('an unchanged build and clean stored texts raise nothing and write a heartbeat', async () => {
    const state = newVerifierRecordState('test-instance', 30);
    const recorded = await recordVerifierPass(database, pass(), state);
    expect(recorded).toMatchObject({ raised: [], problems: 0 });
    expect(recorded.textsChecked).toBeGreaterThanOrEqual(3);
    expect(await events()).toEqual([]);
    expect(await switches()).toEqual([]);
    const beat = (await database.ownerExec(`SELECT instance, files_checked, problems FROM verifier_heartbeats`)).rows;
    expect(beat).toEqual([{ instance: 'test-instance', files_checked: 2, problems: 0 }]);
  });

  it('an edited server file stops cards on every shop within the pass; the next pass counts, not repeats, the evidence', async () => {
    const state = newVerifierRecordState('test-instance', 30);
    fs.appendFileSync(path.join(root, 'src/checkout.routes.ts'), 'export const skim = 1;\n');
    const tamperedAt = performance.now();
    const recorded = await recordVerifierPass(database, pass(), state);
    console.info(`file edit to card stop within one pass: ${Math.round(performance.now() - tamperedAt)} ms`);
    expect(recorded.raised).toHaveLength(1);
    expect(recorded.raised[0]).toMatchObject({ severity: 'critical', containment: { scope: 'all' } });
    expect(await switches()).toEqual([{ tenant_id: null, engaged: true }]);
    await recordVerifierPass(database, pass(), state);
    const rows = await database.ownerExec(`SELECT e.occurrences, count(v.id)::int AS evidence FROM security_events e LEFT JOIN security_evidence v ON v.event_id = e.id WHERE e.kind = 'build.files-differ' GROUP BY e.id`);
    expect(rows.rows).toEqual([{ occurrences: 2, evidence: 1 }]);
    // Restore, so later tests see a clean build.
    writeBuildManifest(manifestPath(), createBuildManifest({ root, privateKey: keys.privateKey, appEnv: 'test' }));
  });

  it('a stored description changed behind the sanitiser’s back stops that shop’s cards', async () => {
    await database.ownerExec(`UPDATE products SET description_html = description_html || '<img src=x onerror="fetch(1)">' WHERE id = $1`, [productId]);
    const recorded = await recordVerifierPass(database, pass(), newVerifierRecordState('test-instance', 30));
    expect(recorded.raised).toHaveLength(1);
    expect(recorded.raised[0]).toMatchObject({ tenantId: shopA, severity: 'critical', containment: { scope: 'shop' } });
    expect(await switches()).toEqual([{ tenant_id: shopA, engaged: true }]);
    const evidence = (await database.ownerExec(`SELECT data FROM security_evidence v JOIN security_events e ON e.id = v.event_id WHERE e.kind = 'text.description-unsanitised'`)).rows[0] as {
      data: { productId: string; removedBySanitiser: string[] };
    };
    expect(evidence.data.productId).toBe(productId);
    expect(evidence.data.removedBySanitiser).toContain('img[onerror]');
    await database.ownerExec(`UPDATE products SET description_html = $2 WHERE id = $1`, [productId, cleanHtml]);
  });

  it('markup in a tagline is a warning for that shop, without a card stop', async () => {
    await database.ownerExec(`UPDATE tenants SET tagline = '<script src=//evil.example/x.js></script>' WHERE id = $1`, [shopB]);
    const recorded = await recordVerifierPass(database, pass(), newVerifierRecordState('test-instance', 30));
    expect(recorded.raised.map((r) => [r.tenantId, r.severity])).toEqual([[shopB, 'warning']]);
    expect(await switches()).toEqual([]);
    await database.ownerExec(`UPDATE tenants SET tagline = '' WHERE id = $1`, [shopB]);
  });
});

describe('dead-man’s switch for the verifier', () => {
  it('is quiet while the heartbeat is fresh and raises a platform-wide critical event once it is two intervals old', async () => {
    await database.ownerExec(`DELETE FROM card_kill_switches`);
    const since = new Date(Date.now() - 3_600_000);
    await database.ownerExec(`UPDATE verifier_heartbeats SET checked_at = now() - interval '50 seconds'`);
    expect(await checkVerifierHeartbeat(database, { intervalSeconds: 30, since })).toBeNull();
    await database.ownerExec(`UPDATE verifier_heartbeats SET checked_at = now() - interval '61 seconds'`);
    const raised = await checkVerifierHeartbeat(database, { intervalSeconds: 30, since });
    expect(raised).toMatchObject({ severity: 'critical', containment: { scope: 'all' } });
    expect(await switches()).toEqual([{ tenant_id: null, engaged: true }]);
  });

  it('does not call a verifier stalled before two intervals have passed since boot', async () => {
    await database.ownerExec(`DELETE FROM verifier_heartbeats`);
    expect(await checkVerifierHeartbeat(database, { intervalSeconds: 30, since: new Date() })).toBeNull();
    const raised = await checkVerifierHeartbeat(database, { intervalSeconds: 30, since: new Date(Date.now() - 61_000), neverSeenSeverity: 'warning' });
    expect(raised).toMatchObject({ severity: 'warning', containment: null });
  });
});

describe('the verifier as its own process', () => {
  it('a forked verifier checks the real build and its parent records the heartbeat', async () => {
    await database.ownerExec(`DELETE FROM verifier_heartbeats`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-verproc-'));
    // No DATABASE_URL in the child's environment: it reports over IPC and this process records.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, APP_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', VERIFIER_INTERVAL_SECONDS: '5' };
    const config = loadConfig(env);
    const prepared = prepareBuildManifest(config, undefined, PROJECT_ROOT);
    expect(prepared.fileCount).toBeGreaterThan(1000);
    const verifier = startVerifierProcess({ config, database, log: pino({ level: 'silent' }) }, { env });
    try {
      let beat: { files_checked: number }[] = [];
      for (let i = 0; i < 200 && beat.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        beat = (await database.ownerExec(`SELECT files_checked FROM verifier_heartbeats`)).rows as typeof beat;
      }
      // Others may add files meanwhile; what matters is that the child walked the whole real build.
      expect(beat[0]?.files_checked).toBeGreaterThan(prepared.fileCount - 50);
    } finally {
      await verifier.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});
