import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { createBankCalendar } from '../calendar/business-calendar.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import { type ClosingDay, closingPeriodFor, paymentDueDate } from '../calendar/closing-terms.ts';
import type { Buyer } from '../cart/buyer.ts';

/**
 * 掛け払い balance of one member: every invoice-terms purchase not cancelled or returned, less
 * every receipt recorded — a running ledger, so it does not matter whether staff also mark
 * individual orders paid. Record each payment received as a receipt.
 */
export async function invoiceOutstanding(tx: Tx, buyer: Pick<Buyer, 'tenantId' | 'accountId'>): Promise<number> {
  const { rows } = await sql<{ purchases: number; receipts: number }>`
    SELECT
      (SELECT coalesce(sum(total_incl_tax), 0)::bigint FROM orders
        WHERE tenant_id = ${buyer.tenantId}::uuid AND account_id = ${buyer.accountId}::uuid AND payment_method = 'invoice'
          AND status NOT IN ('cancelled', 'returned') AND payment_status NOT IN ('cancelled', 'refunded')) AS purchases,
      (SELECT coalesce(sum(amount_yen), 0)::bigint FROM receipts
        WHERE tenant_id = ${buyer.tenantId}::uuid AND account_id = ${buyer.accountId}::uuid) AS receipts`.execute(tx);
  const row = rows[0];
  return Math.max(0, Number(row?.purchases ?? 0) - Number(row?.receipts ?? 0));
}

export function closingDayOf(day: number): ClosingDay {
  return day >= 29 ? 'end' : day;
}

/** When a purchase today falls due under the member's closing and payment days (bank calendar). */
export function invoiceDueDate(buyer: Pick<Buyer, 'closingDay' | 'paymentMonthOffset' | 'paymentDay'>, now: Date): string {
  const period = closingPeriodFor(jstDateTime(now).date, closingDayOf(buyer.closingDay));
  return paymentDueDate(period.end, { monthsAfter: buyer.paymentMonthOffset, day: closingDayOf(buyer.paymentDay), shiftIfHoliday: 'before' }, createBankCalendar());
}
