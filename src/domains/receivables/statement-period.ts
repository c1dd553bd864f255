import { createBankCalendar } from '../calendar/business-calendar.ts';
import { addDays, type IsoDate } from '../calendar/calendar-date.ts';
import { type ClosingPeriod, closingPeriodFor, paymentDueDate } from '../calendar/closing-terms.ts';
import { closingDayOf } from '../checkout/credit.ts';

/** 掛け払い terms as stored on a membership (closing day 29–31 means 月末). */
export interface MembershipTerms {
  closing_day: number;
  payment_month_offset: number;
  payment_day: number;
}

const bankCalendar = createBankCalendar();

/**
 * The last period that has closed by `today` (JST date): the one ending before the period
 * `today` is in. A job that missed days still finds it; a job run on the closing day itself
 * waits for the day's purchases and closes it the next morning.
 */
export function lastClosedPeriod(today: IsoDate, terms: Pick<MembershipTerms, 'closing_day'>): ClosingPeriod {
  const current = closingPeriodFor(today, closingDayOf(terms.closing_day));
  return closingPeriodFor(addDays(current.start, -1), closingDayOf(terms.closing_day));
}

/** 支払期日 of a closing date: the member's payment day, moved to the previous bank business day. */
export function statementDueDate(periodEnd: IsoDate, terms: MembershipTerms): IsoDate {
  return paymentDueDate(periodEnd, { monthsAfter: terms.payment_month_offset, day: closingDayOf(terms.payment_day), shiftIfHoliday: 'before' }, bankCalendar);
}

/** e.g. 20日締め翌月末払い */
export function paymentTermsLabel(terms: MembershipTerms): string {
  const closing = terms.closing_day >= 29 ? '月末締め' : `${terms.closing_day}日締め`;
  const month = ['当月', '翌月', '翌々月'][terms.payment_month_offset] ?? `${terms.payment_month_offset}か月後`;
  return `${closing}${month}${terms.payment_day >= 29 ? '末' : `${terms.payment_day}日`}払い`;
}
