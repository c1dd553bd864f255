import { z } from 'zod';

/** What a member types to ask for a cancellation or a return. */
export const reasonSchema = z
  .string({ error: '理由を入力してください。' })
  .transform((v) => v.normalize('NFKC').trim())
  .pipe(z.string().min(1, '理由を入力してください。').max(1000, '理由は1000文字以内で入力してください。'));

export const RETURN_STATUS_LABELS = { requested: '申請中', approved: '承認', refused: 'お断り', completed: '完了' } as const;
export const RETURN_KIND_LABELS = { cancellation: 'キャンセル申請', return: '返品申請' } as const;

/** Form fields `qty_<lineNo>` → returned quantities; blanks and zeros are skipped. */
export function returnLinesFromForm(body: Record<string, string>): { lines: { lineNo: number; quantity: number }[]; errors: Record<string, string> } {
  const lines: { lineNo: number; quantity: number }[] = [];
  const errors: Record<string, string> = {};
  for (const [key, raw] of Object.entries(body)) {
    const m = /^qty_(\d{1,4})$/.exec(key);
    if (!m) continue;
    const value = raw.normalize('NFKC').trim();
    if (value === '' || value === '0') continue;
    if (!/^\d{1,6}$/.test(value)) {
      errors[key] = '数量は0以上の整数で入力してください。';
      continue;
    }
    lines.push({ lineNo: Number(m[1]), quantity: Number(value) });
  }
  return { lines, errors };
}
