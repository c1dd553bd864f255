import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../staff/staff-actor.ts';

/**
 * The operator's salon verification queue: salons that submitted their profile and certificates.
 * Runs in an operator session's scope (app.audience = 'operator' lets RLS show every salon); the
 * decision is recorded in the platform audit chain and mailed to the salon's owner.
 */

export const verifySchema = z.object({
  expiresOn: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '有効期限を日付で入力してください。')
    .refine((d) => !Number.isNaN(Date.parse(d)) && d > new Date().toISOString().slice(0, 10), '有効期限は明日以降の日付にしてください。')
    .refine((d) => d <= new Date(Date.now() + 5 * 366 * 86400_000).toISOString().slice(0, 10), '有効期限は5年以内にしてください。'),
});

export function defaultVerificationExpiry(today = new Date()): string {
  const d = new Date(today);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

export async function listPendingVerifications(tx: Tx) {
  const accounts = await tx
    .selectFrom('salon_accounts')
    .selectAll()
    .where('verification_status', '=', 'pending')
    .orderBy('verification_submitted_at')
    .limit(200)
    .execute();
  if (accounts.length === 0) return [];
  const ids = accounts.map((a) => a.id);
  const certificates = await tx
    .selectFrom('salon_certificates')
    .select(['id', 'account_id', 'kind', 'original_name', 'size_bytes', 'created_at'])
    .where('account_id', 'in', ids)
    .orderBy('created_at')
    .execute();
  const owners = await tx.selectFrom('salon_users').select(['account_id', 'email', 'display_name']).where('account_id', 'in', ids).where('role', '=', 'owner').execute();
  return accounts.map((a) => ({
    account: a,
    certificates: certificates.filter((c) => c.account_id === a.id),
    owner: owners.find((o) => o.account_id === a.id),
  }));
}

async function decide(tx: Tx, accountId: string, set: Record<string, unknown>) {
  if (!/^[0-9a-f-]{36}$/.test(accountId)) throw new NotFoundError();
  const updated = await tx
    .updateTable('salon_accounts')
    .set(set)
    .where('id', '=', accountId)
    .where('verification_status', '=', 'pending')
    .returning(['id', 'company_name'])
    .executeTakeFirst();
  if (updated) return updated;
  const exists = await tx.selectFrom('salon_accounts').select('id').where('id', '=', accountId).executeTakeFirst();
  if (!exists) throw new NotFoundError('サロンが見つかりません。');
  throw new ConflictError('このサロンの確認は既に済んでいます。画面を再読み込みしてください。');
}

async function mailOwner(tx: Tx, accountId: string, subject: string, text: (name: string) => string) {
  const owner = await tx
    .selectFrom('salon_users')
    .select(['email', 'display_name'])
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .orderBy('created_at')
    .executeTakeFirst();
  if (owner) await queueMail(tx, { tenantId: null, to: owner.email, subject, text: text(owner.display_name) });
}

export async function verifySalon(tx: Tx, actor: StaffActor, accountId: string, expiresOn: string) {
  const salon = await decide(tx, accountId, {
    verification_status: 'verified',
    verified_at: sql`now()`,
    verified_by: actor.id,
    verification_expires_at: expiresOn,
    verification_note: '',
  });
  await auditByStaff(tx, actor, { action: 'salon.verify', resourceType: 'salon_account', resourceId: accountId, result: 'success', detail: { expiresOn } });
  await mailOwner(
    tx,
    accountId,
    'サロン情報の確認が完了しました',
    (name) => `${name} 様\n\n${salon.company_name} のサロン情報と提出書類の確認が完了しました(有効期限: ${expiresOn})。\nお申し込み済みのショップで審査が進みます。\n`,
  );
}

export async function rejectSalonVerification(tx: Tx, actor: StaffActor, accountId: string, reason: string) {
  if (!reason.trim()) throw new ValidationError({ reason: '理由を入力してください。' });
  const salon = await decide(tx, accountId, { verification_status: 'rejected', verified_at: null, verified_by: actor.id, verification_note: reason });
  await auditByStaff(tx, actor, { action: 'salon.verification_reject', resourceType: 'salon_account', resourceId: accountId, result: 'success', reason });
  await mailOwner(
    tx,
    accountId,
    'サロン情報の確認について',
    (name) => `${name} 様\n\n${salon.company_name} のサロン情報を確認しましたが、次の理由で確認を完了できませんでした。\n\n${reason}\n\nサロン情報または書類を修正して、再度ご提出ください。\n`,
  );
}
