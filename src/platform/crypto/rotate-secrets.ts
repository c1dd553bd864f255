import type { SecretsKey } from '../config/secrets.ts';
import type { Database, SqlExec } from '../db/database.ts';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from './rotate-secrets.registry.ts';
import { SecretBox, SecretBoxError } from './secret-box.ts';

/**
 * Re-encrypts every registered SecretBox envelope from one key-encryption key to another, in one
 * owner transaction: every envelope is opened, sealed under the new key, and re-read and opened
 * under the new key alone before the commit. Any envelope that does not open (wrong key, tampered,
 * sealed for another row) aborts the whole rotation and changes nothing. Envelopes already under
 * the new key are skipped, so a rotation that was interrupted or repeated is safe to run again.
 *
 * The transaction turns row_security off: the owner must see every user's row (credentials are
 * visible only to their own user under RLS). An owner that would be filtered by a policy gets an
 * error from PostgreSQL instead of silently rotating only the rows it happens to see.
 */

export interface ColumnRotation {
  column: string;
  rotated: number;
  alreadyCurrent: number;
}

export interface RotationReport {
  fromKeyId: string;
  toKeyId: string;
  columns: ColumnRotation[];
}

export class SecretRotationError extends Error {}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new SecretRotationError(`invalid identifier in the encrypted-column registry: ${name}`);
  return `"${name}"`;
}

function describeRow(spec: EncryptedColumn, row: Record<string, unknown>): string {
  return `${spec.table}(${spec.keyColumns.map((k) => `${k}=${String(row[k])}`).join(', ')})`;
}

async function readEnvelopes(exec: SqlExec, spec: EncryptedColumn, lock: boolean): Promise<Record<string, unknown>[]> {
  const columns = [...new Set([...spec.keyColumns, ...(spec.aadColumns ?? []), spec.column])].map(ident).join(', ');
  const { rows } = await exec(
    `SELECT ${columns} FROM ${ident(spec.table)} WHERE ${ident(spec.column)} IS NOT NULL ORDER BY ${spec.keyColumns.map(ident).join(', ')}${lock ? ' FOR UPDATE' : ''}`,
  );
  return rows;
}

async function rotateColumn(exec: SqlExec, spec: EncryptedColumn, from: SecretBox, to: SecretBox): Promise<ColumnRotation> {
  const result: ColumnRotation = { column: `${spec.table}.${spec.column}`, rotated: 0, alreadyCurrent: 0 };
  for (const row of await readEnvelopes(exec, spec, true)) {
    const envelope = String(row[spec.column]);
    const aad = spec.aad(row);
    if (to.isCurrent(envelope)) {
      result.alreadyCurrent++;
      continue;
    }
    let plain: string;
    try {
      plain = from.open(envelope, aad);
    } catch (err) {
      if (err instanceof SecretBoxError) throw new SecretRotationError(`${describeRow(spec, row)} does not open under the current key: ${err.message}`);
      throw err;
    }
    const sealed = to.seal(plain, aad);
    const where = spec.keyColumns.map((k, i) => `${ident(k)} = $${i + 2}`).join(' AND ');
    await exec(`UPDATE ${ident(spec.table)} SET ${ident(spec.column)} = $1 WHERE ${where}`, [sealed, ...spec.keyColumns.map((k) => row[k])]);
    result.rotated++;
  }
  return result;
}

async function assertAllOpen(exec: SqlExec, spec: EncryptedColumn, to: SecretBox): Promise<void> {
  for (const row of await readEnvelopes(exec, spec, false)) {
    try {
      to.open(String(row[spec.column]), spec.aad(row));
    } catch (err) {
      throw new SecretRotationError(`${describeRow(spec, row)} does not open under the new key after rotation: ${(err as Error).message}`);
    }
  }
}

export async function rotateSecrets(
  database: Database,
  keys: { from: SecretsKey; to: SecretsKey },
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
): Promise<RotationReport> {
  const to = new SecretBox(keys.to);
  const from = new SecretBox(keys.from);
  if (from.keyId === to.keyId) throw new SecretRotationError('the new key is the same as the current key');
  return database.ownerSession(async (exec) => {
    await exec('BEGIN');
    try {
      await exec('SET LOCAL row_security = off');
      const report: RotationReport = { fromKeyId: from.keyId, toKeyId: to.keyId, columns: [] };
      for (const spec of columns) report.columns.push(await rotateColumn(exec, spec, from, to));
      for (const spec of columns) await assertAllOpen(exec, spec, to);
      await exec('COMMIT');
      return report;
    } catch (err) {
      await exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}
