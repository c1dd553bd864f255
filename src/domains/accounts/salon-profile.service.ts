import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { parseRegistrationNumber } from '../invoicing/registration-number.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import type { SalonAccountsTable, VerificationStatus } from './accounts.tables.ts';
import { addressFields, assertPostalCodeMatches, optionalText, requiredText } from './salon-address.schema.ts';

/**
 * The salon's one profile, kept across every shop it applies to, and its verification: the salon
 * fills it in, uploads its 美容所 certificate and submits it; the operator verifies it (with an
 * expiry); a change to what was verified sends it back for review.
 */

const KANA = /^[\p{Script=Katakana}ー・\s　]*$/u;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const salonProfileSchema = z.object({
  business_type: z.enum(['corporation', 'sole_proprietor'], { error: '法人・個人事業主のどちらかを選んでください。' }),
  company_name: requiredText('会社名・屋号', 200),
  company_name_kana: optionalText('会社名・屋号（フリガナ）', 200).refine((v) => KANA.test(v), '会社名・屋号（フリガナ）はカタカナで入力してください。'),
  salon_name: requiredText('サロン名', 200),
  representative_name: requiredText('代表者名', 100),
  manager_name: optionalText('管理美容師名', 100),
  establishment_health_center: optionalText('届出先の保健所', 100),
  establishment_number: optionalText('確認番号', 50),
  establishment_date: z
    .string()
    .trim()
    .optional()
    .transform((v) => v ?? '')
    .refine((v) => v === '' || (DATE.test(v) && !Number.isNaN(Date.parse(v)) && v <= new Date().toISOString().slice(0, 10)), '確認年月日を正しく入力してください（未来の日付は入力できません）。'),
  ...addressFields,
  invoice_registration_number: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const parsed = parseRegistrationNumber(v);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.value;
    }),
});

export type SalonProfileInput = z.infer<typeof salonProfileSchema>;

export type SalonProfile = Awaited<ReturnType<typeof getSalonProfile>>;

export async function getSalonProfile(tx: Tx, accountId: string) {
  const row = await tx.selectFrom('salon_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  if (!row) throw new NotFoundError('サロン情報が見つかりません。');
  return row;
}

// What a verifier looked at: changing any of these after verification needs a new review.
const VERIFIED_FIELDS = [
  'business_type',
  'company_name',
  'salon_name',
  'representative_name',
  'manager_name',
  'establishment_health_center',
  'establishment_number',
  'establishment_date',
] as const satisfies readonly (keyof SalonAccountsTable & keyof SalonProfileInput)[];

export interface ProfileSaveResult {
  /** True when a verified profile changed in what was verified and went back to review. */
  reverification: boolean;
}

/** Saves the profile; `submit` also sends it for verification (needs the registration and a certificate). */
export async function saveSalonProfile(tx: Tx, accountId: string, input: SalonProfileInput, options: { submit: boolean }): Promise<ProfileSaveResult> {
  await assertPostalCodeMatches(input.postal_code, input.prefecture);
  const current = await getSalonProfile(tx, accountId);
  if (options.submit) await assertReadyForVerification(tx, accountId, input);

  const changedVerified = VERIFIED_FIELDS.some((f) => String(current[f] ?? '') !== String(input[f] ?? ''));
  const reverification = current.verification_status === 'verified' && changedVerified;
  const toPending = options.submit || reverification;
  await tx
    .updateTable('salon_accounts')
    .set({
      ...input,
      establishment_date: input.establishment_date || null,
      ...(toPending ? { verification_status: 'pending', verification_submitted_at: sql<Date>`now()`, verification_note: '' } : {}),
    })
    .where('id', '=', accountId)
    .execute();
  return { reverification };
}

async function assertReadyForVerification(tx: Tx, accountId: string, input: SalonProfileInput): Promise<void> {
  const errors: Record<string, string> = {};
  if (!input.establishment_health_center) errors.establishment_health_center = '審査には届出先の保健所の入力が必要です。';
  if (!input.establishment_number) errors.establishment_number = '審査には確認番号の入力が必要です。';
  if (!input.establishment_date) errors.establishment_date = '審査には確認年月日の入力が必要です。';
  const certificates = await tx.selectFrom('salon_certificates').select(sql<number>`count(*)::int`.as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  if (certificates.n === 0) errors.certificate = '審査には美容所登録の確認書などの書類のアップロードが必要です。';
  if (Object.keys(errors).length) throw new ValidationError(errors, '審査を申し込むには、次の項目が必要です。');
}

export const VERIFICATION_LABELS: Record<VerificationStatus, string> = {
  unsubmitted: '未申請',
  pending: '審査中',
  verified: '確認済み',
  rejected: '差し戻し',
  expired: '有効期限切れ',
};

/** Whether the verification stands today (verified and not past its expiry date). */
export function isVerificationCurrent(profile: { verification_status: string; verification_expires_at: string | Date | null }, today = new Date()): boolean {
  if (profile.verification_status !== 'verified') return false;
  if (!profile.verification_expires_at) return true;
  const expires = typeof profile.verification_expires_at === 'string' ? profile.verification_expires_at : isoDate(profile.verification_expires_at);
  return expires >= isoDate(today);
}

/** The calendar date in Japan (verification dates are business dates, JST). */
export function isoDate(at: Date): string {
  return new Date(at.getTime() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}
