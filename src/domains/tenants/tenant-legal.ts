import { z } from 'zod';

/** 特定商取引法に基づく表記: the items a shop must publish, in display order with their labels. */
export const LEGAL_FIELDS = [
  ['seller', '販売業者'],
  ['representative', '運営統括責任者'],
  ['postal_code', '郵便番号'],
  ['address', '所在地'],
  ['phone', '電話番号'],
  ['email', 'メールアドレス'],
  ['business_hours', '営業時間'],
  ['prices', '販売価格'],
  ['extra_fees', '商品代金以外の必要料金'],
  ['payment_methods', 'お支払い方法'],
  ['payment_timing', 'お支払い時期'],
  ['delivery_timing', '商品の引渡し時期'],
  ['returns', '返品・交換・キャンセル'],
  ['members_only', '販売条件'],
] as const;

const text = (max: number) => z.string().trim().min(1, '必須項目です。').max(max, `${max}文字以内で入力してください。`);

export const tenantLegalSchema = z.object({
  seller: text(200),
  representative: text(100),
  postal_code: z.string().regex(/^\d{3}-?\d{4}$/, '郵便番号は7桁で入力してください。'),
  address: text(300),
  phone: z.string().regex(/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/, '電話番号の形式が正しくありません。'),
  email: z.string().email('メールアドレスの形式が正しくありません。'),
  business_hours: text(200),
  prices: text(500),
  extra_fees: text(1000),
  payment_methods: text(500),
  payment_timing: text(500),
  delivery_timing: text(500),
  returns: text(2000),
  members_only: text(1000),
});

export type TenantLegalInput = z.infer<typeof tenantLegalSchema>;
