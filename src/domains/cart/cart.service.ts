import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type MemberPrice, resolveMemberPrices } from '../pricing/member-price.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { computeInvoiceTax, type InvoiceTax } from '../tax/invoice-tax.ts';
import type { Buyer } from './buyer.ts';
import { MAX_QUANTITY, quantityRuleError } from './quantity-rules.ts';
import { loadCartItemsWithSnapshots, loadVariantSnapshots, loadVariantSnapshotWithCartQuantity, orderabilityError, type VariantSnapshot } from './variant-snapshot.ts';

/**
 * The member user's cart in one shop, kept in the database so it follows the buyer from the
 * salon's phone to the back-office PC. Prices are never stored as the truth: each view prices
 * the lines afresh and says when a price or the stock moved since the item was added.
 */

export interface CartLine {
  variantId: string;
  snapshot: VariantSnapshot;
  quantity: number;
  price: MemberPrice;
  lineTotalExclTax: number;
  /** The unit price when added (or last changed) and the direction it has moved since. */
  seenUnitPriceYen: number;
  priceChange: 'up' | 'down' | null;
  /** Reasons the line cannot be ordered as it stands (stock, rules, restriction). */
  problems: string[];
}

export interface CartView {
  lines: CartLine[];
  /** Lines that vanished from the catalogue (deleted or another shop's). */
  removedCount: number;
  subtotalExclTax: number;
  tax: InvoiceTax;
  canCheckout: boolean;
}

export interface CartSummary {
  lines: number;
  quantity: number;
}

async function priceFor(tx: Tx, buyer: Buyer, quantities: Map<string, number>): Promise<Map<string, MemberPrice>> {
  return resolveMemberPrices(tx, { tenantId: buyer.tenantId, rankId: buyer.rankId, variantIds: [...quantities.keys()], quantities });
}

function assertLineAllowed(snapshot: VariantSnapshot | undefined, buyer: Buyer, quantity: number): asserts snapshot is VariantSnapshot {
  if (!snapshot) throw new NotFoundError('商品が見つかりません。');
  const refusal = orderabilityError(snapshot, buyer.professionalVerified);
  if (refusal) throw new ValidationError({ quantity: refusal }, refusal);
  const rule = quantityRuleError(quantity, snapshot);
  if (rule) throw new ValidationError({ quantity: rule }, rule);
}

/** Adds to what is already in the cart for this variant; returns the new quantity. */
export async function addToCart(tx: Tx, buyer: Buyer, input: { variantId: string; quantity: number }): Promise<number> {
  // The variant, what the cart already holds of it and its price inputs: one query.
  const { snapshot, inCart, priceOf } = await loadVariantSnapshotWithCartQuantity(tx, buyer.tenantId, buyer.userId, input.variantId, { rankId: buyer.rankId });
  const total = inCart + input.quantity;
  if (total > MAX_QUANTITY) {
    throw new ValidationError({ quantity: `カート内の数量が${MAX_QUANTITY.toLocaleString('ja-JP')}を超えます。` });
  }
  assertLineAllowed(snapshot, buyer, total);
  const price = priceOf(total);
  if (!price) throw new NotFoundError('商品が見つかりません。');
  await tx
    .insertInto('cart_items')
    .values({
      tenant_id: buyer.tenantId,
      user_id: buyer.userId,
      account_id: buyer.accountId,
      variant_id: input.variantId,
      quantity: total,
      unit_price_seen_yen: price.unitPriceYen,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'user_id', 'variant_id']).doUpdateSet({ quantity: total, unit_price_seen_yen: price.unitPriceYen, updated_at: sql`now()` }),
    )
    .execute();
  return total;
}

