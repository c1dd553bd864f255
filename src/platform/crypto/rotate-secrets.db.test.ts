import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { SecretsKey } from '../config/secrets.ts';
import type { Database } from '../db/database.ts';
import { withIdentity } from '../db/tenant-scope.ts';
import { ENCRYPTED_COLUMNS } from './rotate-secrets.registry.ts';
import { rotateSecrets, SecretRotationError } from './rotate-secrets.ts';
import { SecretBox } from './secret-box.ts';

let database: Database;
const oldKey = SecretsKey.fromHex(randomBytes(32).toString('hex'));
const newKey = SecretsKey.fromHex(randomBytes(32).toString('hex'));
const users = [randomUUID(), randomUUID(), randomUUID()];
const seedFor = (user: string) => `SEED${user.slice(0, 8).toUpperCase()}`;

async function envelopes(): Promise<Map<string, string>> {
  const { rows } = await database.ownerExec('SELECT user_id::text AS user_id, secret_encrypted FROM mfa_totp ORDER BY user_id');
  return new Map(rows.map((r) => [String(r.user_id), String(r.secret_encrypted)]));
}

beforeAll(async () => {
  database = await createTestDatabase();
  const box = new SecretBox(oldKey);
  // Written the way the app writes them: each user's row in that user's own scope.
  for (const user of users) {
    await withIdentity(database, { principalId: user }, (tx) =>
      tx.insertInto('mfa_totp').values({ user_id: user, secret_encrypted: box.seal(seedFor(user), `mfa_totp:${user}`), confirmed_at: new Date() }).execute(),
    );
  }
});
afterAll(() => database.close());

describe('rotateSecrets', () => {
  it('refuses to rotate while one envelope does not open, and changes nothing', async () => {
    const intruder = randomUUID();
    // Sealed for another row: swapping ciphertexts between users must not survive a rotation.
    const swapped = new SecretBox(oldKey).seal('STOLEN', `mfa_totp:${users[0]!}`);
    await database.ownerExec('INSERT INTO mfa_totp (user_id, secret_encrypted) VALUES ($1, $2)', [intruder, swapped]);
    const before = await envelopes();
    await expect(rotateSecrets(database, { from: oldKey, to: newKey })).rejects.toThrow(SecretRotationError);
    await expect(rotateSecrets(database, { from: oldKey, to: newKey })).rejects.toThrow(`mfa_totp(user_id=${intruder}) does not open under the current key`);
    expect(await envelopes()).toEqual(before);
    await database.ownerExec('DELETE FROM mfa_totp WHERE user_id = $1', [intruder]);
  });

  it('re-encrypts every envelope under the new key, readable by each user in their own scope', async () => {
    const report = await rotateSecrets(database, { from: oldKey, to: newKey });
    // The registry also lists provider keys; this database has none.
    expect(report.columns).toContainEqual({ column: 'mfa_totp.secret_encrypted', rotated: 3, alreadyCurrent: 0 });
    expect(report.columns.filter((c) => c.column !== 'mfa_totp.secret_encrypted').every((c) => c.rotated === 0)).toBe(true);
    const newBox = new SecretBox(newKey);
    const oldBox = new SecretBox(oldKey);
    expect(report.toKeyId).toBe(newBox.keyId);
    for (const user of users) {
      const row = await withIdentity(database, { principalId: user }, (tx) =>
        tx.selectFrom('mfa_totp').select('secret_encrypted').executeTakeFirstOrThrow(),
      );
      expect(newBox.isCurrent(row.secret_encrypted)).toBe(true);
      expect(newBox.open(row.secret_encrypted, `mfa_totp:${user}`)).toBe(seedFor(user));
      expect(() => oldBox.open(row.secret_encrypted, `mfa_totp:${user}`)).toThrow();
    }
  });

  it('is idempotent: a second run skips rows already under the new key', async () => {
    const before = await envelopes();
    const report = await rotateSecrets(database, { from: oldKey, to: newKey });
    expect(report.columns).toContainEqual({ column: 'mfa_totp.secret_encrypted', rotated: 0, alreadyCurrent: 3 });
    expect(await envelopes()).toEqual(before);
  });

  it('finishes a half-done rotation: rows still under the old key are rotated, the rest skipped', async () => {
    const late = randomUUID();
    await withIdentity(database, { principalId: late }, (tx) =>
      tx.insertInto('mfa_totp').values({ user_id: late, secret_encrypted: new SecretBox(oldKey).seal('LATE', `mfa_totp:${late}`) }).execute(),
    );
    const report = await rotateSecrets(database, { from: oldKey, to: newKey });
    expect(report.columns[0]).toMatchObject({ rotated: 1, alreadyCurrent: 3 });
    expect(new SecretBox(newKey).open((await envelopes()).get(late)!, `mfa_totp:${late}`)).toBe('LATE');
  });

  it('refuses the same key as old and new', async () => {
    await expect(rotateSecrets(database, { from: newKey, to: newKey })).rejects.toThrow('the new key is the same as the current key');
  });

  it('covers every column in the registry it is given', async () => {
    await database.ownerExec('CREATE TABLE rotation_probe (tenant_id uuid, provider text, api_key_encrypted text, PRIMARY KEY (tenant_id, provider))');
    const tenant = randomUUID();
    const aad = `${tenant}:stripe`;
    await database.ownerExec('INSERT INTO rotation_probe VALUES ($1, $2, $3)', [tenant, 'stripe', new SecretBox(newKey).seal('sk_test_x', aad)]);
    const third = SecretsKey.fromHex(randomBytes(32).toString('hex'));
    const report = await rotateSecrets(database, { from: newKey, to: third }, [
      ENCRYPTED_COLUMNS[0]!,
      { table: 'rotation_probe', column: 'api_key_encrypted', keyColumns: ['tenant_id', 'provider'], aad: (r) => `${String(r.tenant_id)}:${String(r.provider)}` },
    ]);
    expect(report.columns.map((c) => [c.column, c.rotated])).toEqual([
      ['mfa_totp.secret_encrypted', 4],
      ['rotation_probe.api_key_encrypted', 1],
    ]);
    const { rows } = await database.ownerExec('SELECT api_key_encrypted FROM rotation_probe');
    expect(new SecretBox(third).open(String(rows[0]?.api_key_encrypted), aad)).toBe('sk_test_x');
  });
});
