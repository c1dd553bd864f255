/**
 * The catalog CSV: one row per variant, product fields repeated on each of its rows, then one
 * column per price rank ("ランク価格:<rank code>"). Headers are Japanese, as staff read them in Excel;
 * coded values (status, restriction) are the codes shown in the admin screens.
 */

export const CATALOG_COLUMNS = [
  { key: 'product_code', header: '商品コード', required: true },
  { key: 'product_name', header: '商品名', required: true },
  { key: 'brand', header: 'ブランドコード', required: true },
  { key: 'category', header: 'カテゴリコード', required: true },
  { key: 'status', header: 'ステータス', required: true },
  { key: 'tax_rate', header: '税率', required: true },
  { key: 'restriction', header: '販売制限', required: true },
  { key: 'lot_tracked', header: 'ロット管理', required: false },
  { key: 'featured', header: 'おすすめ', required: false },
  { key: 'description', header: '商品説明', required: true },
  { key: 'sku', header: 'SKU', required: true },
  { key: 'jan', header: 'JANコード', required: true },
  { key: 'label', header: 'バリエーション名', required: false },
  { key: 'capacity', header: '容量', required: true },
  { key: 'pack_size', header: '入数', required: true },
  { key: 'min_quantity', header: '最小注文数', required: true },
  { key: 'order_multiple', header: '注文単位', required: true },
  { key: 'list_price', header: '定価', required: true },
  { key: 'stock', header: '在庫数', required: true },
  // Optional: a file without it leaves every variant's 棚番 as it is.
  { key: 'shelf_location', header: '棚番', required: false },
] as const;

export type CatalogColumnKey = (typeof CATALOG_COLUMNS)[number]['key'];

export const RANK_COLUMN_PREFIX = 'ランク価格:';

export const HEADER_OF: Record<CatalogColumnKey, string> = Object.fromEntries(CATALOG_COLUMNS.map((c) => [c.key, c.header])) as Record<CatalogColumnKey, string>;

const STATUS_ALIASES: Record<string, 'draft' | 'active' | 'archived'> = {
  active: 'active',
  公開: 'active',
  販売中: 'active',
  draft: 'draft',
  下書き: 'draft',
  archived: 'archived',
  アーカイブ: 'archived',
  販売終了: 'archived',
};

const RESTRICTION_ALIASES: Record<string, 'none' | 'professional'> = {
  none: 'none',
  なし: 'none',
  '': 'none',
  professional: 'professional',
  理美容師限定: 'professional',
};

export function parseStatusCell(value: string): 'draft' | 'active' | 'archived' | null {
  return STATUS_ALIASES[value.trim().toLowerCase()] ?? STATUS_ALIASES[value.trim()] ?? null;
}

export function parseRestrictionCell(value: string): 'none' | 'professional' | null {
  return RESTRICTION_ALIASES[value.trim().toLowerCase()] ?? RESTRICTION_ALIASES[value.trim()] ?? null;
}

export function parseFlagCell(value: string | undefined): boolean | null {
  const v = (value ?? '').normalize('NFKC').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'いいえ') return false;
  if (v === '1' || v === 'true' || v === 'はい' || v === '○') return true;
  return null;
}

/**
 * Excel runs a cell that starts with = + - @ (or a tab/CR) as a formula. Exported text cells
 * that would are prefixed with an apostrophe, which the import removes again.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unguardFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
