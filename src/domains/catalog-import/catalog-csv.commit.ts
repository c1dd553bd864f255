import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { auditCatalog, type CatalogActor } from '../catalog/catalog-actor.ts';
import { currentTenant } from '../catalog/current-tenant.ts';
import { refreshSearchText } from '../catalog/search-text.ts';
import { applyStockChange } from '../catalog/stock.service.ts';
import { writeRankPrice } from '../catalog/variant-prices.service.ts';
import { analyzeCatalogCsv, type CatalogCsvAnalysis } from './catalog-csv.analyze.ts';

/**
 * Applies a catalog CSV, all or nothing, inside the caller's transaction: the file is validated
 * again against the catalog as it is now (the preview may be stale), and any error means nothing is
 * written. Variants missing from the file are left as they are (the import never deletes).
 */

export type CommitResult = { ok: true; analysis: CatalogCsvAnalysis } | { ok: false; analysis: CatalogCsvAnalysis };

export async function commitCatalogCsv(tx: Tx, actor: CatalogActor, filePath: string, fileName: string): Promise<CommitResult> {
  const analysis = await analyzeCatalogCsv(tx, filePath, { keepRows: true });
  if (analysis.fileErrors.length || analysis.errorCount > 0 || !analysis.plan) {
    await auditCatalog(tx, actor, 'catalog.import.rejected', { type: 'catalog_import', id: fileName }, { errorCount: analysis.errorCount, fileErrors: analysis.fileErrors });
    return { ok: false, analysis };
  }
  const productIds = new Map<string, string>();
  const touched = new Set<string>();
  for (const p of analysis.plan.products) {
    const values = {
      name: p.name,
      brand_id: p.brandId,
      category_id: p.categoryId,
      status: p.status,
      tax_rate: p.taxRate,
      restriction: p.restriction,
      lot_tracked: p.lotTracked,
      featured: p.featured,
      description_html: p.descriptionHtml,
    };
    if (p.existingId) {
      productIds.set(p.code, p.existingId);
      if (p.changed) {
        await tx
          .updateTable('products')
          .set({ ...values, published_at: p.status === 'active' ? sql`coalesce(published_at, now())` : sql`published_at` })
          .where('id', '=', p.existingId)
          .execute();
        touched.add(p.existingId);
      }
    } else {
      const row = await tx
        .insertInto('products')
        .values({ ...values, tenant_id: currentTenant(), code: p.code, published_at: p.status === 'active' ? sql<Date>`now()` : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      productIds.set(p.code, row.id);
      touched.add(row.id);
    }
  }

  // JANs can move between variants within one file: clear the ones being rewritten first so the
  // unique index never sees a transient duplicate.
  const moving = analysis.plan.variants.filter((v) => v.existingId && v.changed).map((v) => v.existingId!);
  for (let i = 0; i < moving.length; i += 1000) {
    await tx.updateTable('product_variants').set({ jan_code: null }).where('id', 'in', moving.slice(i, i + 1000)).execute();
  }

  for (const v of analysis.plan.variants) {
    const productId = productIds.get(v.productCode)!;
    const values = {
      jan_code: v.janCode,
      label: v.label,
      capacity: v.capacity,
      pack_size: v.packSize,
      min_quantity: v.minQuantity,
      order_multiple: v.orderMultiple,
      list_price_yen: v.listPriceYen,
      ...(v.shelfLocation !== null ? { shelf_location: v.shelfLocation } : {}),
    };
    let variantId = v.existingId;
    if (!variantId) {
      variantId = (await tx.insertInto('product_variants').values({ ...values, tenant_id: currentTenant(), product_id: productId, sku: v.sku }).returning('id').executeTakeFirstOrThrow()).id;
      touched.add(productId);
    } else if (v.changed) {
      await tx.updateTable('product_variants').set(values).where('id', '=', variantId).execute();
      touched.add(productId);
    }
    if (!v.changed) continue;
    for (const [rankId, value] of v.rankPrices) await writeRankPrice(tx, variantId, rankId, value);
    if (v.stockDelta !== 0) await applyStockChange(tx, actor.userId, { variantId, delta: v.stockDelta, reason: 'import', note: `CSV取込 ${fileName}`.slice(0, 500) });
  }
  await refreshSearchText(tx, [...touched]);
  await auditCatalog(tx, actor, 'catalog.import.commit', { type: 'catalog_import', id: fileName }, {
    encoding: analysis.encoding,
    rows: analysis.rows,
    products: analysis.products,
    variants: analysis.variants,
  });
  return { ok: true, analysis };
}
