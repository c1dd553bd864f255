import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { mailCredentialChanged, type RequestContext } from './auth-mail.ts';
import { voidUserTokens } from './auth-token.service.ts';
import { checkCurrentPassword, setPassword } from './credentials.service.ts';
import { auditAuth, recordLoginFailure } from './login.service.ts';
import type { LoginUser } from './login-user.ts';
import { verifyPassword } from './password.hash.ts';
import { passwordProblem } from './password.policy.ts';
import { regenerateRecoveryCodes } from './recovery-codes.service.ts';
import { revokeUserSessions } from './session.service.ts';
import { confirmTotpEnrolment, hasConfirmedTotp, pendingTotpSecret, removeTotp, startTotpEnrolment, verifyTotpCode } from './totp.service.ts';

/**
 * A salon user's own security settings: change password, turn the optional TOTP second factor on
 * and off, reissue recovery codes. Every change needs the current password (or, to turn TOTP off
 * or reissue codes, a current code instead), so a session left open on a shared salon PC is not
 * enough to take the account over. A wrong password or code counts towards the sign-in lockout
 * and is audited like a failed sign-in; every change is audited and mailed to the user. The tx is
 * scoped as the user (their credentials and factors are visible to them alone).
 */

export interface SalonSecurityUser {
  userId: string;
  accountId: string;
  email: string;
}

export type Reauth = { kind: 'password'; password: string } | { kind: 'totp'; code: string };
export type ReauthOutcome = 'ok' | 'wrong' | 'locked';

const asLoginUser = (u: SalonSecurityUser): LoginUser => ({
  kind: 'salon',
  userId: u.userId,
  accountId: u.accountId,
  tenantId: null,
  status: 'active',
  passwordHash: '',
  failedAttempts: 0,
  lockedUntil: null,
});

async function isLocked(tx: Tx, userId: string): Promise<boolean> {
  const row = await tx.selectFrom('user_credentials').select('locked_until').where('user_id', '=', userId).executeTakeFirst();
  return Boolean(row?.locked_until && new Date(row.locked_until).getTime() > Date.now());
}

/** Re-authentication before a change; a failure is counted and audited (the caller must commit it). */
export async function reauthenticate(tx: Tx, box: SecretBox, user: SalonSecurityUser, proof: Reauth, purpose: string, ctx: RequestContext): Promise<ReauthOutcome> {
  const login = asLoginUser(user);
  if (await isLocked(tx, user.userId)) {
    await auditAuth(tx, login, 'auth.reauth', 'denied', ctx, { reason: 'locked', label: user.email, detail: { purpose, method: proof.kind } });
    return 'locked';
  }
  const ok =
    proof.kind === 'password'
      ? await checkCurrentPassword(tx, user.userId, proof.password.slice(0, 1024))
      : await verifyTotpCode(tx, box, user.userId, proof.code.slice(0, 20));
  if (!ok) {
    const lockedNow = await recordLoginFailure(tx, login, user.email, ctx, `reauth_${proof.kind}`);
    await auditAuth(tx, login, 'auth.reauth', 'failure', ctx, { label: user.email, detail: { purpose, method: proof.kind } });
    return lockedNow ? 'locked' : 'wrong';
  }
  await tx.updateTable('user_credentials').set({ failed_attempts: 0 }).where('user_id', '=', user.userId).execute();
  return 'ok';
}

export interface PasswordChangeInput {
  currentPassword: string;
  newPassword: string;
  newPasswordConfirm: string;
}

/**
 * Changes the password. Problems with the new password throw ValidationError before anything is
 * checked or written; a wrong current password is returned (and recorded). On success every
 * other session of the user is signed out and unused reset links are voided.
 */
export async function changeSalonPassword(
  tx: Tx,
  box: SecretBox,
  user: SalonSecurityUser,
  input: PasswordChangeInput,
  ctx: RequestContext,
  currentSessionId: string,
): Promise<{ outcome: 'changed'; signedOut: number } | { outcome: 'wrong' | 'locked' }> {
  const errors: Record<string, string> = {};
  if (!input.currentPassword) errors.current_password = '現在のパスワードを入力してください。';
  if (!input.newPassword) errors.new_password = '新しいパスワードを入力してください。';
  else if (passwordProblem(input.newPassword, user.email)) errors.new_password = passwordProblem(input.newPassword, user.email)!;
  else if (input.newPassword !== input.newPasswordConfirm) errors.new_password_confirm = '確認用のパスワードが一致しません。';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const reauth = await reauthenticate(tx, box, user, { kind: 'password', password: input.currentPassword }, 'password_change', ctx);
  if (reauth !== 'ok') return { outcome: reauth };
  const row = await tx.selectFrom('user_credentials').select('password_hash').where('user_id', '=', user.userId).executeTakeFirstOrThrow();
  if ((await verifyPassword(row.password_hash, input.newPassword)).ok) throw new ValidationError({ new_password: '現在と同じパスワードは使えません。' });
  await setPassword(tx, { userId: user.userId, kind: 'salon', email: user.email }, input.newPassword, 'new_password');
  await voidUserTokens(tx, user.userId, 'password_reset');
  const signedOut = await revokeUserSessions(tx, user.userId, 'password_change', currentSessionId);
  await auditAuth(tx, asLoginUser(user), 'auth.password_change', 'success', ctx, { label: user.email, detail: { otherSessionsSignedOut: signedOut } });
  await mailCredentialChanged(tx, { email: user.email, tenantId: null }, 'パスワードの変更（ほかのすべての端末からサインアウトしました）', ctx);
  return { outcome: 'changed', signedOut };
}

