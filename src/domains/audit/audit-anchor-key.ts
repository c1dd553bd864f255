import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../platform/config/config.ts';

/**
 * The Ed25519 key that signs audit chain heads. It lives outside the database on purpose: someone
 * who can rewrite the audit tables still cannot produce an anchor for the rewritten chain.
 * Production passes AUDIT_SIGNING_KEY (PEM, or base64 of the PKCS#8 DER); the demo generates one
 * into DATA_DIR/audit-signing.key (0600) with its public key beside it (audit-signing.pub), which
 * is all an auditor needs to check the anchors.
 */
export interface AuditSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of sha256(SPKI DER): names the key in every anchor line. */
  keyId: string;
  publicKeyPem: string;
}

export const SIGNING_KEY_FILE = 'audit-signing.key';
export const PUBLIC_KEY_FILE = 'audit-signing.pub';

export function auditKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
}

function fromPrivateKey(privateKey: KeyObject): AuditSigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyId: auditKeyId(publicKey),
    publicKeyPem: String(publicKey.export({ format: 'pem', type: 'spki' })),
  };
}

/** PEM or base64 PKCS#8 DER → an Ed25519 private key; anything else throws. */
export function parseAuditSigningKey(text: string): AuditSigningKey {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.includes('-----BEGIN')
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('not a PKCS#8 private key (PEM or base64 DER)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an Ed25519 key is required, got ${key.asymmetricKeyType}`);
  return fromPrivateKey(key);
}

/** An SPKI public key in PEM (the .pub file) → the key an auditor verifies anchors with. */
export function parseAuditPublicKey(pem: string): { publicKey: KeyObject; keyId: string } {
  const publicKey = createPublicKey(pem.trim());
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`an Ed25519 public key is required, got ${publicKey.asymmetricKeyType}`);
  return { publicKey, keyId: auditKeyId(publicKey) };
}

export function loadAuditSigningKey(config: { AUDIT_SIGNING_KEY?: string; dataDir: string }): AuditSigningKey {
  if (config.AUDIT_SIGNING_KEY) {
    try {
      return parseAuditSigningKey(config.AUDIT_SIGNING_KEY);
    } catch (err) {
      throw new ConfigError('AUDIT_SIGNING_KEY', (err as Error).message);
    }
  }
  const file = path.join(config.dataDir, SIGNING_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = String(privateKey.export({ format: 'pem', type: 'pkcs8' }));
    try {
      fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      fs.writeFileSync(path.join(config.dataDir, PUBLIC_KEY_FILE), fromPrivateKey(privateKey).publicKeyPem, { mode: 0o644 });
    } catch (err) {
      // Another process booting at the same moment wrote it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return parseAuditSigningKey(fs.readFileSync(file, 'utf8'));
}
