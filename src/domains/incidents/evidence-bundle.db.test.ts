import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { anchorAuditHeads } from '../audit/audit-anchor.ts';
import { type AuditSigningKey, parseAuditSigningKey } from '../audit/audit-anchor-key.ts';
import { raiseSecurityEvent } from '../security/security-events.service.ts';
import { tenantIdOf } from '../staff/console.test-support.ts';
import { buildEvidenceBundle, type EvidenceBundle } from './evidence-bundle.service.ts';
import { MANIFEST_FILE, readTar, verifyEvidenceBundle } from './evidence-bundle.tar.ts';
import { recordMilestone } from './incident.service.ts';
import { SYSTEM_ACTOR } from './incident-actor.ts';

let database: Database;
let anchorDir: string;
let key: AuditSigningKey;
let bundle: EvidenceBundle;
let storedEvidenceSha: string;

const newKey = () => parseAuditSigningKey(String(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' })));

/** Re-packs the tar with some files changed, as someone editing the bundle by hand would (without the private key). */
async function repack(buffer: Buffer, change: (files: Map<string, Buffer>) => void): Promise<Buffer> {
  const files = await readTar(buffer);
  change(files);
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', resolve);
  });
  for (const [name, content] of files) pack.entry({ name, size: content.length }, content);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  anchorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-evidence-'));
  key = newKey();
  const shop = await tenantIdOf(database, 'ayame-color');
  const event = await raiseSecurityEvent(
    database,
    {
      tenantId: shop,
      layer: 'browser_monitor',
      severity: 'critical',
      kind: 'walk.script-added',
      page: 'checkout',
      summary: '決済画面に未承認のスクリプトが追加されました',
      fingerprint: 'walk:checkout:script-added:test',
      evidence: [{ kind: 'walk-diff', data: { page: 'checkout', added: ['https://cdn.evil.example/skim.js'], 日本語: 'はい' } }],
    },
    { engageCardKillSwitch: async () => ({ changed: true }), webhookUrl: null },
  );
  storedEvidenceSha = String((await database.ownerExec('SELECT sha256 FROM security_evidence WHERE event_id = $1', [event.id])).rows[0]!.sha256);
  // The critical event opened the incident itself (with the event attached).
  const incidentId = event.incident!.id;
  await recordMilestone(database, SYSTEM_ACTOR, { incidentId, kind: 'contained', at: new Date() });
  await anchorAuditHeads(database, { signingKey: key, anchorDir });
  bundle = await buildEvidenceBundle(database, SYSTEM_ACTOR, incidentId, { signingKey: key, anchorDir });
}, 60_000);

afterAll(async () => {
  await database?.close();
  fs.rmSync(anchorDir, { recursive: true, force: true });
});

describe('incident evidence bundle', () => {
  it('is a tar whose signed manifest lists every file with a matching SHA-256, and the audit extract chains to the head', async () => {
    const check = await verifyEvidenceBundle(bundle.tar, key.publicKey);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    const files = await readTar(bundle.tar);
    const paths = [...files.keys()];
    for (const expected of ['manifest.json', 'manifest.sig', 'incident.json', 'security/events.json', 'verifier/results.json', 'audit/platform-chain.jsonl', 'audit/platform-chain-proof.json', 'documents/index.json']) {
      expect(paths).toContain(expected);
    }
    for (const entry of bundle.manifest.files) expect(createHash('sha256').update(files.get(entry.path)!).digest('hex')).toBe(entry.sha256);
    expect(bundle.manifest.key.id).toBe(key.keyId);
    // The evidence file is byte-for-byte what the layer hashed when it recorded it.
    const evidencePath = paths.find((p) => p.startsWith('security/evidence/ayame-color/'))!;
    expect(createHash('sha256').update(files.get(evidencePath)!).digest('hex')).toBe(storedEvidenceSha);
    const extract = files.get('audit/platform-chain.jsonl')!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(extract.map((r) => r.action)).toEqual(expect.arrayContaining(['incident.open', 'incident.milestone']));
    const proof = JSON.parse(files.get('audit/platform-chain-proof.json')!.toString('utf8'));
    expect(proof.anchors.length).toBeGreaterThan(0);
  });

  it('detects a changed evidence file', async () => {
    const evil = await repack(bundle.tar, (files) => {
      const p = [...files.keys()].find((x) => x.startsWith('security/evidence/'))!;
      files.set(p, Buffer.from(files.get(p)!.toString('utf8').replace('evil', 'good')));
    });
    const check = await verifyEvidenceBundle(evil, key.publicKey);
    expect(check.ok).toBe(false);
    expect(check.problems.join('\n')).toMatch(/security\/evidence\/.*content does not match its hash/);
  });

  it('detects a manifest rewritten to match a changed file (the signature no longer holds)', async () => {
    const evil = await repack(bundle.tar, (files) => {
      const manifest = JSON.parse(files.get(MANIFEST_FILE)!.toString('utf8'));
      const body = Buffer.from('{"forged":true}\n');
      files.set('incident.json', body);
      manifest.files.find((f: { path: string }) => f.path === 'incident.json').sha256 = createHash('sha256').update(body).digest('hex');
      manifest.files.find((f: { path: string }) => f.path === 'incident.json').bytes = body.length;
      files.set(MANIFEST_FILE, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    });
    const check = await verifyEvidenceBundle(evil, key.publicKey);
    expect(check.problems).toEqual(['manifest.sig is not a valid signature of manifest.json by this key']);
  });

  it('detects an added file, a removed file, an edited audit row, and another key', async () => {
    const added = await repack(bundle.tar, (files) => files.set('extra.txt', Buffer.from('x')));
    expect((await verifyEvidenceBundle(added, key.publicKey)).problems).toEqual(['extra.txt: not in the manifest']);
    const removed = await repack(bundle.tar, (files) => files.delete('verifier/results.json'));
    expect((await verifyEvidenceBundle(removed, key.publicKey)).problems).toEqual(['verifier/results.json: listed but missing']);
    const otherKey = newKey();
    expect((await verifyEvidenceBundle(bundle.tar, otherKey.publicKey)).problems).toEqual(
      expect.arrayContaining(['manifest.sig is not a valid signature of manifest.json by this key', 'manifest names another signing key']),
    );
    expect((await verifyEvidenceBundle(Buffer.from('not a tar at all'), key.publicKey)).ok).toBe(false);
  });
});
