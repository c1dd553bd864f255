import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import type { StaffRole } from '../accounts/accounts.tables.ts';
import { issueAuthToken } from '../auth/auth-token.service.ts';
import { revokeUserSessions } from '../auth/session.service.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from './staff-actor.ts';

/**
 * Shop staff and operator staff, managed by a shop admin (their shop only, through RLS) or a
 * platform admin (operator staff: tenant_id NULL). An invited member sets a password through the
 * emailed link and enrols a second factor before reaching anything.
 */

export const SHOP_STAFF_ROLES = ['shop_admin', 'order_clerk', 'catalog_editor'] as const satisfies readonly StaffRole[];
export const OPERATOR_STAFF_ROLES = ['platform_admin', 'security_officer'] as const satisfies readonly StaffRole[];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  shop_admin: 'ショップ管理者',
  order_clerk: '受注担当',
  catalog_editor: '商品担当',
  platform_admin: 'プラットフォーム管理者',
  security_officer: 'セキュリティ担当',
};

export function staffInviteSchema(roles: readonly StaffRole[]) {
  return z.object({
    email: z.string().trim().toLowerCase().max(254, 'メールアドレスが長すぎます。').email('メールアドレスの形式が正しくありません。'),
    displayName: z.string().trim().min(1, '氏名を入力してください。').max(100, '氏名は100文字以内で入力してください。'),
    role: z.enum(roles as [StaffRole, ...StaffRole[]], { message: '役割を選んでください。' }),
  });
}

export function listStaff(tx: Tx, tenantId: string | null) {
  let q = tx.selectFrom('staff_users').select(['id', 'email', 'display_name', 'role', 'status', 'created_at', 'last_login_at']);
  q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
  return q.orderBy('created_at').execute();
}

export interface StaffInvite {
  email: string;
  displayName: string;
  role: StaffRole;
}

/** Creates the invited staff row and its single-use link (emailed through the outbox). */
export async function inviteStaff(tx: Tx, actor: StaffActor, tenantId: string | null, invite: StaffInvite, acceptUrlBase: string) {
  const allowed: readonly StaffRole[] = tenantId === null ? OPERATOR_STAFF_ROLES : SHOP_STAFF_ROLES;
  if (!allowed.includes(invite.role)) throw new ValidationError({ role: '役割を選んでください。' });
  // Email is unique across all staff; the existence check runs as a conflict on insert so another
  // shop's staff list is never read.
  const inserted = await tx
    .insertInto('staff_users')
    .values({ tenant_id: tenantId, email: invite.email, display_name: invite.displayName, role: invite.role, status: 'invited', created_by: actor.id })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id'])
    .executeTakeFirst();
  if (!inserted) throw new ValidationError({ email: 'このメールアドレスは既にスタッフとして登録されています。' });
  const token = await issueAuthToken(tx, 'staff_invite', { userId: inserted.id, subject: invite.email });
  await queueMail(tx, {
    tenantId,
    to: invite.email,
    subject: 'Oroshi 管理画面への招待',
    text: `${invite.displayName} 様\n\n${actor.label} さんから管理画面に招待されました(役割: ${STAFF_ROLE_LABELS[invite.role]})。\n次のリンクからパスワードを設定し、二段階認証を登録してください。リンクは1回限り、${token.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} (UTC) まで有効です。\n\n${acceptUrlBase}?token=${token.token}\n\n心当たりがない場合はこのメールを破棄してください。\n`,
  });
  await auditByStaff(tx, actor, { action: 'staff.invite', resourceType: 'staff_user', resourceId: inserted.id, result: 'success', detail: { email: invite.email, role: invite.role } });
  return inserted.id;
}

async function staffInScope(tx: Tx, tenantId: string | null, staffId: string) {
  if (!/^[0-9a-f-]{36}$/.test(staffId)) throw new NotFoundError();
  let q = tx.selectFrom('staff_users').select(['id', 'role', 'status', 'email', 'tenant_id']).where('id', '=', staffId);
  q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFoundError('スタッフが見つかりません。');
  return row;
}

/** The team must keep one active administrator, or nobody could manage it any more. */
async function assertAnotherAdminRemains(tx: Tx, tenantId: string | null, staffId: string) {
  const adminRole: StaffRole = tenantId === null ? 'platform_admin' : 'shop_admin';
  let q = tx
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', adminRole)
    .where('status', '=', 'active')
    .where('id', '<>', staffId);
  q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
  const { n } = await q.executeTakeFirstOrThrow();
  if (Number(n) === 0) throw new ConflictError('最後の管理者は変更・無効化できません。先に別の管理者を追加してください。');
}

export async function changeStaffRole(tx: Tx, actor: StaffActor, tenantId: string | null, staffId: string, role: StaffRole) {
  const allowed: readonly StaffRole[] = tenantId === null ? OPERATOR_STAFF_ROLES : SHOP_STAFF_ROLES;
  if (!allowed.includes(role)) throw new ValidationError({ role: '役割を選んでください。' });
  const staff = await staffInScope(tx, tenantId, staffId);
  if (staff.id === actor.id) throw new ForbiddenError('自分自身の役割は変更できません。');
  if (staff.role === role) return;
  if (staff.role === 'shop_admin' || staff.role === 'platform_admin') await assertAnotherAdminRemains(tx, tenantId, staffId);
  await tx.updateTable('staff_users').set({ role }).where('id', '=', staffId).execute();
  // A permission change takes effect now: sessions granted under the old role end.
  const revoked = await revokeUserSessions(tx, staffId, 'role changed');
  await auditByStaff(tx, actor, { action: 'staff.role_change', resourceType: 'staff_user', resourceId: staffId, result: 'success', detail: { from: staff.role, to: role, sessionsRevoked: revoked } });
}

export async function disableStaff(tx: Tx, actor: StaffActor, tenantId: string | null, staffId: string) {
  const staff = await staffInScope(tx, tenantId, staffId);
  if (staff.id === actor.id) throw new ForbiddenError('自分自身は無効化できません。');
  if (staff.status === 'disabled') return 0;
  if (staff.role === 'shop_admin' || staff.role === 'platform_admin') await assertAnotherAdminRemains(tx, tenantId, staffId);
  await tx.updateTable('staff_users').set({ status: 'disabled' }).where('id', '=', staffId).execute();
  await tx.updateTable('auth_tokens').set({ used_at: sql`now()` }).where('user_id', '=', staffId).where('used_at', 'is', null).execute();
  const revoked = await revokeUserSessions(tx, staffId, 'staff disabled');
  await auditByStaff(tx, actor, { action: 'staff.disable', resourceType: 'staff_user', resourceId: staffId, result: 'success', detail: { email: staff.email, sessionsRevoked: revoked } });
  return revoked;
}
