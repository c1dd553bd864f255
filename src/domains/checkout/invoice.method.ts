import { formatJapaneseDate } from '../calendar/delivery-choice.ts';
import { formatYen } from '../orders/order-format.ts';
import { invoiceDueDate, invoiceOutstanding } from './credit.ts';
import type { PaymentMethodPlugin } from './payment-methods.ts';

/**
 * 掛け払い: only for members the shop granted terms; confirmed at once and billed on the member's
 * closing day. Placement locks the membership row before asking, so two orders at once cannot
 * both fit under the limit.
 */
export const invoiceMethod: PaymentMethodPlugin = {
  id: 'invoice',
  label: '掛け払い（請求書払い）',
  timing: (ctx) =>
    `締め日（${ctx.buyer.closingDay >= 29 ? '月末' : `${ctx.buyer.closingDay}日`}）にまとめてご請求し、${formatJapaneseDate(invoiceDueDate(ctx.buyer, ctx.now))}までにお支払いください（ご契約の支払条件によります）。`,
  async availability(ctx) {
    if (!ctx.buyer.invoiceTermsEnabled) return { available: false, reason: '掛け払いはショップの審査を経た会員様のみご利用いただけます。' };
    const outstanding = await invoiceOutstanding(ctx.tx, ctx.buyer);
    const remaining = ctx.buyer.creditLimitYen - outstanding;
    if (ctx.amountInclTax > remaining) {
      return {
        available: false,
        reason: `ご利用限度額を超えるため掛け払いをご利用いただけません（限度額 ${formatYen(ctx.buyer.creditLimitYen)}、未決済残高 ${formatYen(outstanding)}、今回 ${formatYen(ctx.amountInclTax)}）。`,
      };
    }
    return { available: true };
  },
  initial: { status: 'confirmed', paymentStatus: 'unpaid' },
  orderColumns: (ctx) => ({ payment_due_date: invoiceDueDate(ctx.buyer, ctx.now), confirmed_at: ctx.now }),
  async onPlaced() {
    return { kind: 'done' };
  },
};
