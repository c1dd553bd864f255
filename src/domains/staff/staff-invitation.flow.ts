import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { consumeAuthToken, peekAuthToken } from '../auth/auth-token.service.ts';
import { hashPassword } from '../auth/password.hash.ts';
import { passwordProblem } from '../auth/password.policy.ts';
import { createSession } from '../auth/session.service.ts';
import { ValidationError } from '../shared/domain-error.ts';

/**
 * Accepting a staff invitation: the emailed single-use token proves the address, the new member
 * sets a password, and gets a session that has NOT passed a second factor — the guard sends it
 * on to MFA enrolment before any console page.
 */

export interface InvitedStaff {
  userId: string;
  email: string;
  displayName: string;
  tenantId: string | null;
  shopSlug: string | null;
}

const INVALID = '招待リンクが無効か、有効期限が切れています。管理者に再送を依頼してください。';

async function invitedStaff(database: Database, token: string): Promise<InvitedStaff | null> {
  const spent = await withPlatform(database, (tx) => peekAuthToken(tx, 'staff_invite', token));
  if (!spent?.userId) return null;
  const userId = spent.userId;
  // Before a session exists, the staff row is visible only to its own principal.
  return withIdentity(database, { principalId: userId }, async (tx) => {
    const staff = await tx.selectFrom('staff_users').select(['id', 'email', 'display_name', 'tenant_id', 'status']).where('id', '=', userId).executeTakeFirst();
    if (staff?.status !== 'invited') return null;
    const shop = staff.tenant_id ? await tx.selectFrom('tenants').select('slug').where('id', '=', staff.tenant_id).executeTakeFirst() : undefined;
    return { userId: staff.id, email: staff.email, displayName: staff.display_name, tenantId: staff.tenant_id, shopSlug: shop?.slug ?? null };
  });
}

/** The invitation behind a link, or null when the link is unknown, spent, expired or the member no longer invited. */
export function findStaffInvitation(database: Database, token: string): Promise<InvitedStaff | null> {
  return invitedStaff(database, token);
}

export async function acceptStaffInvitation(
  database: Database,
  input: { token: string; password: string; passwordConfirm: string; ip: string; userAgent: string | null; requestId: string },
): Promise<{ staff: InvitedStaff; sessionToken: string; sessionMaxAge: number }> {
  const staff = await invitedStaff(database, input.token);
  if (!staff) throw new ValidationError({ _form: INVALID }, INVALID);
  const problem = passwordProblem(input.password, staff.email);
  if (problem) throw new ValidationError({ password: problem });
  if (input.password !== input.passwordConfirm) throw new ValidationError({ passwordConfirm: '確認用のパスワードが一致しません。' });
  const passwordHash = await hashPassword(input.password);
  const audience = staff.tenantId === null ? 'operator' : 'staff';
  return withIdentity(database, { principalId: staff.userId, tenantId: staff.tenantId, audience }, async (tx) => {
    const spent = await consumeAuthToken(tx, 'staff_invite', input.token);
    if (!spent || spent.userId !== staff.userId) throw new ValidationError({ _form: INVALID }, INVALID);
    const activated = await tx
      .updateTable('staff_users')
      .set({ status: 'active' })
      .where('id', '=', staff.userId)
      .where('status', '=', 'invited')
      .returning('id')
      .executeTakeFirst();
    if (!activated) throw new ValidationError({ _form: INVALID }, INVALID);
    await tx
      .insertInto('user_credentials')
      .values({ user_id: staff.userId, user_kind: 'staff', password_hash: passwordHash })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ password_hash: passwordHash, failed_attempts: 0, locked_until: null }))
      .execute();
    await appendAudit(tx, {
      actorType: audience,
      actorId: staff.userId,
      actorLabel: staff.email,
      action: 'staff.invitation_accept',
      resourceType: 'staff_user',
      resourceId: staff.userId,
      result: 'success',
      sourceIp: input.ip,
      requestId: input.requestId,
    });
    const { token, session } = await createSession(tx, {
      audience,
      userId: staff.userId,
      boundTenantId: staff.tenantId,
      mfaVerified: false,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    const maxAge = Math.floor((new Date(session.absolute_expires_at).getTime() - Date.now()) / 1000);
    return { staff, sessionToken: token, sessionMaxAge: maxAge };
  });
}
