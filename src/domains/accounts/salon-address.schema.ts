import { z } from 'zod';
import { lookupPostalCode, normalizePostalCode } from '../address/postal-code.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { isPrefectureName } from '../shipping/prefectures.ts';

/** Address and phone fields shared by the salon profile and its delivery locations. */

const text = (label: string, max: number) =>
  z
    .string({ error: `${label}を入力してください。` })
    .trim()
    .min(1, `${label}を入力してください。`)
    .max(max, `${label}は${max}文字以内で入力してください。`);

export const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}は${max}文字以内で入力してください。`)
    .optional()
    .transform((v) => v ?? '');

export const requiredText = text;

export const postalCodeField = z
  .string({ error: '郵便番号を入力してください。' })
  .trim()
  .min(1, '郵便番号を入力してください。')
  .transform((v, ctx) => {
    const code = normalizePostalCode(v);
    if (!code) {
      ctx.addIssue({ code: 'custom', message: '郵便番号は7桁の数字で入力してください（例: 150-0001）。' });
      return z.NEVER;
    }
    return code;
  });

export const prefectureField = z
  .string({ error: '都道府県を選んでください。' })
  .refine((v) => isPrefectureName(v), '都道府県を選んでください。');

export const phoneField = z
  .string({ error: '電話番号を入力してください。' })
  .trim()
  .min(1, '電話番号を入力してください。')
  .transform((v, ctx) => {
    const normalized = v.normalize('NFKC').replace(/[‐‑‒–—―−ー－]/g, '-').replace(/\s/g, '');
    const digits = normalized.replace(/-/g, '');
    if (!/^[0-9-]+$/.test(normalized) || !/^0\d{9,10}$/.test(digits)) {
      ctx.addIssue({ code: 'custom', message: '電話番号は0から始まる10桁または11桁で入力してください（例: 03-1234-5678）。' });
      return z.NEVER;
    }
    return normalized;
  });

export const addressFields = {
  postal_code: postalCodeField,
  prefecture: prefectureField,
  city: text('市区町村', 100),
  address_line1: text('町域・番地', 200),
  address_line2: optionalText('建物名・部屋番号', 200),
  phone: phoneField,
};

/**
 * The postal code must exist in the Japan Post data Oroshi ships and belong to the chosen
 * prefecture: a typo in either would send goods astray.
 */
export async function assertPostalCodeMatches(postalCode: string, prefecture: string): Promise<void> {
  const found = await lookupPostalCode(postalCode);
  if (found.length === 0) throw new ValidationError({ postal_code: 'この郵便番号は見つかりません。番号をご確認ください。' });
  if (!found.some((a) => a.prefecture === prefecture)) {
    throw new ValidationError({ prefecture: `郵便番号 ${postalCode.slice(0, 3)}-${postalCode.slice(3)} は${found[0]!.prefecture}の番号です。都道府県をご確認ください。` });
  }
}
