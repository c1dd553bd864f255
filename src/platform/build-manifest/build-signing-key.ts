import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/config.ts';

/**
 * The Ed25519 key pair of the signed build. In production the private key lives in CI only
 * (BUILD_SIGNING_KEY is set for `npm run build:manifest` there, never on the server) and the
 * server and its verifier are given the public key (BUILD_PUBLIC_KEY): someone who can write the
 * server's files cannot produce a manifest for them. In development both are generated into
 * DATA_DIR (build-signing.key, 0600, and build-signing.pub), which proves the mechanism but not
 * the separation — a developer's machine holds both halves.
 */

export const BUILD_SIGNING_KEY_FILE = 'build-signing.key';
export const BUILD_PUBLIC_KEY_FILE = 'build-signing.pub';

export interface BuildKeyConfig {
  APP_ENV: 'development' | 'test' | 'production';
  BUILD_SIGNING_KEY?: string;
  BUILD_PUBLIC_KEY?: string;
  dataDir: string;
}

export function buildKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
}

function requireEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an Ed25519 key is required, got ${key.asymmetricKeyType}`);
  return key;
}

export function parseBuildPrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    return requireEd25519(
      trimmed.includes('-----BEGIN') ? createPrivateKey(trimmed) : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' }),
    );
  } catch (err) {
    throw new Error(`not an Ed25519 PKCS#8 private key (PEM or base64 DER): ${(err as Error).message}`);
  }
}

export function parseBuildPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    return requireEd25519(
      trimmed.includes('-----BEGIN') ? createPublicKey(trimmed) : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' }),
    );
  } catch (err) {
    throw new Error(`not an Ed25519 SPKI public key (PEM or base64 DER): ${(err as Error).message}`);
  }
}

function ensureDevKeyPair(dataDir: string): void {
  const keyFile = path.join(dataDir, BUILD_SIGNING_KEY_FILE);
  if (fs.existsSync(keyFile)) return;
  fs.mkdirSync(dataDir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  try {
    fs.writeFileSync(keyFile, String(privateKey.export({ format: 'pem', type: 'pkcs8' })), { mode: 0o600, flag: 'wx' });
    fs.writeFileSync(path.join(dataDir, BUILD_PUBLIC_KEY_FILE), String(publicKey.export({ format: 'pem', type: 'spki' })), { mode: 0o644 });
  } catch (err) {
    // Another process wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export function loadBuildSigningKey(config: BuildKeyConfig): KeyObject {
  if (config.BUILD_SIGNING_KEY) {
    try {
      return parseBuildPrivateKey(config.BUILD_SIGNING_KEY);
    } catch (err) {
      throw new ConfigError('BUILD_SIGNING_KEY', (err as Error).message);
    }
  }
  if (config.APP_ENV === 'production') throw new ConfigError('BUILD_SIGNING_KEY', 'is required to sign a production build (set it in CI, not on the server)');
  ensureDevKeyPair(config.dataDir);
  return parseBuildPrivateKey(fs.readFileSync(path.join(config.dataDir, BUILD_SIGNING_KEY_FILE), 'utf8'));
}

export function loadBuildPublicKey(config: BuildKeyConfig): KeyObject {
  if (config.BUILD_PUBLIC_KEY) {
    try {
      return parseBuildPublicKey(config.BUILD_PUBLIC_KEY);
    } catch (err) {
      throw new ConfigError('BUILD_PUBLIC_KEY', (err as Error).message);
    }
  }
  if (config.APP_ENV === 'production') throw new ConfigError('BUILD_PUBLIC_KEY', 'is required in production');
  ensureDevKeyPair(config.dataDir);
  return parseBuildPublicKey(fs.readFileSync(path.join(config.dataDir, BUILD_PUBLIC_KEY_FILE), 'utf8'));
}
