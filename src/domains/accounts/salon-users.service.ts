import { hash } from '@node-rs/argon2';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { revokeUserSessions } from '../auth/session.service.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { consumeToken, findLiveToken, issueToken } from './account-token.ts';
import type { SalonUserRole } from './accounts.tables.ts';

/**
 * A salon company's users: owners invite buyers and viewers (or other owners) by email, change
 * their roles and remove them; a salon never loses its last owner. Role changes and removals are
 * permission changes and go to the audit log (platform chain: a salon is not a shop).
 */

export const SALON_ROLE_LABELS: Record<SalonUserRole, string> = {
  owner: 'オーナー（すべての操作）',
  buyer: '発注担当（注文・住所管理）',
  viewer: '閲覧のみ',
};

export const INVITE_TTL_SECONDS = 7 * 24 * 3600;

const roleField = z.enum(['owner', 'buyer', 'viewer'], { error: '権限を選んでください。' });

export const inviteSalonUserSchema = z.object({
  email: z
    .string({ error: 'メールアドレスを入力してください。' })
    .trim()
    .toLowerCase()
    .min(1, 'メールアドレスを入力してください。')
    .max(254, 'メールアドレスが長すぎます。')
    .regex(/^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/, 'メールアドレスの形式が正しくありません。'),
  display_name: z.string({ error: 'お名前を入力してください。' }).trim().min(1, 'お名前を入力してください。').max(100, 'お名前は100文字以内で入力してください。'),
  role: roleField,
});

export const changeRoleSchema = z.object({ role: roleField });

export const acceptInviteSchema = z
  .object({
    display_name: z.string({ error: 'お名前を入力してください。' }).trim().min(1, 'お名前を入力してください。').max(100, 'お名前は100文字以内で入力してください。'),
    password: z.string({ error: 'パスワードを入力してください。' }).min(10, 'パスワードは10文字以上にしてください。').max(128, 'パスワードは128文字以内にしてください。'),
    password_confirm: z.string().optional(),
  })
  .refine((v) => v.password === v.password_confirm, { path: ['password_confirm'], message: '確認用のパスワードが一致しません。' });

export interface SalonUserRow {
  id: string;
  email: string;
  display_name: string;
  role: SalonUserRole;
  status: 'invited' | 'active' | 'removed';
  last_login_at: Date | null;
}

export function listSalonUsers(tx: Tx, accountId: string): Promise<SalonUserRow[]> {
  return tx
    .selectFrom('salon_users')
    .select(['id', 'email', 'display_name', 'role', 'status', 'last_login_at'])
    .where('account_id', '=', accountId)
    .where('status', '<>', 'removed')
    .where('is_synthetic', '=', false)
    .orderBy('created_at')
    .execute();
}

interface Actor {
  accountId: string;
  userId: string;
  ip?: string;
  requestId?: string;
}

/** Invites a user by email; the mail carries a single-use link to set a password. */
export async function inviteSalonUser(tx: Tx, actor: Actor, input: z.infer<typeof inviteSalonUserSchema>, acceptUrl: (token: string) => string): Promise<string> {
  // Email addresses are unique across all salons; the database answers for rows this salon cannot see.
  const taken = await sql<{ taken: boolean }>`SELECT EXISTS (SELECT 1 FROM auth_find_login('salon', ${input.email}::citext)) AS taken`.execute(tx);
  const mine = await tx.selectFrom('salon_users').select(['id', 'status']).where('email', '=', input.email).executeTakeFirst();
  if (mine && mine.status !== 'removed') throw new ValidationError({ email: 'このメールアドレスのユーザーはすでに登録されています。' });
  let user: { id: string } | undefined;
  if (mine) {
    // A user this salon removed earlier: invited again on the same row (the address stays unique).
    user = await tx.updateTable('salon_users').set({ status: 'invited', role: input.role, display_name: input.display_name }).where('id', '=', mine.id).returning('id').executeTakeFirst();
  } else {
    if (taken.rows[0]?.taken) throw new ValidationError({ email: 'このメールアドレスは別のアカウントで使われています。別のアドレスを入力してください。' });
    user = await tx
      .insertInto('salon_users')
      .values({ account_id: actor.accountId, email: input.email, display_name: input.display_name, role: input.role, status: 'invited' })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
  }
  if (!user) throw new ValidationError({ email: 'このメールアドレスは別のアカウントで使われています。別のアドレスを入力してください。' });
  const token = await issueToken(tx, { kind: 'salon_invite', userId: user.id, subject: `salon_user:${actor.accountId}`, ttlSeconds: INVITE_TTL_SECONDS });
  const salon = await tx.selectFrom('salon_accounts').select(['salon_name', 'company_name']).where('id', '=', actor.accountId).executeTakeFirstOrThrow();
  await queueMail(tx, {
    tenantId: null,
    to: input.email,
    subject: `【Oroshi】${salon.salon_name} のアカウントに招待されました`,
    text: [
      `${input.display_name} 様`,
      '',
      `${salon.company_name}（${salon.salon_name}）の Oroshi アカウントに「${SALON_ROLE_LABELS[input.role]}」として招待されました。`,
      '次のリンクからパスワードを設定して、ご利用を開始してください（有効期限7日間・1回限り）。',
      '',
      acceptUrl(token),
      '',
      'お心当たりのない場合は、このメールを破棄してください。',
    ].join('\n'),
  });
  await audit(tx, actor, 'salon_user.invite', user.id, { role: input.role });
  return user.id;
}

