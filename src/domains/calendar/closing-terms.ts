// 掛け払い terms: a member's purchases are totalled up to a closing day (締め日) and paid on a
// later day (支払日), e.g. 20日締め翌月末払い. Closing days stop at 28 so every month has one;
// 末日 is 'end'.

import type { BusinessCalendar } from './business-calendar.ts';
import {
  addDays,
  assertIsoDate,
  compareIsoDates,
  daysInMonth,
  type IsoDate,
  makeIsoDate,
  shiftMonth,
} from './calendar-date.ts';

export type ClosingDay = number | 'end';

export interface PaymentTerms {
  /** 0 = same month as the closing date (当月), 1 = 翌月, 2 = 翌々月. */
  monthsAfter: number;
  day: number | 'end';
  /** When the due date is not a business day: 'before' = 前営業日, 'after' = 翌営業日. */
  shiftIfHoliday: 'before' | 'after';
}

export interface ClosingPeriod {
  /** First day of purchases in the period. */
  start: IsoDate;
  /** The closing date (締め日), the period's last day. */
  end: IsoDate;
}

function assertDayOfMonth(day: number | 'end', what: string): void {
  if (day === 'end') return;
  if (!Number.isInteger(day) || day < 1 || day > 28) throw new RangeError(`${what} must be 1–28 or 'end', got ${day}`);
}

function dayIn(year: number, month: number, day: number | 'end'): IsoDate {
  return makeIsoDate(year, month, day === 'end' ? daysInMonth(year, month) : day);
}

/** The closing period a purchase on this date belongs to. */
export function closingPeriodFor(date: IsoDate, closingDay: ClosingDay): ClosingPeriod {
  assertIsoDate(date);
  assertDayOfMonth(closingDay, 'closingDay');
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (closingDay === 'end') return { start: makeIsoDate(year, month, 1), end: dayIn(year, month, 'end') };
  const closesThisMonth = day <= closingDay;
  const endMonth = closesThisMonth ? { year, month } : shiftMonth(year, month, 1);
  const previous = shiftMonth(endMonth.year, endMonth.month, -1);
  return {
    start: addDays(makeIsoDate(previous.year, previous.month, closingDay), 1),
    end: makeIsoDate(endMonth.year, endMonth.month, closingDay),
  };
}

/**
 * Due date for a closing date under the member's terms, shifted off non-business days of the
 * given calendar (use the bank calendar for transfers).
 */
export function paymentDueDate(closingDate: IsoDate, terms: PaymentTerms, calendar: BusinessCalendar): IsoDate {
  assertIsoDate(closingDate);
  assertDayOfMonth(terms.day, 'payment day');
  if (!Number.isInteger(terms.monthsAfter) || terms.monthsAfter < 0 || terms.monthsAfter > 12) {
    throw new RangeError(`monthsAfter must be 0–12, got ${terms.monthsAfter}`);
  }
  const target = shiftMonth(Number(closingDate.slice(0, 4)), Number(closingDate.slice(5, 7)), terms.monthsAfter);
  const nominal = dayIn(target.year, target.month, terms.day);
  if (compareIsoDates(nominal, closingDate) < 0) {
    throw new RangeError(`payment day ${nominal} falls before the closing date ${closingDate}`);
  }
  if (calendar.isBusinessDay(nominal)) return nominal;
  return terms.shiftIfHoliday === 'before' ? calendar.businessDayOnOrBefore(nominal) : calendar.businessDayOnOrAfter(nominal);
}
