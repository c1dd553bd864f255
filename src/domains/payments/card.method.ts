import type { PaymentMethodPlugin } from '../checkout/payment-methods.ts';
import { CARD_STOPPED_NOTICE, cardKillState } from './card-kill-switch.service.ts';
import { loadProviderAccount } from './provider-account.service.ts';

/** Where the buyer goes after placing a card order: the shop's payment step (path below the shop's base). */
export function paymentStepPath(orderId: string): string {
  return `/payment/${orderId}`;
}

/**
 * クレジットカード: only by the provider's hosted page. Hidden behind a notice while the kill
 * switch (the shop's or the platform-wide one) is on — read from the database on every checkout.
 * Placement only records the order; the provider is called later, from the payment step, never
 * inside the placement transaction.
 */
export const cardMethod: PaymentMethodPlugin = {
  id: 'card',
  label: 'クレジットカード（3Dセキュア）',
  timing: () => 'ご注文確定後、決済代行会社のお支払いページでカード決済（本人認証 3Dセキュア）をお済ませください。決済完了をもってご注文が確定します。',
  async availability(ctx) {
    const kill = await cardKillState(ctx.tx, ctx.settings.tenantId);
    if (kill.engaged) return { available: false, reason: CARD_STOPPED_NOTICE };
    if (!(await loadProviderAccount(ctx.tx, ctx.settings.tenantId))) return { available: false, reason: 'このショップではカード決済の準備中です。' };
    if (ctx.amountInclTax < 50) return { available: false, reason: 'カード決済は50円以上のご注文でご利用いただけます。' };
    return { available: true };
  },
  initial: { status: 'pending_payment', paymentStatus: 'unpaid' },
  async onPlaced(_tx, order) {
    return { kind: 'redirect', url: paymentStepPath(order.id) };
  },
};
