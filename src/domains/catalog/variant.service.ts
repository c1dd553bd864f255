import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { type VariantInput, variantSchema } from './catalog.schemas.ts';
import { auditCatalog, type CatalogActor } from './catalog-actor.ts';
import { currentTenant } from './current-tenant.ts';
import { isUniqueViolation } from './db-errors.ts';
import { refreshSearchText } from './search-text.ts';

export function parseVariantInput(raw: unknown): VariantInput {
  const result = variantSchema.safeParse(raw ?? {});
  if (!result.success) {
    const fields: Record<string, string> = {};
    for (const issue of result.error.issues) fields[issue.path.join('.') || '_form'] ??= issue.message;
    throw new ValidationError(fields);
  }
  return result.data;
}

/** SKU and JAN are unique per shop: checked here for a readable message, enforced by unique indexes. */
async function checkUnique(tx: Tx, input: VariantInput, variantId: string | null): Promise<void> {
  const errors: Record<string, string> = {};
  const sku = await tx
    .selectFrom('product_variants')
    .select('id')
    .where('sku', '=', input.sku)
    .$if(variantId !== null, (q) => q.where('id', '<>', variantId!))
    .executeTakeFirst();
  if (sku) errors.sku = 'このSKUは既に使われています。';
  if (input.jan_code) {
    const jan = await tx
      .selectFrom('product_variants')
      .select('sku')
      .where('jan_code', '=', input.jan_code)
      .$if(variantId !== null, (q) => q.where('id', '<>', variantId!))
      .executeTakeFirst();
    if (jan) errors.jan_code = `このJANコードは既にSKU ${jan.sku} で使われています。`;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

/** Creates (variantId null) or updates a variant of productId. Stock is not set here: see adjustStock. */
export async function saveVariant(tx: Tx, actor: CatalogActor, productId: string, variantId: string | null, raw: unknown): Promise<{ id: string }> {
  const input = parseVariantInput(raw);
  const product = await tx.selectFrom('products').select('id').where('id', '=', productId).executeTakeFirst();
  if (!product) throw new NotFoundError('商品が見つかりません。');
  if (variantId !== null) {
    const existing = await tx.selectFrom('product_variants').select('id').where('id', '=', variantId).where('product_id', '=', productId).executeTakeFirst();
    if (!existing) throw new NotFoundError('バリエーションが見つかりません。');
  }
  await checkUnique(tx, input, variantId);
  const values = {
    sku: input.sku,
    jan_code: input.jan_code,
    label: input.label,
    capacity: input.capacity,
    pack_size: input.pack_size,
    min_quantity: input.min_quantity,
    order_multiple: input.order_multiple,
    list_price_yen: input.list_price_yen,
    sort_order: input.sort_order,
    status: input.status,
    shelf_location: input.shelf_location,
  };
  let id: string;
  try {
    if (variantId === null) {
      id = (await tx.insertInto('product_variants').values({ ...values, tenant_id: currentTenant(), product_id: productId }).returning('id').executeTakeFirstOrThrow()).id;
    } else {
      await tx.updateTable('product_variants').set(values).where('id', '=', variantId).execute();
      id = variantId;
    }
  } catch (err) {
    if (isUniqueViolation(err, 'jan')) throw new ValidationError({ jan_code: 'このJANコードは既に使われています。' });
    if (isUniqueViolation(err)) throw new ValidationError({ sku: 'このSKUは既に使われています。' });
    throw err;
  }
  await refreshSearchText(tx, [productId]);
  await auditCatalog(tx, actor, variantId === null ? 'catalog.variant.create' : 'catalog.variant.update', { type: 'variant', id }, {
    productId,
    sku: input.sku,
    jan: input.jan_code,
    listPriceYen: input.list_price_yen,
    shelfLocation: input.shelf_location,
  });
  return { id };
}
