import { z } from 'zod';
import { isPrefectureName } from '../shipping/prefectures.ts';

/** The checkout form: where, when, how to pay, and the buyer's own references. */

const text = (max: number, label: string) =>
  z
    .string({ error: `${label}を入力してください。` })
    .transform((v) => v.normalize('NFKC').trim())
    .pipe(z.string().max(max, `${label}は${max}文字以内で入力してください。`));

const required = (max: number, label: string) => text(max, label).pipe(z.string().min(1, `${label}を入力してください。`));

export const newAddressSchema = z.object({
  recipientName: required(100, 'お届け先のお名前'),
  recipientCompany: text(100, 'サロン名・会社名').default(''),
  postalCode: z
    .string({ error: '郵便番号を入力してください。' })
    .transform((v) => v.normalize('NFKC').replace(/[-\s]/g, ''))
    .pipe(z.string().regex(/^\d{7}$/, '郵便番号は7桁の数字で入力してください（例: 150-0001）。')),
  prefecture: z.string({ error: '都道府県を選んでください。' }).refine(isPrefectureName, '都道府県を選んでください。'),
  city: required(100, '市区町村'),
  addressLine1: required(200, '町名・番地'),
  addressLine2: text(200, '建物名・部屋番号').default(''),
  phone: z
    .string({ error: '電話番号を入力してください。' })
    .transform((v) => v.normalize('NFKC').trim())
    .pipe(z.string().regex(/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/, '電話番号は0から始まる10〜11桁で入力してください（例: 03-1234-5678）。')),
});

export type NewAddress = z.output<typeof newAddressSchema>;

export const checkoutFormSchema = z.object({
  destination: z.enum(['location', 'new'], { error: 'お届け先を選んでください。' }),
  locationId: z.string().optional().default(''),
  deliveryDate: z
    .string()
    .optional()
    .default('')
    .refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), 'お届け日の形式が正しくありません。'),
  deliverySlot: z.string().max(10, '配達時間帯の指定が正しくありません。').optional().default(''),
  paymentMethod: z.string({ error: 'お支払い方法を選んでください。' }).min(1, 'お支払い方法を選んでください。').max(30, 'お支払い方法を選んでください。'),
  poNumber: text(50, '発注番号').default(''),
  notes: z
    .string()
    .optional()
    .default('')
    .transform((v) => v.trim())
    .pipe(z.string().max(500, '備考は500文字以内で入力してください。')),
});

export type CheckoutForm = z.output<typeof checkoutFormSchema>;

/** Every field the form posts, as strings, for re-rendering what was typed. */
export type CheckoutFormValues = Record<string, string>;

export const CHECKOUT_FIELDS = [
  'destination',
  'locationId',
  'recipientName',
  'recipientCompany',
  'postalCode',
  'prefecture',
  'city',
  'addressLine1',
  'addressLine2',
  'phone',
  'deliveryDate',
  'deliverySlot',
  'paymentMethod',
  'poNumber',
  'notes',
] as const;

export function checkoutValues(body: unknown): CheckoutFormValues {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: CheckoutFormValues = {};
  for (const field of CHECKOUT_FIELDS) {
    const v = source[field];
    // Long input is kept only as far as a message needs it; the schema reports the length.
    values[field] = typeof v === 'string' ? v.slice(0, 2000) : '';
  }
  return values;
}
