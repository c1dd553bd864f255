import { z } from 'zod';

/**
 * 掛け払い terms and rank as staff enter them in a form (strings from the browser). Closing and
 * payment days are 1–28 or 31 (month end), as in the memberships table.
 */
const dayOfMonth = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, `${label}は1〜28日または月末(31)で入力してください。`)
    .transform(Number)
    .refine((d) => (d >= 1 && d <= 28) || d === 31, `${label}は1〜28日または月末(31)で入力してください。`);

export const membershipTermsSchema = z.object({
  rankId: z.string().uuid('価格ランクを選んでください。'),
  customerCode: z
    .string()
    .trim()
    .max(30, '得意先コードは30文字以内で入力してください。')
    .regex(/^[A-Za-z0-9_-]*$/, '得意先コードは半角英数字・ハイフン・アンダースコアで入力してください。')
    .default(''),
  invoiceTermsEnabled: z
    .union([z.literal('on'), z.literal('1'), z.literal('true'), z.literal(''), z.undefined()])
    .transform((v) => v === 'on' || v === '1' || v === 'true'),
  creditLimitYen: z
    .string()
    .trim()
    .transform((v) => v.replace(/[,，]/g, ''))
    .pipe(z.string().regex(/^\d{1,10}$/, '与信限度額は0以上の整数(円)で入力してください。'))
    .transform(Number)
    .refine((n) => n <= 2_000_000_000, '与信限度額が大きすぎます。'),
  closingDay: dayOfMonth('締め日'),
  paymentMonthOffset: z
    .string()
    .trim()
    .regex(/^[0-3]$/, '支払月は当月〜3か月後から選んでください。')
    .transform(Number),
  paymentDay: dayOfMonth('支払日'),
});

export type MembershipTerms = z.output<typeof membershipTermsSchema>;

export const reasonSchema = z.object({
  reason: z.string().trim().min(1, '理由を入力してください。').max(1000, '理由は1000文字以内で入力してください。'),
});

/** 20日締め翌月末払い, as staff and salons read terms. */
export function describeTerms(t: { invoice_terms_enabled: boolean; closing_day: number; payment_month_offset: number; payment_day: number }): string {
  if (!t.invoice_terms_enabled) return '掛け払いなし';
  const day = (d: number) => (d === 31 ? '末' : `${d}日`);
  const month = ['当月', '翌月', '翌々月', '3か月後'][t.payment_month_offset] ?? '';
  return `${t.closing_day === 31 ? '末日' : `${t.closing_day}日`}締め${month}${day(t.payment_day)}払い`;
}
