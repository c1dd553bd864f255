import { parse } from 'csv-parse';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { parseRankPrice, productSchema, type RankPriceValue, variantSchema } from '../catalog/catalog.schemas.ts';
import { sanitizeDescription } from '../catalog/description-sanitizer.ts';
import {
  CATALOG_COLUMNS,
  type CatalogColumnKey,
  HEADER_OF,
  parseFlagCell,
  parseRestrictionCell,
  parseStatusCell,
  RANK_COLUMN_PREFIX,
  unguardFormula,
} from './catalog-csv.columns.ts';
import { type CsvEncoding, decodedCsvStream, detectCsvEncoding } from './catalog-csv.decode.ts';

/**
 * Reads an uploaded catalog CSV against the shop's current catalog: per-row errors, and what an
 * import would create or change. Used twice — for the preview, and again inside the commit's
 * transaction (with `keepRows`), so the commit acts on exactly what it re-validated.
 * The file is streamed; the preview keeps only counts, the first errors and one small record per
 * product code, so 100k rows fit in memory and take seconds.
 */

export const MAX_ERRORS_SHOWN = 200;
export const MAX_ROWS = 200_000;

export interface RowError {
  /** Line in the file, counting the header as line 1 (a quoted multi-line cell counts once). */
  line: number;
  column: string;
  message: string;
}

export interface ProductPlan {
  code: string;
  existingId: string | null;
  changed: boolean;
  name: string;
  brandId: string | null;
  categoryId: string;
  status: 'draft' | 'active' | 'archived';
  taxRate: 8 | 10;
  restriction: 'none' | 'professional';
  lotTracked: boolean;
  featured: boolean;
  descriptionHtml: string;
}

export interface VariantPlan {
  line: number;
  productCode: string;
  existingId: string | null;
  changed: boolean;
  sku: string;
  janCode: string | null;
  label: string;
  capacity: string;
  packSize: number;
  minQuantity: number;
  orderMultiple: number;
  listPriceYen: number;
  /** null: the file has no 棚番 column (left as it is). */
  shelfLocation: string | null;
  /** null: the stock cell was blank (stock left as it is). */
  stock: number | null;
  stockDelta: number;
  rankPrices: Map<string, RankPriceValue>;
}

export interface CatalogCsvAnalysis {
  encoding: CsvEncoding | null;
  rows: number;
  products: { created: number; changed: number; unchanged: number };
  variants: { created: number; changed: number; unchanged: number };
  /** Problems with the file as a whole (encoding, header); when present no row was read. */
  fileErrors: string[];
  errors: RowError[];
  errorCount: number;
  /** Only with keepRows. */
  plan?: { products: ProductPlan[]; variants: VariantPlan[] };
}

interface ExistingVariant {
  id: string;
  product_code: string;
  jan_code: string | null;
  label: string;
  capacity: string;
  pack_size: number;
  min_quantity: number;
  order_multiple: number;
  list_price_yen: number;
  stock_on_hand: number;
  stock_reserved: number;
  shelf_location: string;
  prices: Map<string, RankPriceValue>;
}

