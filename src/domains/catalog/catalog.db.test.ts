import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { normalizeForSearch } from '../search/search-normalize.ts';
import { DomainError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { getProductDetail, getVariantStock, listProducts, listStock } from './catalog.read.ts';
import { type ShopFixture, shopFixture, TEST_ACTOR } from './catalog-fixtures.testing.ts';
import { janCheckDigit } from './jan-code.ts';
import { saveProduct } from './product.service.ts';
import { adjustStock } from './stock.service.ts';
import { saveCategory } from './taxonomy.service.ts';
import { saveVariant } from './variant.service.ts';
import { addSalePrice, setRankPrices, setVolumeTiers } from './variant-prices.service.ts';

let database: Database;
let shop: ShopFixture;
let other: ShopFixture;
const actor = TEST_ACTOR('00000000-0000-4000-8000-000000000001');
const jan = (body: string) => body + janCheckDigit(body);

beforeAll(async () => {
  database = await createTestDatabase();
  shop = await shopFixture(database, 'kaoru-haircare');
  other = await shopFixture(database, 'ayame-color');
});
afterAll(async () => database?.close());

const productInput = (over: Record<string, string> = {}) => ({
  code: 'AQS-001',
  name: 'アクア モイスト シャンプー',
  brand_id: shop.brandId,
  category_id: shop.categoryId,
  status: 'active',
  tax_rate: '10',
  restriction: 'none',
  description_html: '<p>うるおい</p>',
  ...over,
});

async function caught(fn: () => Promise<unknown>): Promise<DomainError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a domain error');
}

