import type { Tx } from '../../platform/db/tenant-scope.ts';
import { auditCatalog, type CatalogActor } from '../catalog/catalog-actor.ts';
import { currentTenant } from '../catalog/current-tenant.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import type { ProcessedImage } from './image-upload.process.ts';

/**
 * Product image rows. The files are written before the transaction (processProductImage +
 * storeRenditions): a rolled-back row leaves an unreferenced, content-named file, which is harmless.
 */

export const MAX_IMAGES_PER_PRODUCT = 12;

export async function attachProductImage(tx: Tx, actor: CatalogActor, productId: string, image: ProcessedImage, alt: string): Promise<{ id: string }> {
  const product = await tx.selectFrom('products').select('id').where('id', '=', productId).executeTakeFirst();
  if (!product) throw new NotFoundError('商品が見つかりません。');
  const count = await tx.selectFrom('product_images').select((eb) => eb.fn.countAll<number>().as('n')).where('product_id', '=', productId).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_IMAGES_PER_PRODUCT) throw new ValidationError({ image: `画像は1商品${MAX_IMAGES_PER_PRODUCT}枚までです。` });
  const cleanAlt = alt.trim().slice(0, 200);
  const row = await tx
    .insertInto('product_images')
    .values({
      tenant_id: currentTenant(),
      product_id: productId,
      content_hash: image.contentHash,
      alt: cleanAlt,
      width: image.width,
      height: image.height,
      sort_order: Number(count.n),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditCatalog(tx, actor, 'catalog.image.add', { type: 'product', id: productId }, { imageId: row.id, contentHash: image.contentHash });
  return row;
}

export async function removeProductImage(tx: Tx, actor: CatalogActor, productId: string, imageId: string): Promise<void> {
  const deleted = await tx.deleteFrom('product_images').where('id', '=', imageId).where('product_id', '=', productId).returning('content_hash').executeTakeFirst();
  if (!deleted) throw new NotFoundError('画像が見つかりません。');
  await auditCatalog(tx, actor, 'catalog.image.remove', { type: 'product', id: productId }, { imageId, contentHash: deleted.content_hash });
}

/** Whether the transaction's shop uses this picture: shop origins serve only their own shop's files. */
export async function shopUsesImage(tx: Tx, contentHash: string): Promise<boolean> {
  const row = await tx.selectFrom('product_images').select('id').where('content_hash', '=', contentHash).limit(1).executeTakeFirst();
  return row !== undefined;
}