async function loadContext(tx: Tx) {
  const [categories, brands, ranks] = [
    await tx.selectFrom('categories').select(['id', 'slug', 'parent_id']).execute(),
    await tx.selectFrom('brands').select(['id', 'slug']).execute(),
    await tx.selectFrom('shop_price_ranks').select(['id', 'code']).execute(),
  ];
  const products = await tx
    .selectFrom('products as p')
    .leftJoin('brands as b', 'b.id', 'p.brand_id')
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.brand_id',
      'p.category_id',
      'p.status',
      'p.tax_rate',
      'p.restriction',
      'p.lot_tracked',
      'p.featured',
      'p.description_html',
    ])
    .execute();
  const variantRows = await tx
    .selectFrom('product_variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'v.id',
      'v.sku',
      'p.code as product_code',
      'v.jan_code',
      'v.label',
      'v.capacity',
      'v.pack_size',
      'v.min_quantity',
      'v.order_multiple',
      'v.list_price_yen',
      'v.stock_on_hand',
      'v.stock_reserved',
      'v.shelf_location',
    ])
    .execute();
  const priceRows = await tx.selectFrom('variant_rank_prices').select(['variant_id', 'rank_id', 'price_yen', 'rate']).execute();
  const pricesByVariant = new Map<string, Map<string, RankPriceValue>>();
  for (const p of priceRows) {
    let map = pricesByVariant.get(p.variant_id);
    if (!map) {
      map = new Map();
      pricesByVariant.set(p.variant_id, map);
    }
    map.set(p.rank_id, p.price_yen !== null ? { kind: 'yen', priceYen: p.price_yen } : { kind: 'rate', rate: Number(p.rate) });
  }
  const variants = new Map<string, ExistingVariant>();
  const janOwner = new Map<string, string>();
  for (const v of variantRows) {
    variants.set(v.sku, { ...v, prices: pricesByVariant.get(v.id) ?? new Map() });
    if (v.jan_code) janOwner.set(v.jan_code, v.sku);
  }
  return {
    categoryBySlug: new Map(categories.map((c) => [c.slug, c])),
    brandBySlug: new Map(brands.map((b) => [b.slug, b.id])),
    rankByCode: new Map(ranks.map((r) => [r.code, r.id])),
    productByCode: new Map(products.map((p) => [p.code, p])),
    variants,
    janOwner,
  };
}

const sameRankPrice = (a: RankPriceValue | undefined, b: RankPriceValue): boolean => {
  const left = a ?? { kind: 'none' };
  if (left.kind !== b.kind) return false;
  if (left.kind === 'yen' && b.kind === 'yen') return left.priceYen === b.priceYen;
  if (left.kind === 'rate' && b.kind === 'rate') return Math.abs(left.rate - b.rate) < 0.00005;
  return true;
};

