import { sql } from 'kysely';
import { generateSecret, generateURI, verify } from 'otplib';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';

/**
 * TOTP second factor (RFC 6238, 6 digits, 30 s). The seed is sealed in the SecretBox bound to the
 * user id, so a copied row cannot be opened for another user. A code is accepted once: the
 * matched time step is stored and no step at or before it is accepted again (replay protection),
 * by a conditional update that also settles two concurrent submissions of the same code.
 * The tx must be scoped as the user (app.principal_id): the rows are visible only to their owner.
 */

export const TOTP_ISSUER = 'Oroshi';
const SEAL_AAD = (userId: string) => `mfa_totp:${userId}`;

export function normalizeOtp(code: string): string {
  return String(code ?? '')
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s-]/g, '');
}

/** A new unconfirmed seed (replacing an earlier unconfirmed one); the confirmed factor is untouched. */
export async function startTotpEnrolment(tx: Tx, box: SecretBox, user: { id: string; email: string }): Promise<{ secret: string; uri: string }> {
  const existing = await tx.selectFrom('mfa_totp').select(['confirmed_at']).where('user_id', '=', user.id).executeTakeFirst();
  if (existing?.confirmed_at) throw new Error('TOTP is already enrolled: remove it first');
  const secret = generateSecret();
  await storeSecret(tx, box, user.id, secret, false);
  return { secret, uri: totpUri(user.email, secret) };
}

/** The seed pending confirmation, to re-show with the confirmation form. */
export async function pendingTotpSecret(tx: Tx, box: SecretBox, user: { id: string; email: string }): Promise<{ secret: string; uri: string } | null> {
  const row = await tx.selectFrom('mfa_totp').select(['secret_encrypted', 'confirmed_at']).where('user_id', '=', user.id).executeTakeFirst();
  if (!row || row.confirmed_at) return null;
  const secret = box.open(row.secret_encrypted, SEAL_AAD(user.id));
  return { secret, uri: totpUri(user.email, secret) };
}

export function totpUri(label: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label, secret });
}

/** Seeds and tests: an already-confirmed factor with a known seed. */
export async function setConfirmedTotpSecret(tx: Tx, box: SecretBox, userId: string, secret: string): Promise<void> {
  await storeSecret(tx, box, userId, secret, true);
}

async function storeSecret(tx: Tx, box: SecretBox, userId: string, secret: string, confirmed: boolean): Promise<void> {
  const sealed = box.seal(secret, SEAL_AAD(userId));
  await tx
    .insertInto('mfa_totp')
    .values({ user_id: userId, secret_encrypted: sealed, confirmed_at: confirmed ? new Date() : null, last_used_step: 0 })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ secret_encrypted: sealed, confirmed_at: confirmed ? new Date() : null, last_used_step: 0, created_at: sql`now()` }),
    )
    .execute();
}

async function acceptCode(tx: Tx, box: SecretBox, userId: string, code: string, wantConfirmed: boolean): Promise<boolean> {
  const token = normalizeOtp(code);
  if (!/^\d{6}$/.test(token)) return false;
  const row = await tx
    .selectFrom('mfa_totp')
    .select(['secret_encrypted', 'confirmed_at', 'last_used_step'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row || Boolean(row.confirmed_at) !== wantConfirmed) return false;
  const secret = box.open(row.secret_encrypted, SEAL_AAD(userId));
  const lastStep = Number(row.last_used_step);
  const result = await verify({ secret, token, epochTolerance: 30, afterTimeStep: lastStep > 0 ? lastStep : undefined });
  if (!result.valid) return false;
  const step = (result as { timeStep: number }).timeStep;
  const updated = await tx
    .updateTable('mfa_totp')
    .set({ last_used_step: step, ...(wantConfirmed ? {} : { confirmed_at: sql`now()` }) })
    .where('user_id', '=', userId)
    .where('last_used_step', '<', step)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Confirms a pending enrolment with a first code from the user's app. */
export function confirmTotpEnrolment(tx: Tx, box: SecretBox, userId: string, code: string): Promise<boolean> {
  return acceptCode(tx, box, userId, code, false);
}

/** Checks a code against the confirmed factor; a code (time step) already used is refused. */
export function verifyTotpCode(tx: Tx, box: SecretBox, userId: string, code: string): Promise<boolean> {
  return acceptCode(tx, box, userId, code, true);
}

export async function hasConfirmedTotp(tx: Tx, userId: string): Promise<boolean> {
  const row = await tx.selectFrom('mfa_totp').select('user_id').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  return Boolean(row);
}

export async function removeTotp(tx: Tx, userId: string): Promise<boolean> {
  const r = await tx.deleteFrom('mfa_totp').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
