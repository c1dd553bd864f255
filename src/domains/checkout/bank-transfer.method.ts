import { formatJapaneseDate } from '../calendar/delivery-choice.ts';
import { bankTransferDueDate, transferReference } from '../orders/bank-transfer.ts';
import type { PaymentMethodPlugin } from './payment-methods.ts';

/** 銀行振込（前払い）: the order waits for the money; a reference and due date go with it. */
export const bankTransferMethod: PaymentMethodPlugin = {
  id: 'bank_transfer',
  label: '銀行振込（前払い）',
  timing: (ctx) =>
    `ご注文後、${formatJapaneseDate(bankTransferDueDate(ctx.settings, ctx.now))}までにお振込みください（振込手数料はお客様のご負担です）。ご入金の確認後に出荷します。期限までにご入金がない場合、ご注文は自動的にキャンセルされます。`,
  async availability(ctx) {
    if (!ctx.settings.bankAccount) return { available: false, reason: '振込先口座が未設定のため、現在ご利用いただけません。' };
    return { available: true };
  },
  initial: { status: 'pending_payment', paymentStatus: 'unpaid' },
  orderColumns: (ctx, orderNumber) => ({
    transfer_reference: transferReference(ctx.settings.shopSlug, orderNumber),
    payment_due_date: bankTransferDueDate(ctx.settings, ctx.now),
  }),
  async onPlaced() {
    return { kind: 'done' };
  },
};
