import type { Tx } from '../../platform/db/tenant-scope.ts';
import { formatRankPrice } from '../catalog/catalog.schemas.ts';
import { encodeCp932, unrepresentableInCp932 } from '../shipping/carrier-csv/cp932.ts';
import { CATALOG_COLUMNS, guardFormula, RANK_COLUMN_PREFIX } from './catalog-csv.columns.ts';

/**
 * The shop's catalog as CSV, one row per variant, in the layout the import reads. UTF-8 comes with
 * a BOM (so Excel opens it as UTF-8); CP932 is written as Excel writes it (CRLF, no BOM). A
 * character CP932 cannot carry (𠮷, emoji) is never replaced silently: the CP932 export is refused
 * with the rows and characters listed, and the editor fixes them or exports UTF-8.
 */

export type ExportEncoding = 'utf-8' | 'cp932';

export interface ExportProblem {
  line: number;
  sku: string;
  column: string;
  characters: string[];
}

export type CatalogExport = { ok: true; body: Buffer; rows: number; fileName: string } | { ok: false; problems: ExportProblem[]; problemCount: number; rows: number };

export async function catalogCsvTable(tx: Tx): Promise<{ header: string[]; rows: { sku: string; cells: string[] }[] }> {
  const ranks = await tx.selectFrom('shop_price_ranks').select(['id', 'code']).orderBy('sort_order').orderBy('code').execute();
  const variants = await tx
    .selectFrom('product_variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .leftJoin('brands as b', 'b.id', 'p.brand_id')
    .select([
      'v.id',
      'p.code',
      'p.name',
      'b.slug as brand_slug',
      'c.slug as category_slug',
      'p.status',
      'p.tax_rate',
      'p.restriction',
      'p.lot_tracked',
      'p.featured',
      'p.description_html',
      'v.sku',
      'v.jan_code',
      'v.label',
      'v.capacity',
      'v.pack_size',
      'v.min_quantity',
      'v.order_multiple',
      'v.list_price_yen',
      'v.stock_on_hand',
      'v.shelf_location',
    ])
    .orderBy('p.code')
    .orderBy('v.sort_order')
    .orderBy('v.sku')
    .execute();
  const prices = await tx.selectFrom('variant_rank_prices').select(['variant_id', 'rank_id', 'price_yen', 'rate']).execute();
  const priceOf = new Map(prices.map((p) => [`${p.variant_id}:${p.rank_id}`, p]));
  const header = [...CATALOG_COLUMNS.map((c) => c.header), ...ranks.map((r) => `${RANK_COLUMN_PREFIX}${r.code}`)];
  const rows = variants.map((v) => ({
    sku: v.sku,
    cells: [
      v.code,
      guardFormula(v.name),
      v.brand_slug ?? '',
      v.category_slug,
      v.status,
      String(v.tax_rate),
      v.restriction,
      v.lot_tracked ? '1' : '0',
      v.featured ? '1' : '0',
      guardFormula(v.description_html),
      v.sku,
      v.jan_code ?? '',
      guardFormula(v.label),
      guardFormula(v.capacity),
      String(v.pack_size),
      String(v.min_quantity),
      String(v.order_multiple),
      String(v.list_price_yen),
      String(v.stock_on_hand),
      v.shelf_location,
      ...ranks.map((r) => formatRankPrice(priceOf.get(`${v.id}:${r.id}`))),
    ],
  }));
  return { header, rows };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvText(header: string[], rows: string[][]): string {
  return [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const MAX_PROBLEMS_SHOWN = 200;

export async function exportCatalogCsv(tx: Tx, encoding: ExportEncoding, now = new Date()): Promise<CatalogExport> {
  const { header, rows } = await catalogCsvTable(tx);
  const stamp = now.toISOString().slice(0, 10).replace(/-/g, '');
  if (encoding === 'cp932') {
    const problems: ExportProblem[] = [];
    let problemCount = 0;
    rows.forEach((row, i) => {
      row.cells.forEach((value, c) => {
        const bad = unrepresentableInCp932(value);
        if (bad.length === 0) return;
        problemCount++;
        if (problems.length < MAX_PROBLEMS_SHOWN) problems.push({ line: i + 2, sku: row.sku, column: header[c]!, characters: bad });
      });
    });
    if (problemCount > 0) return { ok: false, problems, problemCount, rows: rows.length };
    const text = csvText(
      header,
      rows.map((r) => r.cells),
    );
    return { ok: true, body: encodeCp932(text), rows: rows.length, fileName: `catalog-${stamp}-sjis.csv` };
  }
  const text = csvText(
    header,
    rows.map((r) => r.cells),
  );
  return { ok: true, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), rows: rows.length, fileName: `catalog-${stamp}-utf8.csv` };
}
