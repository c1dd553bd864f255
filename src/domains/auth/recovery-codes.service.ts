import { createHash, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';

/**
 * One-time recovery codes: ten random codes (about 50 bits each), shown once, stored as SHA-256
 * (their entropy makes a slow hash unnecessary). Using one spends it; generating a new set voids
 * the old one. The tx must be scoped as the user.
 */

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are typed from paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function normalizeRecoveryCode(code: string): string {
  return String(code ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function hashCode(code: string): string {
  return createHash('sha256').update(`oroshi-recovery:${normalizeRecoveryCode(code)}`).digest('hex');
}

function newCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** Replaces the user's codes with a fresh set and returns the plain codes (to show once). */
export async function regenerateRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  await tx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await tx
    .insertInto('mfa_recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashCode(c) })))
    .execute();
  return codes;
}

/** Spends a code; false if it is unknown or already used. */
export async function useRecoveryCode(tx: Tx, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(code);
  if (normalized.length !== 10) return false;
  const r = await tx
    .updateTable('mfa_recovery_codes')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashCode(normalized))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function remainingRecoveryCodes(tx: Tx, userId: string): Promise<number> {
  const r = await tx
    .selectFrom('mfa_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
