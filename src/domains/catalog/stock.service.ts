import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { stockAdjustmentSchema } from './catalog.schemas.ts';
import type { StockReason } from './catalog.tables.ts';
import { auditCatalog, type CatalogActor } from './catalog-actor.ts';
import { currentTenant } from './current-tenant.ts';

/**
 * Stock changes: the counter on the variant and its history row move in one statement pair inside
 * the caller's transaction, and the guarded UPDATE (on hand never below reserved) makes concurrent
 * adjustments safe without a read-modify-write.
 */

export interface StockChange {
  variantId: string;
  delta: number;
  reason: StockReason;
  note: string;
}

export async function applyStockChange(tx: Tx, actorId: string | null, change: StockChange): Promise<{ stockOnHand: number }> {
  const updated = await tx
    .updateTable('product_variants')
    .set({ stock_on_hand: sql`stock_on_hand + ${change.delta}` })
    .where('id', '=', change.variantId)
    .where(sql<boolean>`stock_on_hand + ${change.delta} >= stock_reserved`)
    .returning('stock_on_hand')
    .executeTakeFirst();
  if (!updated) {
    const variant = await tx.selectFrom('product_variants').select(['stock_on_hand', 'stock_reserved']).where('id', '=', change.variantId).executeTakeFirst();
    if (!variant) throw new NotFoundError('バリエーションが見つかりません。');
    throw new ValidationError({
      delta: `在庫数を引当済み数（${variant.stock_reserved}）より少なくはできません（現在の在庫 ${variant.stock_on_hand}）。`,
    });
  }
  await tx
    .insertInto('stock_adjustments')
    .values({ tenant_id: currentTenant(), variant_id: change.variantId, delta: change.delta, reason: change.reason, note: change.note, actor_id: actorId })
    .execute();
  return { stockOnHand: updated.stock_on_hand };
}

/** A staff adjustment from the stock form (reason, note and a non-zero delta). */
export async function adjustStock(tx: Tx, actor: CatalogActor, variantId: string, raw: unknown): Promise<{ stockOnHand: number }> {
  const parsed = stockAdjustmentSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.') || '_form'] ??= issue.message;
    throw new ValidationError(fields);
  }
  const input = parsed.data;
  const result = await applyStockChange(tx, actor.userId, { variantId, delta: input.delta, reason: input.reason, note: input.note });
  await auditCatalog(tx, actor, 'catalog.stock.adjust', { type: 'variant', id: variantId }, { delta: input.delta, reason: input.reason, stockOnHand: result.stockOnHand });
  return result;
}
