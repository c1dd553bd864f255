import { z } from 'zod';

/**
 * A Japanese bank account as staff type it (the shop's own account on invoices, a member's account
 * for a refund): full-width input folded by NFKC, 7-digit account number, holder in kana as the
 * bank's transfer screen wants it (half-width kana fold to full-width).
 */

const text = (max: number, label: string) =>
  z
    .string({ error: `${label}を入力してください。` })
    .transform((v) => v.normalize('NFKC').trim())
    .pipe(z.string().min(1, `${label}を入力してください。`).max(max, `${label}は${max}文字以内で入力してください。`));

export const bankAccountFields = {
  bankName: text(30, '金融機関名'),
  branchName: text(30, '支店名'),
  accountType: z.enum(['普通', '当座'], { error: '口座種別を選んでください。' }),
  accountNumber: z
    .string({ error: '口座番号を入力してください。' })
    .transform((v) => v.normalize('NFKC').replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{7}$/, '口座番号は7桁の数字で入力してください。')),
  accountHolder: z
    .string({ error: '口座名義（カナ）を入力してください。' })
    .transform((v) => v.normalize('NFKC').trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, '口座名義（カナ）を入力してください。')
        .max(40, '口座名義は40文字以内で入力してください。')
        .regex(/^[ァ-ヶー\u30FB\uFF65-\uFF9FA-Z0-9 ().,\-/]+$/, '口座名義はカタカナ（英大文字・数字）で入力してください。'),
    ),
};

export const bankAccountSchema = z.object(bankAccountFields);

/** Field errors of a zod result, first message per field. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? '_form')] ??= issue.message;
  return errors;
}
