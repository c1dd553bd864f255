import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError } from '../shared/domain-error.ts';
import type { StorefrontViewer } from './storefront-viewer.ts';

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** Adds or removes a product from the signed-in user's favourites; returns the new state. */
export async function setFavourite(tx: Tx, viewer: StorefrontViewer, productCode: string, favourite: boolean): Promise<boolean> {
  if (!CODE.test(productCode)) throw new NotFoundError('商品が見つかりませんでした。');
  const product = await tx.selectFrom('products').select('id').where('code', '=', productCode).where('status', '=', 'active').executeTakeFirst();
  if (!product) throw new NotFoundError('商品が見つかりませんでした。');
  if (favourite) {
    await tx
      .insertInto('favourites')
      .values({ tenant_id: viewer.tenantId, user_id: viewer.userId, product_id: product.id })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id', 'product_id']).doNothing())
      .execute();
  } else {
    await tx.deleteFrom('favourites').where('user_id', '=', viewer.userId).where('product_id', '=', product.id).execute();
  }
  return favourite;
}

/**
 * The products a member buys most often, for the home page's 「よく買う商品」. Orders arrive with
 * the ordering issue; until then this is the member's favourites, most recent first. It returns
 * product ids only, so switching it to order history changes nothing else.
 */
export async function frequentlyBoughtProductIds(tx: Tx, viewer: StorefrontViewer, limit: number): Promise<string[]> {
  const { rows } = await sql<{ product_id: string }>`
    SELECT f.product_id FROM favourites f
     WHERE f.user_id = ${viewer.userId}::uuid
     ORDER BY f.created_at DESC
     LIMIT ${limit}`.execute(tx);
  return rows.map((r) => r.product_id);
}