describe('products and variants', () => {
  it('stores a sanitised description and reports what was removed', async () => {
    const saved = await withTenant(database, shop.tenantId, (tx) =>
      saveProduct(tx, actor, null, productInput({ code: 'XSS-1', description_html: '<p onclick="alert(1)">説明</p><script>alert(1)</script><img src="https://evil.example/x.png"><svg onload=alert(1)>' })),
    );
    expect(saved.removed).toEqual(expect.arrayContaining(['p[onclick]', 'script', 'svg']));
    const stored = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('products').select('description_html').where('id', '=', saved.id).executeTakeFirstOrThrow());
    expect(stored.description_html).toBe('<p>説明</p>');
    const audit = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('audit_log').select(['action', 'resource_id']).where('resource_id', '=', saved.id).execute());
    expect(audit.map((a) => a.action)).toEqual(['catalog.product.create']);
  });

  it('keeps search_text = normalised name, brand, code, SKUs and JANs', async () => {
    const { id } = await withTenant(database, shop.tenantId, (tx) => saveProduct(tx, actor, null, productInput({ code: 'AQS-010', name: 'ｱｸｱ ﾓｲｽﾄ ＳＨＡＭＰＯＯ' })));
    const janCode = jan('490000000010');
    await withTenant(database, shop.tenantId, (tx) => saveVariant(tx, actor, id, null, { sku: 'AQS-010-1000', jan_code: janCode, capacity: '1000ml', list_price_yen: '2400' }));
    const row = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('products').select('search_text').where('id', '=', id).executeTakeFirstOrThrow());
    expect(row.search_text).toContain(normalizeForSearch('アクア モイスト shampoo'));
    expect(row.search_text).toContain('あくあさろん');
    expect(row.search_text).toContain('aqs010');
    expect(row.search_text).toContain('aqs0101000');
    expect(row.search_text).toContain(janCode);
    const found = await withTenant(database, shop.tenantId, (tx) => listProducts(tx, { q: 'あくあ もいすと' }));
    expect(found.items.map((i) => i.code)).toContain('AQS-010');
  });

  it('refuses a wrong JAN check digit, a duplicate JAN, and a minimum not a multiple of the order multiple', async () => {
    const { id } = await withTenant(database, shop.tenantId, (tx) => saveProduct(tx, actor, null, productInput({ code: 'AQS-020' })));
    const good = jan('490000000020');
    const bad = good.slice(0, 12) + ((Number(good[12]) + 1) % 10);
    const e1 = await caught(() => withTenant(database, shop.tenantId, (tx) => saveVariant(tx, actor, id, null, { sku: 'AQS-020-A', jan_code: bad, list_price_yen: '100' })));
    expect(e1.fieldErrors.jan_code).toContain('チェックデジット');
    await withTenant(database, shop.tenantId, (tx) => saveVariant(tx, actor, id, null, { sku: 'AQS-020-A', jan_code: good, list_price_yen: '100' }));
    const e2 = await caught(() => withTenant(database, shop.tenantId, (tx) => saveVariant(tx, actor, id, null, { sku: 'AQS-020-B', jan_code: good, list_price_yen: '100' })));
    expect(e2.fieldErrors.jan_code).toContain('既に');
    const e3 = await caught(() =>
      withTenant(database, shop.tenantId, (tx) => saveVariant(tx, actor, id, null, { sku: 'AQS-020-C', list_price_yen: '100', min_quantity: '5', order_multiple: '3' })),
    );
    expect(e3.fieldErrors.min_quantity).toContain('倍数');
    const e4 = await caught(() => withTenant(database, shop.tenantId, (tx) => saveVariant(tx, actor, id, null, { sku: 'AQS-020-D', list_price_yen: '-5' })));
    expect(e4.fieldErrors.list_price_yen).toContain('負の数');
    // The same JAN is free in another shop.
    const otherProduct = await withTenant(database, other.tenantId, (tx) =>
      saveProduct(tx, actor, null, { ...productInput({ code: 'AQS-020' }), brand_id: other.brandId, category_id: other.categoryId }),
    );
    await withTenant(database, other.tenantId, (tx) => saveVariant(tx, actor, otherProduct.id, null, { sku: 'AQS-020-A', jan_code: good, list_price_yen: '100' }));
  });

  it('keeps categories to two levels', async () => {
    const e = await caught(() => withTenant(database, shop.tenantId, (tx) => saveCategory(tx, actor, null, { slug: 'deep', name: '深すぎ', parent_id: shop.categoryId })));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.fieldErrors.parent_id).toContain('2階層');
  });

  it("hides another shop's product", async () => {
    const { id } = await withTenant(database, other.tenantId, (tx) =>
      saveProduct(tx, actor, null, { ...productInput({ code: 'OTHER-1' }), brand_id: other.brandId, category_id: other.categoryId }),
    );
    await expect(withTenant(database, shop.tenantId, (tx) => getProductDetail(tx, id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(withTenant(database, shop.tenantId, (tx) => saveProduct(tx, actor, id, productInput({ code: 'OTHER-1' })))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('stock and prices', () => {
  let variantId: string;
  beforeAll(async () => {
    const { id } = await withTenant(database, shop.tenantId, (tx) => saveProduct(tx, actor, null, productInput({ code: 'STK-1' })));
    variantId = (await withTenant(database, shop.tenantId, (tx) => saveVariant(tx, actor, id, null, { sku: 'STK-1-A', list_price_yen: '1000' }))).id;
  });

  it('records adjustments with reason, note and actor, and never goes below reserved', async () => {
    await withTenant(database, shop.tenantId, (tx) => adjustStock(tx, actor, variantId, { delta: '24', reason: 'receipt', note: '入荷 5/1' }));
    await withTenant(database, shop.tenantId, (tx) => tx.updateTable('product_variants').set({ stock_reserved: 20 }).where('id', '=', variantId).execute());
    const e = await caught(() => withTenant(database, shop.tenantId, (tx) => adjustStock(tx, actor, variantId, { delta: '-5', reason: 'damage' })));
    expect(e.fieldErrors.delta).toContain('引当');
    await withTenant(database, shop.tenantId, (tx) => adjustStock(tx, actor, variantId, { delta: '-4', reason: 'damage', note: '破損' }));
    const { variant, history } = await withTenant(database, shop.tenantId, (tx) => getVariantStock(tx, variantId));
    expect(variant.stock_on_hand).toBe(20);
    expect(variant.available).toBe(0);
    expect(history.map((h) => [h.delta, h.reason, h.note])).toEqual([
      [-4, 'damage', '破損'],
      [24, 'receipt', '入荷 5/1'],
    ]);
    const out = await withTenant(database, shop.tenantId, (tx) => listStock(tx, { level: 'out' }));
    expect(out.items.map((i) => i.sku)).toContain('STK-1-A');
  });

  it('stores rank prices as yen or rate, volume tiers and sale windows', async () => {
    const [gold, standard] = shop.ranks;
    await withTenant(database, shop.tenantId, (tx) => setRankPrices(tx, actor, variantId, { [gold!.id]: '650', [standard!.id]: '77.5%' }));
    await withTenant(database, shop.tenantId, (tx) => setVolumeTiers(tx, actor, variantId, [{ min_quantity: '12', discount_percent: '5' }]));
    await withTenant(database, shop.tenantId, (tx) => addSalePrice(tx, actor, variantId, { price_yen: '800', starts_at: '2030-01-01T00:00', ends_at: '2030-01-31T23:59' }));
    const e = await caught(() => withTenant(database, shop.tenantId, (tx) => setRankPrices(tx, actor, variantId, { [gold!.id]: '-1' })));
    expect(Object.values(e.fieldErrors)[0]).toContain('負の数');
    const detail = await withTenant(database, shop.tenantId, async (tx) => {
      const v = await tx.selectFrom('product_variants').select('product_id').where('id', '=', variantId).executeTakeFirstOrThrow();
      return getProductDetail(tx, v.product_id);
    });
    const v = detail.variants[0]!;
    expect(v.rankPrices.find((p) => p.rank_id === gold!.id)?.price_yen).toBe(650);
    expect(Number(v.rankPrices.find((p) => p.rank_id === standard!.id)?.rate)).toBe(0.775);
    expect(v.tiers.map((t) => [t.min_quantity, Number(t.discount_rate)])).toEqual([[12, 0.05]]);
    expect(v.sales[0]?.price_yen).toBe(800);
    expect(new Date(v.sales[0]!.starts_at).toISOString()).toBe('2029-12-31T15:00:00.000Z');
  });
});
