import { createHash } from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import { mailCredentialChanged, mailPasswordReset, type RequestContext } from './auth-mail.ts';
import { consumeAuthToken, issueAuthToken, peekAuthToken, voidUserTokens } from './auth-token.service.ts';
import { setPassword } from './credentials.service.ts';
import { auditAuth } from './login.service.ts';
import { findLoginUser, identityOf, type LoginKind, type LoginUser } from './login-user.ts';
import { revokeUserSessions } from './session.service.ts';

/**
 * Password reset by emailed link: single-use, valid 30 minutes, a newer link voids older ones.
 * The request is answered the same way whether or not the email has an account. A successful
 * reset signs the user out everywhere.
 */

// The token's subject carries what acting as the user needs: kind and shop (staff) or account (salon).
const subjectOf = (u: LoginUser) => `${u.kind}:${u.kind === 'salon' ? (u.accountId ?? '') : (u.tenantId ?? '')}`;

function userFromSubject(userId: string, subject: string): LoginUser | null {
  const m = /^(salon|staff):([0-9a-f-]{36})?$/.exec(subject);
  if (!m) return null;
  const kind = m[1] as LoginKind;
  const scopeId = m[2] ?? null;
  return {
    kind,
    userId,
    accountId: kind === 'salon' ? scopeId : null,
    tenantId: kind === 'staff' ? scopeId : null,
    status: 'active',
    passwordHash: '',
    failedAttempts: 0,
    lockedUntil: null,
  };
}

export async function requestPasswordReset(
  database: Database,
  input: { kind: LoginKind; email: string },
  ctx: RequestContext,
  linkFor: (token: string) => string,
): Promise<void> {
  const email = input.email.trim();
  await consumeRateLimit(database, `reset:ip:${ctx.ip}`, 20, 900);
  await consumeRateLimit(database, `reset:${input.kind}:${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32)}`, 5, 900);
  const user = await findLoginUser(database, input.kind, email);
  if (user?.status !== 'active') {
    await withPlatform(database, (tx) => auditAuth(tx, null, 'auth.password_reset_requested', 'failure', ctx, { reason: 'unknown_email', label: email }));
    return;
  }
  await withIdentity(database, identityOf(user), async (tx) => {
    await voidUserTokens(tx, user.userId, 'password_reset');
    const issued = await issueAuthToken(tx, 'password_reset', { userId: user.userId, subject: subjectOf(user) });
    await mailPasswordReset(tx, { email }, linkFor(issued.token));
    await auditAuth(tx, user, 'auth.password_reset_requested', 'success', ctx, { label: email });
  });
}

/** Whether a reset link is still usable (to show the form or an "expired" page). */
export async function resetTokenIsOpen(database: Database, token: string): Promise<boolean> {
  return Boolean(await withPlatform(database, (tx) => peekAuthToken(tx, 'password_reset', token)));
}

/** Sets the new password with a reset token. Throws ValidationError for a weak password (token kept). */
export async function resetPassword(
  database: Database,
  input: { token: string; password: string },
  ctx: RequestContext,
): Promise<{ ok: true; kind: LoginKind } | { ok: false }> {
  const open = await withPlatform(database, (tx) => peekAuthToken(tx, 'password_reset', input.token));
  const user = open?.userId ? userFromSubject(open.userId, open.subject) : null;
  if (!user) return { ok: false };
  return withIdentity(database, identityOf(user), async (tx) => {
    const who =
      user.kind === 'salon'
        ? await tx.selectFrom('salon_users').select(['email', 'status']).where('id', '=', user.userId).executeTakeFirst()
        : await tx.selectFrom('staff_users').select(['email', 'status']).where('id', '=', user.userId).executeTakeFirst();
    if (who?.status !== 'active') return { ok: false } as const;
    await setPassword(tx, { userId: user.userId, kind: user.kind, email: who.email }, input.password);
    if (!(await consumeAuthToken(tx, 'password_reset', input.token))) return { ok: false } as const;
    await revokeUserSessions(tx, user.userId, 'password_reset');
    await auditAuth(tx, user, 'auth.password_reset', 'success', ctx, { label: who.email });
    await mailCredentialChanged(tx, { email: who.email, tenantId: user.tenantId }, 'パスワードの再設定（すべての端末からサインアウトしました）', ctx);
    return { ok: true, kind: user.kind } as const;
  });
}
