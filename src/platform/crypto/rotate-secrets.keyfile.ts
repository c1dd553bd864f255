import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { SecretsKey } from '../config/secrets.ts';

/**
 * Where the old and new key-encryption keys of a rotation come from, and where the new one goes.
 *
 * - Configured keys (production): SECRETS_KEY is the current key, NEW_SECRETS_KEY the new one;
 *   nothing is written, the operator swaps the variables and restarts.
 * - Generated keys (demo): the new key is written to DATA_DIR/secrets.key.new (0600) *before*
 *   the database commits, so a committed rotation never outlives its key; after the commit it
 *   replaces DATA_DIR/secrets.key with one atomic rename (the old key is copied aside first).
 *   A run interrupted between the two picks the pending file up again.
 */

export const KEY_FILE = 'secrets.key';
export const PENDING_KEY_FILE = 'secrets.key.new';

export interface RotationKeys {
  from: SecretsKey;
  to: SecretsKey;
  /** Set when the new key lives in a file this command manages. */
  pendingFile?: string;
  /** Set when that file should replace DATA_DIR/secrets.key after the commit (demo mode). */
  installAs?: string;
}

const HEX_KEY = /^[0-9a-f]{64}$/;

export function resolveRotationKeys(config: Pick<Config, 'SECRETS_KEY' | 'NEW_SECRETS_KEY' | 'dataDir'>): RotationKeys {
  const keyFile = path.join(config.dataDir, KEY_FILE);
  if (!config.SECRETS_KEY && !fs.existsSync(keyFile)) {
    throw new Error(`no current key: set SECRETS_KEY or start the platform once so ${keyFile} exists`);
  }
  const from = SecretsKey.load(config);
  if (config.NEW_SECRETS_KEY) return { from, to: SecretsKey.fromHex(config.NEW_SECRETS_KEY) };
  const pendingFile = path.join(config.dataDir, PENDING_KEY_FILE);
  if (!fs.existsSync(pendingFile)) {
    fs.writeFileSync(pendingFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const hex = fs.readFileSync(pendingFile, 'utf8').trim();
  if (!HEX_KEY.test(hex)) throw new Error(`${pendingFile} does not hold a 64-hex-character key`);
  return { from, to: SecretsKey.fromHex(hex), pendingFile, installAs: config.SECRETS_KEY ? undefined : keyFile };
}

/** After the commit, demo mode: the new key becomes DATA_DIR/secrets.key; returns where the old one went. */
export function installRotatedKey(keys: RotationKeys, now = new Date()): string | undefined {
  if (!keys.pendingFile || !keys.installAs) return undefined;
  const backup = `${keys.installAs}.${now.toISOString().replace(/[:.]/g, '-')}.old`;
  fs.copyFileSync(keys.installAs, backup, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(backup, 0o600);
  fs.renameSync(keys.pendingFile, keys.installAs);
  return backup;
}
