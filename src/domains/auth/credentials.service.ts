import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { hashPassword, verifyPassword } from './password.hash.ts';
import { passwordProblem } from './password.policy.ts';

/**
 * A user's password record. The tx must be scoped as that user (app.principal_id): nobody else,
 * not even an admin of the same shop, can read or write another user's credentials.
 */

/** Sets (or replaces) a password after checking the policy; clears any lockout. */
export async function setPassword(tx: Tx, user: { userId: string; kind: 'salon' | 'staff'; email: string }, password: string, field = 'password'): Promise<void> {
  const problem = passwordProblem(password, user.email);
  if (problem) throw new ValidationError({ [field]: problem });
  const hash = await hashPassword(password);
  await tx
    .insertInto('user_credentials')
    .values({ user_id: user.userId, user_kind: user.kind, password_hash: hash })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ password_hash: hash, password_changed_at: sql`now()`, failed_attempts: 0, locked_until: null }))
    .execute();
}

/** Checks the current password (step-up and password change). */
export async function checkCurrentPassword(tx: Tx, userId: string, password: string): Promise<boolean> {
  const row = await tx.selectFrom('user_credentials').select('password_hash').where('user_id', '=', userId).executeTakeFirst();
  if (!row) return false;
  return (await verifyPassword(row.password_hash, password)).ok;
}
