import { type Expression, sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { createBankCalendar } from '../calendar/business-calendar.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import { type ClosingDay, closingPeriodFor, paymentDueDate } from '../calendar/closing-terms.ts';
import type { Buyer } from '../cart/buyer.ts';

/**
 * 掛け払い balance of one member, a running ledger: every invoice-terms purchase not cancelled,
 * less the credits of approved returns (refunds with method statement_credit: the 返還インボイス
 * amount, so a partial return lowers the balance by exactly the returned goods), less every
 * receipt recorded. It does not matter whether staff also mark individual orders paid: record
 * each payment received as a receipt. The monthly statement nets the same returns off.
 */
export function invoiceLedgerSql(tenantId: Expression<string>, accountId: Expression<string>) {
  return sql<string>`(
      (SELECT coalesce(sum(o.total_incl_tax), 0) FROM orders o
        WHERE o.tenant_id = ${tenantId} AND o.account_id = ${accountId} AND o.payment_method = 'invoice' AND o.status <> 'cancelled')
    - (SELECT coalesce(sum(f.amount_yen), 0) FROM refunds f
        WHERE f.tenant_id = ${tenantId} AND f.account_id = ${accountId} AND f.method = 'statement_credit' AND f.status = 'completed')
    - (SELECT coalesce(sum(r.amount_yen), 0) FROM receipts r
        WHERE r.tenant_id = ${tenantId} AND r.account_id = ${accountId}))`;
}

export async function invoiceOutstanding(tx: Tx, buyer: Pick<Buyer, 'tenantId' | 'accountId'>): Promise<number> {
  const { rows } = await sql<{ balance: string }>`SELECT ${invoiceLedgerSql(sql`${buyer.tenantId}::uuid`, sql`${buyer.accountId}::uuid`)} AS balance`.execute(tx);
  return Math.max(0, Number(rows[0]?.balance ?? 0));
}

export function closingDayOf(day: number): ClosingDay {
  return day >= 29 ? 'end' : day;
}

/** When a purchase today falls due under the member's closing and payment days (bank calendar). */
export function invoiceDueDate(buyer: Pick<Buyer, 'closingDay' | 'paymentMonthOffset' | 'paymentDay'>, now: Date): string {
  const period = closingPeriodFor(jstDateTime(now).date, closingDayOf(buyer.closingDay));
  return paymentDueDate(period.end, { monthsAfter: buyer.paymentMonthOffset, day: closingDayOf(buyer.paymentDay), shiftIfHoliday: 'before' }, createBankCalendar());
}
