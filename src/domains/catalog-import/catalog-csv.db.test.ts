import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { type ShopFixture, shopFixture, TEST_ACTOR } from '../catalog/catalog-fixtures.testing.ts';
import { janCheckDigit } from '../catalog/jan-code.ts';
import { saveProduct } from '../catalog/product.service.ts';
import { adjustStock } from '../catalog/stock.service.ts';
import { saveVariant } from '../catalog/variant.service.ts';
import { setRankPrices } from '../catalog/variant-prices.service.ts';
import { encodeCp932 } from '../shipping/carrier-csv/cp932.ts';
import { analyzeCatalogCsv, MAX_ERRORS_SHOWN } from './catalog-csv.analyze.ts';
import { commitCatalogCsv } from './catalog-csv.commit.ts';
import { exportCatalogCsv } from './catalog-csv.export.ts';

let database: Database;
let shop: ShopFixture;
let dir: string;
const actor = TEST_ACTOR('00000000-0000-4000-8000-000000000002');
const jan = (n: number) => {
  const body = `49${String(n).padStart(10, '0')}`;
  return body + janCheckDigit(body);
};

beforeAll(async () => {
  database = await createTestDatabase();
  shop = await shopFixture(database, 'kaoru-haircare');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-csv-'));
  await withTenant(database, shop.tenantId, async (tx) => {
    const product = (code: string, name: string, description: string) =>
      saveProduct(tx, actor, null, {
        code,
        name,
        brand_id: shop.brandId,
        category_id: shop.categoryId,
        status: 'active',
        tax_rate: '10',
        restriction: 'professional',
        lot_tracked: 'on',
        description_html: description,
      });
    const a = await product('RT-1', 'モイスト シャンプー「ローズ」', '<p>髪に、うるおい。"サロン専売"</p>\n<ul><li>1,000ml</li></ul>');
    const b = await product('RT-2', '=ヘアカラー 2剤 6%', '<p>過酸化水素 ６％</p>');
    const v1 = await saveVariant(tx, actor, a.id, null, { sku: 'RT-1-500', jan_code: jan(1), label: '500ml ボトル', capacity: '500ml', list_price_yen: '1800', shelf_location: 'ａ-03-2' });
    await saveVariant(tx, actor, a.id, null, { sku: 'RT-1-1000', jan_code: jan(2), label: '1000ml 詰替', capacity: '1000ml', pack_size: '6', min_quantity: '6', order_multiple: '6', list_price_yen: '2900' });
    await saveVariant(tx, actor, b.id, null, { sku: 'RT-2-1000', jan_code: '', capacity: '1000ml', list_price_yen: '980' });
    await setRankPrices(tx, actor, v1.id, { [shop.ranks[0]!.id]: '1200', [shop.ranks[1]!.id]: '77.5%' });
    await adjustStock(tx, actor, v1.id, { delta: '36', reason: 'receipt' });
  });
});
afterAll(async () => {
  await database?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, body: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

async function counts() {
  return withTenant(database, shop.tenantId, async (tx) => ({
    products: Number((await tx.selectFrom('products').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    variants: Number((await tx.selectFrom('product_variants').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    adjustments: Number((await tx.selectFrom('stock_adjustments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  }));
}

async function exportText(): Promise<string> {
  const out = await withTenant(database, shop.tenantId, (tx) => exportCatalogCsv(tx, 'utf-8'));
  if (!out.ok) throw new Error('export failed');
  return out.body.subarray(3).toString('utf8');
}

describe('catalog CSV round trip', () => {
  it.each(['utf-8', 'cp932'] as const)('export in %s, import it back: nothing changes', async (encoding) => {
    const out = await withTenant(database, shop.tenantId, (tx) => exportCatalogCsv(tx, encoding));
    if (!out.ok) throw new Error('export refused');
    if (encoding === 'utf-8') expect([...out.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    else {
      expect(out.body.includes(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(out.body)).toThrow();
    }
    const text = encoding === 'utf-8' ? out.body.toString('utf8') : new TextDecoder('shift_jis').decode(out.body);
    expect(text.split('\r\n').length).toBe(out.rows + 2);
    expect(text).toContain("'=ヘアカラー");
    const file = writeFile(`round-${encoding}.csv`, out.body);
    const before = await counts();
    const analysis = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, file));
    expect(analysis.fileErrors).toEqual([]);
    expect(analysis.errors).toEqual([]);
    expect(analysis.encoding).toBe(encoding);
    expect(analysis.products).toEqual({ created: 0, changed: 0, unchanged: 2 });
    expect(analysis.variants).toEqual({ created: 0, changed: 0, unchanged: 3 });
    const committed = await withTenant(database, shop.tenantId, (tx) => commitCatalogCsv(tx, actor, file, 'round.csv'));
    expect(committed.ok).toBe(true);
    expect(await counts()).toEqual(before);
    expect(await exportText()).toBe((await withTenant(database, shop.tenantId, (tx) => exportCatalogCsv(tx, 'utf-8'))).ok && (await exportText()));
  });

  it('refuses a CP932 export with 𠮷 and lists the row instead of replacing it', async () => {
    const { id } = await withTenant(database, shop.tenantId, (tx) =>
      saveProduct(tx, actor, null, { code: 'YOSHI-1', name: '𠮷田さんのコーム', category_id: shop.categoryId, status: 'draft', tax_rate: '10', restriction: 'none' }),
    );
    await withTenant(database, shop.tenantId, (tx) => saveVariant(tx, actor, id, null, { sku: 'YOSHI-1-A', list_price_yen: '500' }));
    const out = await withTenant(database, shop.tenantId, (tx) => exportCatalogCsv(tx, 'cp932'));
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.problems).toEqual([{ line: 5, sku: 'YOSHI-1-A', column: '商品名', characters: ['𠮷'] }]);
    const utf8 = await withTenant(database, shop.tenantId, (tx) => exportCatalogCsv(tx, 'utf-8'));
    expect(utf8.ok && utf8.body.toString('utf8')).toContain('𠮷田さんのコーム');
    await withTenant(database, shop.tenantId, (tx) => saveProduct(tx, actor, id, { code: 'YOSHI-1', name: '吉田さんのコーム', category_id: shop.categoryId, status: 'draft', tax_rate: '10', restriction: 'none' }));
  });

  it('imports new and changed rows in one go, recording stock changes', async () => {
    const lines = (await exportText()).trimEnd().split('\r\n');
    const changed = lines.map((l) => l.replace(',1800,36,', ',1900,40,'));
    changed.push(['NEW-1', '新商品 トリートメント', 'aqua-salon', 'shampoo', 'active', '8', 'none', '0', '1', '<p>新しい</p>', 'NEW-1-200', jan(77), '', '200g', '1', '1', '1', '1500', '12', 'b-01', '900', '80%'].join(','));
    const file = writeFile('changes.csv', `${changed.join('\r\n')}\r\n`);
    const analysis = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, file));
    expect(analysis.errors).toEqual([]);
    expect(analysis.products).toMatchObject({ created: 1, changed: 0 });
    expect(analysis.variants).toMatchObject({ created: 1, changed: 1 });
    const result = await withTenant(database, shop.tenantId, (tx) => commitCatalogCsv(tx, actor, file, 'changes.csv'));
    expect(result.ok).toBe(true);
    const rows = await withTenant(database, shop.tenantId, (tx) =>
      tx
        .selectFrom('product_variants as v')
        .innerJoin('products as p', 'p.id', 'v.product_id')
        .select(['v.sku', 'v.list_price_yen', 'v.stock_on_hand', 'p.tax_rate', 'p.search_text', 'v.shelf_location'])
        .where('v.sku', 'in', ['RT-1-500', 'NEW-1-200'])
        .orderBy('v.sku')
        .execute(),
    );
    expect(rows.map((r) => [r.sku, r.list_price_yen, r.stock_on_hand, Number(r.tax_rate)])).toEqual([
      ['NEW-1-200', 1500, 12, 8],
      ['RT-1-500', 1900, 40, 10],
    ]);
    expect(rows[0]!.search_text).toContain('とりーとめんと');
    // 棚番 as typed (upper-cased), and kept by a row that repeats it.
    expect(rows.map((r) => r.shelf_location)).toEqual(['B-01', 'A-03-2']);
    const history = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('stock_adjustments').select(['delta', 'reason']).where('reason', '=', 'import').orderBy('delta').execute());
    expect(history).toEqual([
      { delta: 4, reason: 'import' },
      { delta: 12, reason: 'import' },
    ]);
  });
});

describe('棚番 (shelf location) column', () => {
  it('is optional: a file without it leaves shelves alone; with it, shelves change; a bad one is a row error', async () => {
    const lines = (await exportText()).trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    const at = header.indexOf('棚番');
    expect(at).toBeGreaterThan(0);
    // Cells after 棚番 are plain, so count from the right (the description may hold quoted commas).
    const fromEnd = header.length - at;
    const cells = (l: string) => l.split(',');
    const shelfIndex = (l: string) => cells(l).length - fromEnd;
    const setShelf = (l: string, value: string) => cells(l).map((c, j) => (j === shelfIndex(l) ? value : c)).join(',');
    const without = lines.map((l) => cells(l).filter((_, j) => j !== shelfIndex(l)).join(','));
    const noColumn = writeFile('no-shelf.csv', `${without.join('\r\n')}\r\n`);
    const unchanged = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, noColumn));
    expect(unchanged.errors).toEqual([]);
    expect(unchanged.variants.changed).toBe(0);

    const moved = lines.map((l, i) => (i === 0 || !l.includes('RT-1-500') ? l : setShelf(l, 'C-10-1')));
    const file = writeFile('shelf.csv', `${moved.join('\r\n')}\r\n`);
    const analysis = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, file));
    expect(analysis.variants.changed).toBe(1);
    expect((await withTenant(database, shop.tenantId, (tx) => commitCatalogCsv(tx, actor, file, 'shelf.csv'))).ok).toBe(true);
    const row = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('product_variants').select('shelf_location').where('sku', '=', 'RT-1-500').executeTakeFirstOrThrow());
    expect(row.shelf_location).toBe('C-10-1');

    const bad = lines.map((l, i) => (i === 0 || !l.includes('RT-1-500') ? l : setShelf(l, '棚 1')));
    const badFile = writeFile('bad-shelf.csv', `${bad.join('\r\n')}\r\n`);
    const refused = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, badFile));
    expect(refused.errors).toEqual([expect.objectContaining({ column: '棚番', message: expect.stringContaining('棚番は半角英数字') })]);
  });
});

describe('catalog CSV errors: per row, and nothing imported', () => {
  const validNewRow = (over: Partial<Record<number, string>> = {}) => {
    const cells = ['ERR-1', 'エラー確認用', 'aqua-salon', 'shampoo', 'active', '10', 'none', '0', '0', '<p>説明</p>', 'ERR-1-A', jan(500), '', '100ml', '1', '1', '1', '1000', '5', '', '', ''];
    for (const [i, v] of Object.entries(over)) cells[Number(i)] = v!;
    return cells.join(',');
  };
  async function header(): Promise<string> {
    return (await exportText()).split('\r\n')[0]!;
  }
  const badJan = jan(501).slice(0, 12) + ((Number(jan(501)[12]) + 3) % 10);

  const cases: [string, () => Promise<string | Buffer>, string, RegExp][] = [
    ['wrong JAN check digit', async () => `${await header()}\r\n${validNewRow({ 11: badJan })}\r\n`, 'JANコード', /チェックデジット/],
    ['unknown category', async () => `${await header()}\r\n${validNewRow({ 3: 'no-such-category' })}\r\n`, 'カテゴリコード', /ありません/],
    ['negative price', async () => `${await header()}\r\n${validNewRow({ 17: '-100' })}\r\n`, '定価', /負の数/],
    ['non-numeric price', async () => `${await header()}\r\n${validNewRow({ 17: '千円' })}\r\n`, '定価', /半角数字/],
    ['negative rank price', async () => `${await header()}\r\n${validNewRow({ 20: '-5' })}\r\n`, 'ランク価格:gold', /負の数/],
    [
      'duplicate SKU in the file',
      async () => `${await header()}\r\n${validNewRow()}\r\n${validNewRow({ 11: jan(502) })}\r\n`,
      'SKU',
      /重複/,
    ],
    ['invalid description', async () => `${await header()}\r\n${validNewRow({ 9: '<p>ok</p><script>alert(1)</script>' })}\r\n`, '商品説明', /script/],
    [
      'wrong encoding (bytes neither UTF-8 nor CP932)',
      async () => Buffer.concat([Buffer.from(`${await header()}\r\n`, 'utf8'), Buffer.from(validNewRow({ 1: 'X' }).replace('X', '\u0001'), 'utf8').map((b) => (b === 1 ? 0xa0 : b))]),
      '',
      /文字化け/,
    ],
    ['minimum not a multiple', async () => `${await header()}\r\n${validNewRow({ 15: '5', 16: '3' })}\r\n`, '最小注文数', /倍数/],
  ];

  it.each(cases)('%s', async (_name, build, column, message) => {
    const before = await counts();
    const file = writeFile('bad.csv', await build());
    const analysis = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, file));
    expect(analysis.fileErrors).toEqual([]);
    expect(analysis.errorCount).toBeGreaterThan(0);
    const error = analysis.errors.find((e) => e.column === column);
    expect(error, JSON.stringify(analysis.errors)).toBeDefined();
    expect(error!.message).toMatch(message);
    expect(error!.line).toBeGreaterThanOrEqual(2);
    // A valid row in the same file is not imported either.
    const withGood = writeFile('bad-and-good.csv', Buffer.concat([Buffer.from(await build()), Buffer.from(`${validNewRow({ 0: 'GOOD-1', 10: 'GOOD-1-A', 11: jan(600) })}\r\n`)]));
    const result = await withTenant(database, shop.tenantId, (tx) => commitCatalogCsv(tx, actor, withGood, 'bad.csv'));
    expect(result.ok).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('missing columns → a file error, nothing imported', async () => {
    const before = await counts();
    const cols = (await header()).split(',');
    const drop = cols.indexOf('JANコード');
    const row = validNewRow().split(',');
    const file = writeFile('missing.csv', `${cols.filter((_, i) => i !== drop).join(',')}\r\n${row.filter((_, i) => i !== drop).join(',')}\r\n`);
    const analysis = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, file));
    expect(analysis.fileErrors.join()).toContain('JANコード');
    expect((await withTenant(database, shop.tenantId, (tx) => commitCatalogCsv(tx, actor, file, 'missing.csv'))).ok).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('UTF-16 → refused as a file', async () => {
    const file = writeFile('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(await header(), 'utf16le')]));
    const analysis = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, file));
    expect(analysis.fileErrors[0]).toContain('文字コード');
  });

  it('reads a CP932 file as Excel writes it', async () => {
    const file = writeFile('sjis.csv', encodeCp932(`${await header()}\r\n${validNewRow({ 1: '髙島屋①限定 ｶﾗｰ' })}\r\n`));
    const analysis = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, file));
    expect(analysis.encoding).toBe('cp932');
    expect(analysis.errors).toEqual([]);
    expect(analysis.products.created).toBe(1);
  });

  it('100k rows → preview with errors in seconds, nothing imported', async () => {
    const before = await counts();
    const file = path.join(dir, 'big.csv');
    const out = fs.createWriteStream(file);
    out.write(`\ufeff${await header()}\r\n`);
    for (let i = 0; i < 100_000; i++) {
      const bad = i % 100 === 99;
      out.write(`${validNewRow({ 0: `BIG-${i}`, 1: `大量商品 ${i}`, 10: `BIG-${i}-A`, 11: bad ? badJan : jan(10_000 + i), 17: String(1000 + (i % 500)) })}\r\n`);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const started = Date.now();
    const analysis = await withTenant(database, shop.tenantId, (tx) => analyzeCatalogCsv(tx, file));
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(60);
    expect(analysis.rows).toBe(100_000);
    expect(analysis.errorCount).toBe(1000);
    expect(analysis.errors.length).toBe(MAX_ERRORS_SHOWN);
    expect(analysis.errors[0]).toMatchObject({ line: 101, column: 'JANコード' });
    expect(analysis.products.created).toBe(99_000);
    const result = await withTenant(database, shop.tenantId, (tx) => commitCatalogCsv(tx, actor, file, 'big.csv'));
    expect(result.ok).toBe(false);
    expect(await counts()).toEqual(before);
  }, 180_000);
});
