import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretsKey } from '../config/secrets.ts';
import { installRotatedKey, KEY_FILE, PENDING_KEY_FILE, resolveRotationKeys } from './rotate-secrets.keyfile.ts';
import { SecretBox } from './secret-box.ts';

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-rotate-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const keyIdOf = (key: SecretsKey) => new SecretBox(key).keyId;

describe('rotation keys', () => {
  it('refuses to run when there is no current key to rotate from (and does not create one)', () => {
    const dataDir = tmp();
    expect(() => resolveRotationKeys({ dataDir })).toThrow(/no current key/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('demo mode: generates the new key into a pending 0600 file, resumes with it, then installs it atomically', () => {
    const dataDir = tmp();
    const oldHex = randomBytes(32).toString('hex');
    fs.writeFileSync(path.join(dataDir, KEY_FILE), `${oldHex}\n`, { mode: 0o600 });
    const keys = resolveRotationKeys({ dataDir });
    expect(keyIdOf(keys.from)).toBe(keyIdOf(SecretsKey.fromHex(oldHex)));
    const pending = path.join(dataDir, PENDING_KEY_FILE);
    expect((fs.statSync(pending).mode & 0o777).toString(8)).toBe('600');
    // An interrupted run picks up the same pending key rather than generating another.
    expect(keyIdOf(resolveRotationKeys({ dataDir }).to)).toBe(keyIdOf(keys.to));

    const backup = installRotatedKey(keys, new Date('2025-04-01T00:00:00Z'));
    expect(fs.readFileSync(backup!, 'utf8').trim()).toBe(oldHex);
    expect(fs.existsSync(pending)).toBe(false);
    expect(keyIdOf(SecretsKey.load({ dataDir }))).toBe(keyIdOf(keys.to));
  });

  it('configured mode: takes NEW_SECRETS_KEY and writes nothing', () => {
    const dataDir = tmp();
    const current = randomBytes(32).toString('hex');
    const next = randomBytes(32).toString('hex');
    const keys = resolveRotationKeys({ dataDir, SECRETS_KEY: current, NEW_SECRETS_KEY: next });
    expect(keyIdOf(keys.to)).toBe(keyIdOf(SecretsKey.fromHex(next)));
    expect(installRotatedKey(keys)).toBeUndefined();
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
