import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Session } from '../../platform/db/schema.ts';
import { type Tx, withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { mailCredentialChanged, mailLockout, mailNewStaffLogin, type RequestContext } from './auth-mail.ts';
import { consumeAuthToken, issueAuthToken, peekAuthToken } from './auth-token.service.ts';
import { findLoginUser, identityOf, type LoginKind, type LoginUser } from './login-user.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.hash.ts';
import { useRecoveryCode } from './recovery-codes.service.ts';
import { createSession } from './session.service.ts';
import { hasConfirmedTotp, normalizeOtp, verifyTotpCode } from './totp.service.ts';

/**
 * Password sign-in for salon users and staff. Throttled per address and per email (counted in
 * PostgreSQL, so every process counts the same), locked after LOCKOUT.maxFailures consecutive
 * failures, and answered with one generic message whatever went wrong. An unknown email costs
 * the same argon2 work as a known one. Every attempt is audited: a shop staff member's in their
 * shop's chain, everyone else's in the platform chain.
 */

export const GENERIC_LOGIN_ERROR = 'メールアドレスまたはパスワードが正しくありません。';
export const LOCKOUT = { maxFailures: 10, minutes: 15 };
export const LOGIN_RATE_LIMITS = {
  perIp: { limit: 100, windowSeconds: 300 },
  perEmail: { limit: 30, windowSeconds: 900 },
};

export type PasswordSignIn =
  | { outcome: 'failed' }
  | { outcome: 'session'; user: LoginUser; token: string; session: Session }
  /** A salon with TOTP enabled: the password passed; a code must follow with this token. */
  | { outcome: 'totp_required'; user: LoginUser; pendingToken: string };

const emailBucket = (kind: LoginKind, email: string) =>
  `login:${kind}:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32)}`;

export async function throttleLogin(database: Database, kind: LoginKind, email: string, ip: string): Promise<void> {
  await consumeRateLimit(database, `login:ip:${ip}`, LOGIN_RATE_LIMITS.perIp.limit, LOGIN_RATE_LIMITS.perIp.windowSeconds);
  await consumeRateLimit(database, emailBucket(kind, email), LOGIN_RATE_LIMITS.perEmail.limit, LOGIN_RATE_LIMITS.perEmail.windowSeconds);
}

function actorTypeOf(user: Pick<LoginUser, 'kind' | 'tenantId'>) {
  return user.kind === 'salon' ? ('salon_user' as const) : user.tenantId ? ('staff' as const) : ('operator' as const);
}

export async function auditAuth(
  tx: Tx,
  user: Pick<LoginUser, 'kind' | 'userId' | 'tenantId'> | null,
  action: string,
  result: 'success' | 'failure' | 'denied',
  ctx: RequestContext,
  extra: { reason?: string; label?: string; detail?: Record<string, unknown> } = {},
): Promise<void> {
  await appendAudit(tx, {
    actorType: user ? actorTypeOf(user) : 'anonymous',
    actorId: user?.userId ?? null,
    actorLabel: extra.label?.slice(0, 254) ?? '',
    action,
    resourceType: user ? (user.kind === 'salon' ? 'salon_user' : 'staff_user') : '',
    resourceId: user?.userId ?? '',
    result,
    sourceIp: ctx.ip,
    requestId: ctx.requestId,
    reason: extra.reason ?? '',
    detail: { userAgent: ctx.userAgent.slice(0, 200), ...extra.detail },
  });
}

/** Counts one failed factor (password or code) for the user; locks at the threshold. In the user's scope. */
export async function recordLoginFailure(tx: Tx, user: LoginUser, email: string, ctx: RequestContext, reason: string): Promise<boolean> {
  const row = await sql<{ failed_attempts: number; locked: boolean }>`
    UPDATE user_credentials
       SET failed_attempts = failed_attempts + 1,
           locked_until = CASE WHEN failed_attempts + 1 >= ${LOCKOUT.maxFailures}
                               THEN now() + make_interval(mins => ${LOCKOUT.minutes}) ELSE locked_until END
     WHERE user_id = ${user.userId}
     RETURNING failed_attempts, (failed_attempts >= ${LOCKOUT.maxFailures}) AS locked`.execute(tx);
  const r = row.rows[0];
  await auditAuth(tx, user, 'auth.login', 'failure', ctx, { reason, label: email });
  const lockedNow = Boolean(r?.locked && Number(r.failed_attempts) === LOCKOUT.maxFailures);
  if (lockedNow) {
    await auditAuth(tx, user, 'auth.lockout', 'success', ctx, { label: email, detail: { minutes: LOCKOUT.minutes } });
    await mailLockout(tx, { email, tenantId: user.tenantId }, LOCKOUT.minutes, ctx);
  }
  return lockedNow;
}

async function clearFailures(tx: Tx, userId: string): Promise<void> {
  await tx.updateTable('user_credentials').set({ failed_attempts: 0, locked_until: null }).where('user_id', '=', userId).execute();
}

/** Session and bookkeeping once every factor passed. In the user's scope. */
export async function completeLogin(
  tx: Tx,
  user: LoginUser,
  ctx: RequestContext,
  options: { mfaVerified: boolean; method: string },
): Promise<{ token: string; session: Session }> {
  await clearFailures(tx, user.userId);
  const audience = user.kind === 'salon' ? 'salon' : user.tenantId ? 'staff' : 'operator';
  const created = await createSession(tx, {
    audience,
    userId: user.userId,
    accountId: user.accountId,
    boundTenantId: user.kind === 'staff' ? user.tenantId : null,
    mfaVerified: options.mfaVerified,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  if (user.kind === 'salon') {
    const u = await tx.updateTable('salon_users').set({ last_login_at: sql`now()` }).where('id', '=', user.userId).returning(['email']).executeTakeFirst();
    await auditAuth(tx, user, 'auth.login', 'success', ctx, { label: u?.email, detail: { method: options.method } });
  } else {
    const u = await tx
      .updateTable('staff_users')
      .set({ last_login_at: sql`now()` })
      .where('id', '=', user.userId)
      .returning(['email', 'display_name'])
      .executeTakeFirst();
    await auditAuth(tx, user, 'auth.login', 'success', ctx, { label: u?.email, detail: { method: options.method, mfa: options.mfaVerified } });
    if (u) await mailNewStaffLogin(tx, { email: u.email, tenantId: user.tenantId, displayName: u.display_name }, ctx);
  }
  return created;
}

export async function signInWithPassword(
  database: Database,
  input: { kind: LoginKind; email: string; password: string },
  ctx: RequestContext,
): Promise<PasswordSignIn> {
  const email = input.email.trim();
  await throttleLogin(database, input.kind, email, ctx.ip);
  const user = await findLoginUser(database, input.kind, email);
  if (!user) {
    await burnPasswordCheck(input.password);
    await withPlatform(database, (tx) => auditAuth(tx, null, 'auth.login', 'failure', ctx, { reason: 'unknown_email', label: email, detail: { kind: input.kind } }));
    return { outcome: 'failed' };
  }
  const identity = identityOf(user);
  const refuse = async (reason: string) => {
    await withIdentity(database, identity, (tx) => auditAuth(tx, user, 'auth.login', 'failure', ctx, { reason, label: email }));
    return { outcome: 'failed' } as const;
  };
  if (user.status !== 'active') {
    await burnPasswordCheck(input.password);
    return refuse('inactive');
  }
  if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
    await burnPasswordCheck(input.password);
    return refuse('locked');
  }
  const check = await verifyPassword(user.passwordHash, input.password);
  if (!check.ok) {
    await withIdentity(database, identity, (tx) => recordLoginFailure(tx, user, email, ctx, 'bad_password'));
    return { outcome: 'failed' };
  }
  const rehashed = check.needsRehash ? await hashPassword(input.password) : null;
  return withIdentity(database, identity, async (tx) => {
    if (rehashed) await tx.updateTable('user_credentials').set({ password_hash: rehashed }).where('user_id', '=', user.userId).execute();
    if (user.kind === 'salon' && (await hasConfirmedTotp(tx, user.userId))) {
      await clearFailures(tx, user.userId);
      const pending = await issueAuthToken(tx, 'mfa_pending', { userId: user.userId, subject: user.accountId ?? '' });
      return { outcome: 'totp_required', user, pendingToken: pending.token };
    }
    // Staff always start without the second factor: the session reaches only /admin/mfa until then.
    const created = await completeLogin(tx, user, ctx, { mfaVerified: false, method: 'password' });
    return { outcome: 'session', user, ...created };
  });
}

/** Is a salon's password-passed token still open? (To show the code form.) */
export async function pendingSalonTotp(database: Database, pendingToken: string): Promise<boolean> {
  return Boolean(await withPlatform(database, (tx) => peekAuthToken(tx, 'mfa_pending', pendingToken)));
}

/** The second step of a salon sign-in with TOTP. Wrong codes count towards the lockout. */
export async function completeSalonTotp(
  database: Database,
  box: SecretBox,
  input: { pendingToken: string; code: string },
  ctx: RequestContext,
): Promise<{ outcome: 'session'; user: LoginUser; token: string; session: Session } | { outcome: 'failed' } | { outcome: 'expired' }> {
  const pending = await withPlatform(database, (tx) => peekAuthToken(tx, 'mfa_pending', input.pendingToken));
  if (!pending?.userId) return { outcome: 'expired' };
  await consumeRateLimit(database, `login:totp:${pending.id}`, 5, 300);
  const user: LoginUser = {
    kind: 'salon',
    userId: pending.userId,
    accountId: pending.subject || null,
    tenantId: null,
    status: 'active',
    passwordHash: '',
    failedAttempts: 0,
    lockedUntil: null,
  };
  return withIdentity(database, identityOf(user), async (tx) => {
    const who = await tx.selectFrom('salon_users').select(['email', 'status']).where('id', '=', user.userId).executeTakeFirst();
    if (who?.status !== 'active') return { outcome: 'expired' } as const;
    const cred = await tx.selectFrom('user_credentials').select('locked_until').where('user_id', '=', user.userId).executeTakeFirst();
    if (cred?.locked_until && new Date(cred.locked_until).getTime() > Date.now()) return { outcome: 'failed' } as const;
    // Six digits are an authenticator code; anything else is tried as a one-time recovery code.
    const viaRecovery = !/^\d{6}$/.test(normalizeOtp(input.code));
    const passed = viaRecovery ? await useRecoveryCode(tx, user.userId, input.code) : await verifyTotpCode(tx, box, user.userId, input.code);
    if (!passed) {
      await recordLoginFailure(tx, user, who.email, ctx, viaRecovery ? 'bad_recovery_code' : 'bad_totp');
      return { outcome: 'failed' } as const;
    }
    if (!(await consumeAuthToken(tx, 'mfa_pending', input.pendingToken))) return { outcome: 'expired' } as const;
    if (viaRecovery) {
      await auditAuth(tx, user, 'mfa.recovery_code_used', 'success', ctx, { label: who.email });
      await mailCredentialChanged(tx, { email: who.email, tenantId: null }, 'リカバリーコードを使ったサインイン', ctx);
    }
    const created = await completeLogin(tx, user, ctx, { mfaVerified: true, method: viaRecovery ? 'password+recovery_code' : 'password+totp' });
    return { outcome: 'session', user, ...created } as const;
  });
}
