import type { Database } from '../../platform/db/database.ts';
import { addToCart } from '../cart/cart.service.ts';
import { newIdempotencyKey, placeOrder, prepareCheckout } from '../checkout/checkout.service.ts';
import { asMember, type CommerceShop, type TestMember } from '../checkout/checkout-fixtures.testing.ts';
import { loadShopSettings } from '../orders/shop-settings.ts';

/** Places a real order through the cart and checkout (the same path a member takes). */
export async function placeTestOrder(
  database: Database,
  shop: CommerceShop,
  member: TestMember,
  items: { variantId: string; quantity: number }[],
  options: { paymentMethod?: 'bank_transfer' | 'invoice' | 'cod'; poNumber?: string; now?: Date } = {},
): Promise<{ orderId: string; orderNumber: string }> {
  return asMember(database, shop, member, async (tx, buyer) => {
    for (const item of items) await addToCart(tx, buyer, item);
    const settings = await loadShopSettings(tx, shop.tenantId);
    const form = { destination: 'location', locationId: member.locationId, deliveryDate: '', deliverySlot: '', paymentMethod: options.paymentMethod ?? 'invoice', poNumber: options.poNumber ?? 'PO-7788', notes: '' };
    const draft = await prepareCheckout(tx, buyer, settings, form, options.now);
    const outcome = await placeOrder(tx, { buyer, settings, form, idempotencyKey: newIdempotencyKey(), confirmedTotalInclTax: draft.totalInclTax, now: options.now });
    if (outcome.kind !== 'placed') throw new Error(`order not placed: ${JSON.stringify(outcome.kind === 'changed' ? outcome.messages : outcome)}`);
    return { orderId: outcome.orderId, orderNumber: outcome.orderNumber };
  });
}
