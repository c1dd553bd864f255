import type { PaymentMethodPlugin } from '../checkout/payment-methods.ts';
import { codFee } from '../shipping/shipping-fee.ts';

/**
 * 代金引換: paid to the carrier's driver on delivery, so the order is confirmed at once. The fee
 * comes from the shop's band table; above its last band COD is not offered (carriers cap it).
 */
export const codMethod: PaymentMethodPlugin = {
  id: 'cod',
  label: '代金引換',
  timing: () => '商品お届け時に、配送業者へ現金でお支払いください（代引手数料がかかります）。',
  async availability(ctx) {
    if (ctx.settings.codFeeBands.length === 0) return { available: false, reason: 'このショップでは代金引換をご利用いただけません。' };
    if (codFee(ctx.settings.codFeeBands, ctx.amountInclTax) === null) return { available: false, reason: 'ご注文金額が代金引換の上限を超えるため、ご利用いただけません。' };
    return { available: true };
  },
  feeExclTax: (ctx) => codFee(ctx.settings.codFeeBands, ctx.amountInclTax),
  initial: { status: 'confirmed', paymentStatus: 'unpaid' },
  orderColumns: (ctx) => ({ confirmed_at: ctx.now }),
  async onPlaced() {
    return { kind: 'done' };
  },
};