export async function analyzeCatalogCsv(tx: Tx, filePath: string, options: { keepRows?: boolean; maxErrors?: number } = {}): Promise<CatalogCsvAnalysis> {
  const maxErrors = options.maxErrors ?? MAX_ERRORS_SHOWN;
  const result: CatalogCsvAnalysis = {
    encoding: null,
    rows: 0,
    products: { created: 0, changed: 0, unchanged: 0 },
    variants: { created: 0, changed: 0, unchanged: 0 },
    fileErrors: [],
    errors: [],
    errorCount: 0,
  };
  const detected = await detectCsvEncoding(filePath);
  if (!detected.ok) {
    result.fileErrors.push(detected.message);
    return result;
  }
  result.encoding = detected.encoding;
  const ctx = await loadContext(tx);

  // Every row of a product repeats its description; sanitising is the slowest step, so do it once per text.
  const sanitized = new Map<string, ReturnType<typeof sanitizeDescription>>();
  const sanitizeOnce = (html: string) => {
    let out = sanitized.get(html);
    if (!out) {
      if (sanitized.size >= 5000) sanitized.clear();
      out = sanitizeDescription(html);
      sanitized.set(html, out);
    }
    return out;
  };

  const addError = (line: number, column: string, message: string) => {
    result.errorCount++;
    if (result.errors.length < maxErrors) result.errors.push({ line, column, message });
  };

  const parser = decodedCsvStream(filePath, detected.encoding).pipe(
    parse({ relax_column_count: true, skip_empty_lines: true, max_record_size: 256 * 1024 }),
  ) as AsyncIterable<string[]>;

  let index: Partial<Record<CatalogColumnKey, number>> = {};
  const rankColumns: { rankId: string; index: number; header: string }[] = [];
  let line = 0;
  // Per product code: the first row's product fields (rows of one product must agree).
  const productSeen = new Map<string, { line: number; signature: string; plan: ProductPlan | null; hasValidRow: boolean }>();
  const skuSeen = new Map<string, number>();
  const janSeen = new Map<string, string>();
  const productPlans: ProductPlan[] = [];
  const variantPlans: VariantPlan[] = [];

  try {
    for await (const record of parser) {
      line++;
      if (line === 1) {
        const headers = record.map((h) => h.replace(/^\ufeff/, '').trim());
        if (headers.some((h) => h.includes('\ufffd'))) {
          result.fileErrors.push(`見出し行が文字化けしています。${detected.encoding === 'cp932' ? 'Shift_JIS として読みました。' : ''}${'UTF-8 または Shift_JIS（CP932）で保存し直してください。'}`);
          return result;
        }
        index = {};
        for (const column of CATALOG_COLUMNS) {
          const at = headers.indexOf(column.header);
          if (at >= 0) index[column.key] = at;
        }
        const missing = CATALOG_COLUMNS.filter((c) => c.required && index[c.key] === undefined).map((c) => c.header);
        if (missing.length) result.fileErrors.push(`必要な列がありません: ${missing.join('、')}`);
        headers.forEach((h, i) => {
          if (!h.startsWith(RANK_COLUMN_PREFIX)) return;
          const code = h.slice(RANK_COLUMN_PREFIX.length).trim();
          const rankId = ctx.rankByCode.get(code);
          if (!rankId) result.fileErrors.push(`列「${h}」のランクコード「${code}」はこのショップにありません。`);
          else rankColumns.push({ rankId, index: i, header: h });
        });
        if (result.fileErrors.length) return result;
        continue;
      }
      result.rows++;
      if (result.rows > MAX_ROWS) {
        result.fileErrors.push(`行数が多すぎます（${MAX_ROWS.toLocaleString('ja-JP')}行まで）。ファイルを分けてください。`);
        return result;
      }
      const cell = (key: CatalogColumnKey): string => {
        const at = index[key];
        return at === undefined ? '' : unguardFormula(record[at] ?? '');
      };
      const errorsBefore = result.errorCount;
      if (record.some((v) => v.includes('\ufffd'))) {
        addError(line, '', '文字化けしています（文字コードが正しくない可能性があります）。UTF-8 または Shift_JIS（CP932）で保存してください。');
        continue;
      }

      // Product fields
      const code = cell('product_code').trim();
      const category = ctx.categoryBySlug.get(cell('category').trim());
      if (cell('category').trim() === '') addError(line, HEADER_OF.category, 'カテゴリコードを入力してください。');
      else if (!category) addError(line, HEADER_OF.category, `カテゴリコード「${cell('category').trim()}」はありません。`);
      const brandSlug = cell('brand').trim();
      const brandId = brandSlug === '' ? null : (ctx.brandBySlug.get(brandSlug) ?? undefined);
      if (brandId === undefined) addError(line, HEADER_OF.brand, `ブランドコード「${brandSlug}」はありません。`);
      const status = parseStatusCell(cell('status'));
      if (!status) addError(line, HEADER_OF.status, 'ステータスは active / draft / archived のいずれかにしてください。');
      const restriction = parseRestrictionCell(cell('restriction'));
      if (!restriction) addError(line, HEADER_OF.restriction, '販売制限は none か professional（理美容師限定）にしてください。');
      const lotTracked = parseFlagCell(cell('lot_tracked'));
      if (lotTracked === null) addError(line, HEADER_OF.lot_tracked, 'ロット管理は 1 か 0 で入力してください。');
      const featured = parseFlagCell(cell('featured'));
      if (featured === null) addError(line, HEADER_OF.featured, 'おすすめは 1 か 0 で入力してください。');
      const taxText = cell('tax_rate').normalize('NFKC').trim().replace(/%$/, '');
      const product = productSchema.safeParse({
        code,
        name: cell('product_name'),
        brand_id: '',
        category_id: category?.id ?? '00000000-0000-4000-8000-000000000000',
        status: status ?? 'draft',
        tax_rate: taxText,
        restriction: restriction ?? 'none',
      });
      if (!product.success) {
        for (const issue of product.error.issues) {
          const key = String(issue.path[0]);
          const header = key === 'code' ? HEADER_OF.product_code : key === 'name' ? HEADER_OF.product_name : key === 'tax_rate' ? HEADER_OF.tax_rate : key;
          addError(line, header, issue.message);
        }
      }
      const description = sanitizeOnce(cell('description'));
      let descriptionHtml = '';
      if (!description.ok) addError(line, HEADER_OF.description, description.message);
      else if (description.removed.length) addError(line, HEADER_OF.description, `商品説明に使えないタグ・属性があります: ${description.removed.slice(0, 5).join('、')}`);
      else descriptionHtml = description.html;

      // Variant fields
      const shelfPresent = index.shelf_location !== undefined;
      const variant = variantSchema.safeParse({
        sku: cell('sku'),
        jan_code: cell('jan'),
        label: cell('label'),
        capacity: cell('capacity'),
        pack_size: cell('pack_size'),
        min_quantity: cell('min_quantity'),
        order_multiple: cell('order_multiple'),
        list_price_yen: cell('list_price'),
        shelf_location: shelfPresent ? cell('shelf_location') : undefined,
      });
      const variantHeaders: Record<string, string> = {
        sku: HEADER_OF.sku,
        jan_code: HEADER_OF.jan,
        label: HEADER_OF.label,
        capacity: HEADER_OF.capacity,
        pack_size: HEADER_OF.pack_size,
        min_quantity: HEADER_OF.min_quantity,
        order_multiple: HEADER_OF.order_multiple,
        list_price_yen: HEADER_OF.list_price,
        shelf_location: HEADER_OF.shelf_location,
      };
      if (!variant.success) for (const issue of variant.error.issues) addError(line, variantHeaders[String(issue.path[0])] ?? '', issue.message);

      const stockText = cell('stock').normalize('NFKC').trim().replace(/,/g, '');
      let stock: number | null = null;
      if (stockText !== '') {
        if (!/^-?\d+$/.test(stockText)) addError(line, HEADER_OF.stock, '在庫数は半角数字（整数）で入力してください。');
        else if (Number(stockText) < 0) addError(line, HEADER_OF.stock, '在庫数に負の数は使えません。');
        else if (Number(stockText) > 10_000_000) addError(line, HEADER_OF.stock, '在庫数が大きすぎます。');
        else stock = Number(stockText);
      }

      const rankPrices = new Map<string, RankPriceValue>();
      for (const column of rankColumns) {
        const parsed = parseRankPrice(unguardFormula(record[column.index] ?? ''));
        if (parsed.ok) rankPrices.set(column.rankId, parsed.value);
        else addError(line, column.header, parsed.message);
      }

      // Across rows and against the shop's catalog
      const sku = variant.success ? variant.data.sku : cell('sku').trim();
      if (sku) {
        const earlier = skuSeen.get(sku);
        if (earlier !== undefined) addError(line, HEADER_OF.sku, `SKU「${sku}」がファイル内で重複しています（${earlier}行目）。`);
        else skuSeen.set(sku, line);
      }
      const existingVariant = sku ? ctx.variants.get(sku) : undefined;
      if (existingVariant && code && existingVariant.product_code !== code) {
        addError(line, HEADER_OF.sku, `SKU「${sku}」は商品コード「${existingVariant.product_code}」の商品で使われています。`);
      }
      if (variant.success && variant.data.jan_code) {
        const jan = variant.data.jan_code;
        const inFile = janSeen.get(jan);
        const owner = ctx.janOwner.get(jan);
        if (inFile !== undefined && inFile !== sku) addError(line, HEADER_OF.jan, `JANコード「${jan}」がファイル内で重複しています（SKU ${inFile}）。`);
        else if (owner !== undefined && owner !== sku && !skuSeen.has(owner)) addError(line, HEADER_OF.jan, `JANコード「${jan}」は既にSKU ${owner} で使われています。`);
        janSeen.set(jan, sku);
      }
      if (stock !== null && existingVariant && stock < existingVariant.stock_reserved) {
        addError(line, HEADER_OF.stock, `在庫数を引当済み数（${existingVariant.stock_reserved}）より少なくはできません。`);
      }

      let productPlan: ProductPlan | null = null;
      if (product.success && category && brandId !== undefined && status && restriction && lotTracked !== null && featured !== null && description.ok) {
        const existing = ctx.productByCode.get(code) ?? null;
        productPlan = {
          code,
          existingId: existing?.id ?? null,
          changed: false,
          name: product.data.name,
          brandId,
          categoryId: category.id,
          status,
          taxRate: product.data.tax_rate,
          restriction,
          lotTracked,
          featured,
          descriptionHtml,
        };
        productPlan.changed =
          !existing ||
          existing.name !== productPlan.name ||
          existing.brand_id !== productPlan.brandId ||
          existing.category_id !== productPlan.categoryId ||
          existing.status !== productPlan.status ||
          Number(existing.tax_rate) !== productPlan.taxRate ||
          existing.restriction !== productPlan.restriction ||
          existing.lot_tracked !== productPlan.lotTracked ||
          existing.featured !== productPlan.featured ||
          existing.description_html !== productPlan.descriptionHtml;
      }
      if (code) {
        const signature = productPlan
          ? JSON.stringify([productPlan.name, productPlan.brandId, productPlan.categoryId, productPlan.status, productPlan.taxRate, productPlan.restriction, productPlan.lotTracked, productPlan.featured, productPlan.descriptionHtml])
          : '';
        const seen = productSeen.get(code);
        if (!seen) productSeen.set(code, { line, signature, plan: productPlan, hasValidRow: false });
        else if (productPlan && seen.plan && seen.signature !== signature) {
          addError(line, HEADER_OF.product_code, `商品コード「${code}」の商品情報（商品名・カテゴリ・説明など）が${seen.line}行目と異なります。同じ商品の行はそろえてください。`);
        }
      }

      if (result.errorCount > errorsBefore || !variant.success || !productPlan) continue;
      const v = variant.data;
      const changed =
        !existingVariant ||
        existingVariant.jan_code !== v.jan_code ||
        existingVariant.label !== v.label ||
        existingVariant.capacity !== v.capacity ||
        existingVariant.pack_size !== v.pack_size ||
        existingVariant.min_quantity !== v.min_quantity ||
        existingVariant.order_multiple !== v.order_multiple ||
        existingVariant.list_price_yen !== v.list_price_yen ||
        (shelfPresent && existingVariant.shelf_location !== v.shelf_location) ||
        (stock !== null && existingVariant.stock_on_hand !== stock) ||
        [...rankPrices].some(([rankId, value]) => !sameRankPrice(existingVariant.prices.get(rankId), value));
      const seenProduct = productSeen.get(code);
      if (seenProduct) seenProduct.hasValidRow = true;
      if (!existingVariant) result.variants.created++;
      else if (changed) result.variants.changed++;
      else result.variants.unchanged++;
      if (options.keepRows) {
        variantPlans.push({
          line,
          productCode: code,
          existingId: existingVariant?.id ?? null,
          changed,
          sku: v.sku,
          janCode: v.jan_code,
          label: v.label,
          capacity: v.capacity,
          packSize: v.pack_size,
          minQuantity: v.min_quantity,
          orderMultiple: v.order_multiple,
          listPriceYen: v.list_price_yen,
          shelfLocation: shelfPresent ? v.shelf_location : null,
          stock,
          stockDelta: stock === null ? 0 : stock - (existingVariant?.stock_on_hand ?? 0),
          rankPrices,
        });
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    result.fileErrors.push(`CSV として読み込めませんでした（${line + 1}行目付近: ${message.slice(0, 120)}）。`);
    return result;
  }
  if (line === 0) result.fileErrors.push('見出し行がありません。');
  else if (result.rows === 0) result.fileErrors.push('データ行がありません。');

  for (const seen of productSeen.values()) {
    if (!seen.plan || !seen.hasValidRow) continue;
    if (!seen.plan.existingId) result.products.created++;
    else if (seen.plan.changed) result.products.changed++;
    else result.products.unchanged++;
    if (options.keepRows) productPlans.push(seen.plan);
  }
  if (options.keepRows) result.plan = { products: productPlans, variants: variantPlans };
  return result;
}