async function ownerCount(tx: Tx, accountId: string): Promise<number> {
  const row = await tx
    .selectFrom('salon_users')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return row.n;
}

async function targetUser(tx: Tx, accountId: string, userId: string) {
  if (!/^[0-9a-f-]{36}$/.test(userId)) throw new NotFoundError('ユーザーが見つかりません。');
  const user = await tx
    .selectFrom('salon_users')
    .select(['id', 'role', 'status'])
    .where('id', '=', userId)
    .where('account_id', '=', accountId)
    .where('status', '<>', 'removed')
    .executeTakeFirst();
  if (!user) throw new NotFoundError('ユーザーが見つかりません。');
  return user;
}

export async function changeSalonUserRole(tx: Tx, actor: Actor, userId: string, role: SalonUserRole): Promise<void> {
  const user = await targetUser(tx, actor.accountId, userId);
  if (user.role === role) return;
  if (user.role === 'owner' && user.status === 'active' && (await ownerCount(tx, actor.accountId)) <= 1) {
    throw new ConflictError('オーナーが1人だけのため、権限を変更できません。先に別のユーザーをオーナーにしてください。');
  }
  await tx.updateTable('salon_users').set({ role }).where('id', '=', user.id).execute();
  await audit(tx, actor, 'salon_user.role_change', user.id, { from: user.role, to: role });
}

export async function removeSalonUser(tx: Tx, actor: Actor, userId: string): Promise<void> {
  const user = await targetUser(tx, actor.accountId, userId);
  if (user.role === 'owner' && user.status === 'active' && (await ownerCount(tx, actor.accountId)) <= 1) {
    throw new ConflictError('最後のオーナーは削除できません。');
  }
  if (user.id === actor.userId) throw new ForbiddenError('ご自身を削除することはできません。別のオーナーに依頼してください。');
  await tx.updateTable('salon_users').set({ status: 'removed' }).where('id', '=', user.id).execute();
  await revokeUserSessions(tx, user.id, 'salon_user_removed');
  await audit(tx, actor, 'salon_user.remove', user.id, { role: user.role });
}

async function audit(tx: Tx, actor: Actor, action: string, resourceId: string, detail: Record<string, unknown>): Promise<void> {
  await appendAudit(tx, {
    actorType: 'salon_user',
    actorId: actor.userId,
    action,
    resourceType: 'salon_user',
    resourceId,
    result: 'success',
    sourceIp: actor.ip,
    requestId: actor.requestId,
    detail: { account_id: actor.accountId, ...detail },
  });
}

const INVITE_SUBJECT = /^salon_user:([0-9a-f-]{36})$/;

export interface PendingInvite {
  tokenId: string;
  userId: string;
  accountId: string;
  email: string;
  displayName: string;
  salonName: string;
  role: SalonUserRole;
}

/** The invitation behind a link, if it is still good. */
export async function findSalonInvite(database: Database, token: string): Promise<PendingInvite> {
  const live = await withPlatform(database, (tx) => findLiveToken(tx, 'salon_invite', token));
  const match = live?.userId ? INVITE_SUBJECT.exec(live.subject) : null;
  const invalid = () => new NotFoundError('この招待リンクは無効か、有効期限が切れています。招待した方に再送をご依頼ください。');
  if (!live || !match) throw invalid();
  const accountId = match[1]!;
  return withIdentity(database, { accountId, principalId: live.userId, audience: 'salon' }, async (tx) => {
    const user = await tx
      .selectFrom('salon_users as u')
      .innerJoin('salon_accounts as a', 'a.id', 'u.account_id')
      .select(['u.id', 'u.email', 'u.display_name', 'u.role', 'u.status', 'a.salon_name'])
      .where('u.id', '=', live.userId!)
      .executeTakeFirst();
    if (user?.status !== 'invited') throw invalid();
    return { tokenId: live.id, userId: user.id, accountId, email: user.email, displayName: user.display_name, salonName: user.salon_name, role: user.role };
  });
}

/** The invitee sets a name and password; the user becomes active and the link is spent. */
export async function acceptSalonInvite(database: Database, token: string, input: z.infer<typeof acceptInviteSchema>): Promise<PendingInvite> {
  const invite = await findSalonInvite(database, token);
  const passwordHash = await hash(input.password);
  await withIdentity(database, { accountId: invite.accountId, principalId: invite.userId, audience: 'salon' }, async (tx) => {
    if (!(await consumeToken(tx, invite.tokenId))) throw new NotFoundError('この招待リンクはすでに使用されています。');
    await tx
      .updateTable('salon_users')
      .set({ status: 'active', display_name: input.display_name, email_verified_at: sql<Date>`now()` })
      .where('id', '=', invite.userId)
      .where('status', '=', 'invited')
      .execute();
    await tx
      .insertInto('user_credentials')
      .values({ user_id: invite.userId, user_kind: 'salon', password_hash: passwordHash })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ password_hash: passwordHash, password_changed_at: sql`now()`, failed_attempts: 0, locked_until: null }))
      .execute();
  });
  return invite;
}