/** Sets a line's quantity (0 removes it). */
export async function setCartQuantity(tx: Tx, buyer: Buyer, input: { variantId: string; quantity: number }): Promise<void> {
  if (input.quantity === 0) return removeFromCart(tx, buyer, input.variantId);
  const line = await tx
    .selectFrom('cart_items')
    .select('variant_id')
    .where('tenant_id', '=', buyer.tenantId)
    .where('user_id', '=', buyer.userId)
    .where('variant_id', '=', input.variantId)
    .executeTakeFirst();
  if (!line) throw new NotFoundError('カートにその商品はありません。');
  const snapshot = (await loadVariantSnapshots(tx, buyer.tenantId, [input.variantId])).get(input.variantId);
  assertLineAllowed(snapshot, buyer, input.quantity);
  const price = (await priceFor(tx, buyer, new Map([[input.variantId, input.quantity]]))).get(input.variantId);
  await tx
    .updateTable('cart_items')
    .set({ quantity: input.quantity, unit_price_seen_yen: price?.unitPriceYen ?? 0, updated_at: sql`now()` })
    .where('tenant_id', '=', buyer.tenantId)
    .where('user_id', '=', buyer.userId)
    .where('variant_id', '=', input.variantId)
    .execute();
}

export async function removeFromCart(tx: Tx, buyer: Buyer, variantId: string): Promise<void> {
  await tx.deleteFrom('cart_items').where('tenant_id', '=', buyer.tenantId).where('user_id', '=', buyer.userId).where('variant_id', '=', variantId).execute();
}

export async function clearCart(tx: Tx, buyer: Pick<Buyer, 'tenantId' | 'userId'>): Promise<void> {
  await tx.deleteFrom('cart_items').where('tenant_id', '=', buyer.tenantId).where('user_id', '=', buyer.userId).execute();
}

/** The cart priced now, with what changed since each line was added. */
export async function loadCart(tx: Tx, buyer: Buyer): Promise<CartView> {
  // The lines with their variants and member prices in one query.
  const items = await loadCartItemsWithSnapshots(tx, buyer.tenantId, buyer.userId, { rankId: buyer.rankId });
  const lines: CartLine[] = [];
  let removedCount = 0;
  for (const item of items) {
    const { snapshot, price } = item;
    if (!snapshot || !price) {
      removedCount++;
      continue;
    }
    const problems: string[] = [];
    const refusal = orderabilityError(snapshot, buyer.professionalVerified);
    if (refusal) problems.push(refusal);
    const rule = quantityRuleError(item.quantity, snapshot);
    if (rule) problems.push(rule);
    if (!refusal && snapshot.available < item.quantity) {
      problems.push(snapshot.available === 0 ? '在庫切れです。入荷までお待ちいただくか、カートから削除してください。' : `在庫が不足しています（ご注文いただける数量: ${snapshot.available}）。`);
    }
    const seen = item.unitPriceSeenYen;
    lines.push({
      variantId: item.variantId,
      snapshot,
      quantity: item.quantity,
      price,
      lineTotalExclTax: price.unitPriceYen * item.quantity,
      seenUnitPriceYen: seen,
      priceChange: price.unitPriceYen > seen ? 'up' : price.unitPriceYen < seen ? 'down' : null,
      problems,
    });
  }
  const tax = computeInvoiceTax(lines.map((l) => ({ amountExclTax: l.lineTotalExclTax, rate: l.price.taxRate })));
  return {
    lines,
    removedCount,
    subtotalExclTax: tax.subtotal,
    tax,
    canCheckout: lines.length > 0 && lines.every((l) => l.problems.length === 0),
  };
}

/** Marks the prices the buyer has now seen (the cart stops flagging them). */
export async function acknowledgeCartPrices(tx: Tx, buyer: Buyer, view: CartView): Promise<void> {
  for (const line of view.lines) {
    if (line.priceChange === null) continue;
    await tx
      .updateTable('cart_items')
      .set({ unit_price_seen_yen: line.price.unitPriceYen })
      .where('tenant_id', '=', buyer.tenantId)
      .where('user_id', '=', buyer.userId)
      .where('variant_id', '=', line.variantId)
      .execute();
  }
}

/** Lines and total quantity, for the shop navigation's cart link. */
export async function cartSummary(tx: Tx, tenantId: string, userId: string): Promise<CartSummary> {
  const row = await tx
    .selectFrom('cart_items')
    .select([sql<number>`count(*)::int`.as('lines'), sql<number>`coalesce(sum(quantity), 0)::int`.as('quantity')])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return { lines: Number(row?.lines ?? 0), quantity: Number(row?.quantity ?? 0) };
}

export function assertCartOrderable(view: CartView): void {
  if (view.lines.length === 0) throw new ConflictError('カートに商品がありません。');
}
