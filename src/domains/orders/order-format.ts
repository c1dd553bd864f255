import { formatJapaneseDate } from '../calendar/delivery-choice.ts';
import { deliverySlots } from '../calendar/delivery-slots.ts';
import type { DeliverySlotCode, PaymentMethod } from './orders.tables.ts';

/** How orders read to people: yen, slots, methods — shared by pages and mails. */

// Built once: Number#toLocaleString creates a formatter on every call (cart and checkout pages show dozens of amounts).
const YEN_DIGITS = new Intl.NumberFormat('ja-JP');

export function formatYen(amount: number): string {
  return `${YEN_DIGITS.format(amount)}円`;
}

export const PAYMENT_METHOD_LABELS: Readonly<Record<PaymentMethod, string>> = {
  bank_transfer: '銀行振込（前払い）',
  invoice: '掛け払い（請求書払い）',
  cod: '代金引換',
  card: 'クレジットカード',
};

/** Orders store the carriers' slot code ('0812'); buyers choose by the calendar's ('am'). */
export function slotLabelOfStoredCode(code: DeliverySlotCode | null): string {
  if (!code) return '指定なし';
  return deliverySlots.find((s) => s.yamatoCode === code)?.label ?? '指定なし';
}

export function storedSlotCode(calendarCode: string | null): DeliverySlotCode | null {
  if (!calendarCode) return null;
  return (deliverySlots.find((s) => s.code === calendarCode)?.yamatoCode as DeliverySlotCode | undefined) ?? null;
}

export function deliveryDateLabel(date: string | null): string {
  return date ? formatJapaneseDate(date) : '最短でお届け（日付指定なし）';
}

export function postalLabel(postalCode: string): string {
  return /^\d{7}$/.test(postalCode) ? `〒${postalCode.slice(0, 3)}-${postalCode.slice(3)}` : postalCode;
}
