import { z } from 'zod';
import { parseJan } from './jan-code.ts';

/**
 * Field rules for catalog writes, with the messages editors read. Inputs are strings as forms and
 * CSV cells deliver them; the output is typed values. The admin forms and the CSV import use the
 * same schemas, so a value the form refuses is refused by the import too.
 */

export const PRODUCT_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
export const SKU = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
export const SLUG = /^[a-z0-9][a-z0-9-]{0,60}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const requiredText = (label: string, max: number) =>
  z
    .string({ error: `${label}を入力してください。` })
    .trim()
    .min(1, `${label}を入力してください。`)
    .max(max, `${label}は${max}文字以内で入力してください。`);

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}は${max}文字以内で入力してください。`)
    .optional()
    .transform((v) => v ?? '');

/** 棚番 such as A-03-2: half-width letters, digits, hyphens, dots (full-width input is folded). */
export const SHELF_LOCATION = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$/;
export const SHELF_LOCATION_MESSAGE = '棚番は半角英数字・ハイフン・ドット・アンダースコアで20文字以内で入力してください（例: A-03-2）。';
const shelfLocationField = z
  .string()
  .optional()
  .transform((v) => (v ?? '').normalize('NFKC').trim().toUpperCase())
  .pipe(z.string().refine((v) => v === '' || SHELF_LOCATION.test(v), SHELF_LOCATION_MESSAGE));

/** Whole numbers as people type them: full-width digits and thousands separators are fine. */
export function intField(label: string, min: number, max: number, fallback?: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = (raw ?? '').normalize('NFKC').trim().replace(/,/g, '');
      if (text === '') {
        if (fallback !== undefined) return fallback;
        ctx.addIssue({ code: 'custom', message: `${label}を入力してください。` });
        return z.NEVER;
      }
      if (!/^-?\d+$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: `${label}は半角数字（整数）で入力してください。` });
        return z.NEVER;
      }
      const value = Number(text);
      if (value < min || value > max) {
        ctx.addIssue({
          code: 'custom',
          message: value < 0 && min >= 0 ? `${label}に負の数は使えません。` : `${label}は${min.toLocaleString('ja-JP')}〜${max.toLocaleString('ja-JP')}の範囲で入力してください。`,
        });
        return z.NEVER;
      }
      return value;
    });
}

const checkbox = z
  .union([z.string(), z.boolean()])
  .optional()
  .transform((v) => v === true || v === 'on' || v === '1' || v === 'true');

const optionalId = (label: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const id = (v ?? '').trim();
      if (id === '') return null;
      if (!UUID.test(id)) {
        ctx.addIssue({ code: 'custom', message: `${label}を選び直してください。` });
        return z.NEVER;
      }
      return id;
    });

export const productSchema = z.object({
  code: z
    .string({ error: '商品コードを入力してください。' })
    .trim()
    .min(1, '商品コードを入力してください。')
    .regex(PRODUCT_CODE, '商品コードは半角英数字・ハイフン・アンダースコアで40文字以内で入力してください（先頭は英数字）。'),
  name: requiredText('商品名', 200),
  brand_id: optionalId('ブランド'),
  category_id: optionalId('カテゴリ').refine((v) => v !== null, 'カテゴリを選んでください。').transform((v) => v as string),
  status: z.enum(['draft', 'active', 'archived'], { error: 'ステータスを選んでください。' }),
  tax_rate: z.enum(['10', '8'], { error: '税率は10%か8%を選んでください。' }).transform((v) => (v === '8' ? 8 : 10) as 8 | 10),
  restriction: z.enum(['none', 'professional'], { error: '販売制限を選んでください。' }),
  lot_tracked: checkbox,
  featured: checkbox,
  description_html: z.string().optional().transform((v) => v ?? ''),
});
export type ProductInput = z.infer<typeof productSchema>;

export const variantSchema = z
  .object({
    sku: z
      .string({ error: 'SKUを入力してください。' })
      .trim()
      .min(1, 'SKUを入力してください。')
      .regex(SKU, 'SKUは半角英数字・ハイフン・ドット・アンダースコアで40文字以内で入力してください（先頭は英数字）。'),
    jan_code: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (!v || v.trim() === '') return null;
        const jan = parseJan(v);
        if (!jan.ok) {
          ctx.addIssue({ code: 'custom', message: jan.message });
          return z.NEVER;
        }
        return jan.value;
      }),
    label: optionalText('バリエーション名', 100),
    capacity: optionalText('容量', 50),
    pack_size: intField('入数', 1, 10000, 1),
    min_quantity: intField('最小注文数', 1, 100000, 1),
    order_multiple: intField('注文単位', 1, 10000, 1),
    list_price_yen: intField('定価', 0, 100_000_000),
    sort_order: intField('表示順', -100000, 100000, 0),
    status: z.enum(['active', 'archived'], { error: '状態を選んでください。' }).optional().transform((v) => v ?? 'active'),
    shelf_location: shelfLocationField,
  })
  .superRefine((v, ctx) => {
    if (v.min_quantity % v.order_multiple !== 0) {
      ctx.addIssue({ code: 'custom', path: ['min_quantity'], message: `最小注文数は注文単位（${v.order_multiple}）の倍数にしてください。` });
    }
  });
export type VariantInput = z.infer<typeof variantSchema>;

export const categorySchema = z.object({
  slug: z
    .string({ error: 'カテゴリコードを入力してください。' })
    .trim()
    .min(1, 'カテゴリコードを入力してください。')
    .regex(SLUG, 'カテゴリコードは半角小文字英数字とハイフンで61文字以内で入力してください。'),
  name: requiredText('カテゴリ名', 100),
  parent_id: optionalId('親カテゴリ'),
  sort_order: intField('表示順', -100000, 100000, 0),
});
export type CategoryInput = z.infer<typeof categorySchema>;

export const brandSchema = z.object({
  slug: z
    .string({ error: 'ブランドコードを入力してください。' })
    .trim()
    .min(1, 'ブランドコードを入力してください。')
    .regex(SLUG, 'ブランドコードは半角小文字英数字とハイフンで61文字以内で入力してください。'),
  name: requiredText('ブランド名', 100),
  name_kana: optionalText('ブランド名（かな）', 100),
  maker: optionalText('メーカー', 100),
});
export type BrandInput = z.infer<typeof brandSchema>;

export const STOCK_REASONS_FOR_STAFF = ['receipt', 'count', 'damage', 'return', 'correction'] as const;

export const STOCK_REASON_LABELS: Record<string, string> = {
  receipt: '入荷',
  count: '棚卸',
  damage: '破損・廃棄',
  return: '返品',
  correction: '訂正',
  import: 'CSV取込',
  order: '受注',
  cancel: 'キャンセル',
};

export const stockAdjustmentSchema = z.object({
  delta: intField('増減数', -1_000_000, 1_000_000).refine((v) => v !== 0, '増減数に0以外の数を入力してください。'),
  reason: z.enum(STOCK_REASONS_FOR_STAFF, { error: '理由を選んでください。' }),
  note: optionalText('メモ', 500),
});
export type StockAdjustmentInput = z.infer<typeof stockAdjustmentSchema>;

/** A rank price cell: blank (the rank's own 掛け率 applies), a yen amount, or a rate such as 75%. */
export type RankPriceValue = { kind: 'none' } | { kind: 'yen'; priceYen: number } | { kind: 'rate'; rate: number };

export function parseRankPrice(raw: string | undefined): { ok: true; value: RankPriceValue } | { ok: false; message: string } {
  const text = (raw ?? '').normalize('NFKC').trim().replace(/,/g, '').replace(/^¥|円$/g, '');
  if (text === '') return { ok: true, value: { kind: 'none' } };
  const percent = /^(\d{1,3}(?:\.\d{1,2})?)%$/.exec(text);
  if (percent) {
    const rate = Number(percent[1]) / 100;
    if (rate <= 0 || rate > 1) return { ok: false, message: '掛け率は0%より大きく100%以下で入力してください。' };
    return { ok: true, value: { kind: 'rate', rate: Math.round(rate * 10000) / 10000 } };
  }
  if (/^-/.test(text)) return { ok: false, message: 'ランク価格に負の数は使えません。' };
  if (!/^\d+$/.test(text)) return { ok: false, message: 'ランク価格は円（整数）か掛け率（例: 75%）で入力してください。' };
  const yen = Number(text);
  if (yen > 100_000_000) return { ok: false, message: 'ランク価格が大きすぎます。' };
  return { ok: true, value: { kind: 'yen', priceYen: yen } };
}

export function formatRankPrice(value: { price_yen: number | null; rate: string | number | null } | undefined): string {
  if (!value) return '';
  if (value.price_yen !== null) return String(value.price_yen);
  if (value.rate !== null) return `${Number((Number(value.rate) * 100).toFixed(2))}%`;
  return '';
}