/** Starts (or resumes) TOTP set-up after the password was re-entered: the seed to show with its QR code. */
export async function startSalonTotp(
  tx: Tx,
  box: SecretBox,
  user: SalonSecurityUser,
  password: string,
  ctx: RequestContext,
): Promise<{ outcome: 'started'; secret: string; uri: string } | { outcome: 'wrong' | 'locked' | 'already' }> {
  if (await hasConfirmedTotp(tx, user.userId)) return { outcome: 'already' };
  if (!password) throw new ValidationError({ current_password: '現在のパスワードを入力してください。' });
  const reauth = await reauthenticate(tx, box, user, { kind: 'password', password }, 'totp_enable', ctx);
  if (reauth !== 'ok') return { outcome: reauth };
  const seed = await startTotpEnrolment(tx, box, { id: user.userId, email: user.email });
  await auditAuth(tx, asLoginUser(user), 'mfa.enrol_started', 'success', ctx, { label: user.email, detail: { factor: 'totp' } });
  return { outcome: 'started', ...seed };
}

export function pendingSalonTotp(tx: Tx, box: SecretBox, user: SalonSecurityUser) {
  return pendingTotpSecret(tx, box, { id: user.userId, email: user.email });
}

/** Confirms the set-up with a first code; returns the recovery codes to show once, or null for a wrong code. */
export async function confirmSalonTotp(tx: Tx, box: SecretBox, user: SalonSecurityUser, code: string, ctx: RequestContext): Promise<string[] | null> {
  if (!(await confirmTotpEnrolment(tx, box, user.userId, code.slice(0, 20)))) {
    await auditAuth(tx, asLoginUser(user), 'mfa.enrol', 'failure', ctx, { reason: 'bad_code', label: user.email, detail: { factor: 'totp' } });
    return null;
  }
  const codes = await regenerateRecoveryCodes(tx, user.userId);
  await auditAuth(tx, asLoginUser(user), 'mfa.enrol', 'success', ctx, { label: user.email, detail: { factor: 'totp' } });
  await mailCredentialChanged(tx, { email: user.email, tenantId: null }, '二段階認証（認証アプリ）の有効化とリカバリーコードの発行', ctx);
  return codes;
}

/** Turns TOTP off after a current code or the password; the recovery codes go with it. */
export async function disableSalonTotp(tx: Tx, box: SecretBox, user: SalonSecurityUser, proof: Reauth, ctx: RequestContext): Promise<'disabled' | 'not_enabled' | ReauthOutcome> {
  if (!(await hasConfirmedTotp(tx, user.userId))) return 'not_enabled';
  const reauth = await reauthenticate(tx, box, user, proof, 'totp_disable', ctx);
  if (reauth !== 'ok') return reauth;
  await removeTotp(tx, user.userId);
  await tx.deleteFrom('mfa_recovery_codes').where('user_id', '=', user.userId).execute();
  await auditAuth(tx, asLoginUser(user), 'mfa.remove', 'success', ctx, { label: user.email, detail: { factor: 'totp', method: proof.kind } });
  await mailCredentialChanged(tx, { email: user.email, tenantId: null }, '二段階認証（認証アプリ）の無効化', ctx);
  return 'disabled';
}

/** A fresh set of recovery codes (the old ones stop working) after a current code or the password. */
export async function reissueSalonRecoveryCodes(
  tx: Tx,
  box: SecretBox,
  user: SalonSecurityUser,
  proof: Reauth,
  ctx: RequestContext,
): Promise<{ outcome: 'issued'; codes: string[] } | { outcome: 'not_enabled' | 'wrong' | 'locked' }> {
  if (!(await hasConfirmedTotp(tx, user.userId))) return { outcome: 'not_enabled' };
  const reauth = await reauthenticate(tx, box, user, proof, 'recovery_codes', ctx);
  if (reauth !== 'ok') return { outcome: reauth };
  const codes = await regenerateRecoveryCodes(tx, user.userId);
  await auditAuth(tx, asLoginUser(user), 'mfa.recovery_codes_issued', 'success', ctx, { label: user.email });
  await mailCredentialChanged(tx, { email: user.email, tenantId: null }, 'リカバリーコードの再発行（以前のコードは無効）', ctx);
  return { outcome: 'issued', codes };
}
