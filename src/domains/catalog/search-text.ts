import type { Tx } from '../../platform/db/tenant-scope.ts';
import { normalizeForSearch } from '../search/search-normalize.ts';

/**
 * products.search_text: what the storefront's trigram search looks in — the product's name, brand
 * (name and kana), code, and every variant's SKU and JAN, all through normalizeForSearch. Rebuilt
 * after every write that touches one of them.
 */
export function buildSearchText(parts: { name: string; code: string; brandName?: string | null; brandKana?: string | null; skus: string[]; jans: (string | null)[] }): string {
  const words = [parts.name, parts.brandName ?? '', parts.brandKana ?? '', parts.code, ...parts.skus, ...parts.jans.filter((j): j is string => Boolean(j))];
  return normalizeForSearch(words.join(' '));
}

export async function refreshSearchText(tx: Tx, productIds: readonly string[]): Promise<void> {
  const ids = [...new Set(productIds)];
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const products = await tx
      .selectFrom('products as p')
      .leftJoin('brands as b', 'b.id', 'p.brand_id')
      .select(['p.id', 'p.name', 'p.code', 'p.search_text', 'b.name as brand_name', 'b.name_kana as brand_kana'])
      .where('p.id', 'in', chunk)
      .execute();
    const variants = await tx.selectFrom('product_variants').select(['product_id', 'sku', 'jan_code']).where('product_id', 'in', chunk).orderBy('sort_order').orderBy('sku').execute();
    for (const p of products) {
      const own = variants.filter((v) => v.product_id === p.id);
      const text = buildSearchText({ name: p.name, code: p.code, brandName: p.brand_name, brandKana: p.brand_kana, skus: own.map((v) => v.sku), jans: own.map((v) => v.jan_code) });
      if (text !== p.search_text) await tx.updateTable('products').set({ search_text: text }).where('id', '=', p.id).execute();
    }
  }
}
