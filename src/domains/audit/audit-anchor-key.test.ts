import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../platform/config/config.ts';
import { anchorSignatureValid, signAnchor } from './audit-anchor.ts';
import { loadAuditSigningKey, PUBLIC_KEY_FILE, parseAuditPublicKey, SIGNING_KEY_FILE } from './audit-anchor-key.ts';

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-audit-key-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('loadAuditSigningKey', () => {
  it('generates a key into DATA_DIR (0600) with its public key beside it, and reuses it', () => {
    const dataDir = tmp();
    const first = loadAuditSigningKey({ dataDir });
    expect((fs.statSync(path.join(dataDir, SIGNING_KEY_FILE)).mode & 0o777).toString(8)).toBe('600');
    const pub = parseAuditPublicKey(fs.readFileSync(path.join(dataDir, PUBLIC_KEY_FILE), 'utf8'));
    expect(pub.keyId).toBe(first.keyId);
    const again = loadAuditSigningKey({ dataDir });
    expect(again.keyId).toBe(first.keyId);
    // An anchor signed with the private key verifies with the public file alone.
    const anchor = signAnchor(first, { chain: 'platform', seq: 3, hash: 'a'.repeat(64) }, new Date());
    expect(anchorSignatureValid(anchor, pub.publicKey)).toBe(true);
    expect(anchorSignatureValid({ ...anchor, seq: 4 }, pub.publicKey)).toBe(false);
  });

  it('takes AUDIT_SIGNING_KEY as PEM or as base64 PKCS#8, writing no file', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = String(privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const b64 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const dataDir = tmp();
    const fromPem = loadAuditSigningKey({ dataDir, AUDIT_SIGNING_KEY: pem });
    const fromB64 = loadAuditSigningKey({ dataDir, AUDIT_SIGNING_KEY: b64 });
    expect(fromPem.keyId).toBe(fromB64.keyId);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a key that is not Ed25519 or not a key, naming the variable', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = String(privateKey.export({ format: 'pem', type: 'pkcs8' }));
    expect(() => loadAuditSigningKey({ dataDir: tmp(), AUDIT_SIGNING_KEY: pem })).toThrow(ConfigError);
    expect(() => loadAuditSigningKey({ dataDir: tmp(), AUDIT_SIGNING_KEY: pem })).toThrow(/AUDIT_SIGNING_KEY: an Ed25519 key is required, got ec/);
    expect(() => loadAuditSigningKey({ dataDir: tmp(), AUDIT_SIGNING_KEY: 'bm90IGEga2V5' })).toThrow(/AUDIT_SIGNING_KEY: not a PKCS#8/);
  });
});
