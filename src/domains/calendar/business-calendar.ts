// A shop's working days: Japanese public holidays (from @holiday-jp/holiday_jp, which carries
// 振替休日 and 国民の休日) plus the shop's own closed weekdays and closed dates.
// All dates are 'YYYY-MM-DD' in Japan; instants are converted with jstDateTime.

import holidayJp from '@holiday-jp/holiday_jp';
import { addDays, assertIsoDate, type IsoDate, jstDateTime, weekdayOf } from './calendar-date.ts';
import { type PaymentTerms, paymentDueDate } from './closing-terms.ts';

export interface BusinessCalendarConfig {
  /** 0 = Sunday … 6 = Saturday. */
  closedWeekdays: number[];
  /** 'YYYY-MM-DD' for one day, or 'MM-DD' for every year (e.g. 年末年始 '12-31', '01-03'). */
  closedDates: string[];
  /** Some wholesalers ship on public holidays; by default a holiday is a closed day. */
  openOnPublicHolidays?: boolean;
}

export interface ShipOptions {
  /** JST hour (0–24) from which an order counts as received on the next business day. */
  cutoffHour: number;
}

export interface DeliveryLeadOptions extends ShipOptions {
  /** Calendar days in transit after shipping (carriers deliver on weekends and holidays). */
  leadDays: number;
}

export interface BusinessCalendar {
  isPublicHoliday(date: IsoDate): boolean;
  publicHolidayName(date: IsoDate): string | null;
  isBusinessDay(date: IsoDate): boolean;
  /** The first business day strictly after date. */
  nextBusinessDay(date: IsoDate): IsoDate;
  /** The last business day strictly before date. */
  previousBusinessDay(date: IsoDate): IsoDate;
  businessDayOnOrAfter(date: IsoDate): IsoDate;
  businessDayOnOrBefore(date: IsoDate): IsoDate;
  /**
   * Counts n business days after date (before it when n < 0): Friday + 1 = Monday, and a
   * Saturday + 1 is Monday too. n = 0 gives date itself if it is a business day, else the next.
   */
  addBusinessDays(date: IsoDate, n: number): IsoDate;
  /** The business day an order placed at this instant is shipped. */
  shipDate(orderedAt: Date, opts: ShipOptions): IsoDate;
  earliestDeliveryDate(orderedAt: Date, opts: DeliveryLeadOptions): IsoDate;
  paymentDueDate(closingDate: IsoDate, terms: PaymentTerms): IsoDate;
}

// A year without a single business day is a configuration error, not a reason to loop forever.
const MAX_SEARCH_DAYS = 400;

const publicHolidays: Record<string, { name: string } | undefined> = holidayJp.holidays;

export function publicHolidayName(date: IsoDate): string | null {
  return publicHolidays[date]?.name ?? null;
}

function validateConfig(config: BusinessCalendarConfig): void {
  for (const weekday of config.closedWeekdays) {
    if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
      throw new RangeError(`closed weekday must be 0–6, got ${weekday}`);
    }
  }
  if (new Set(config.closedWeekdays).size === 7) throw new RangeError('a calendar must have at least one open weekday');
  for (const entry of config.closedDates) {
    const recurring = /^\d{2}-\d{2}$/.test(entry);
    if (recurring) assertIsoDate(`2000-${entry}`);
    else assertIsoDate(entry);
  }
}

export function createBusinessCalendar(config: BusinessCalendarConfig): BusinessCalendar {
  validateConfig(config);
  const closedWeekdays = new Set(config.closedWeekdays);
  const closedDates = new Set(config.closedDates);
  const openOnPublicHolidays = config.openOnPublicHolidays ?? false;

  const isPublicHoliday = (date: IsoDate): boolean => {
    assertIsoDate(date);
    return publicHolidays[date] !== undefined;
  };

  const isBusinessDay = (date: IsoDate): boolean => {
    assertIsoDate(date);
    if (closedWeekdays.has(weekdayOf(date))) return false;
    if (closedDates.has(date) || closedDates.has(date.slice(5))) return false;
    return openOnPublicHolidays || publicHolidays[date] === undefined;
  };

  const step = (date: IsoDate, direction: 1 | -1, includeStart: boolean): IsoDate => {
    let current = includeStart ? date : addDays(date, direction);
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      if (isBusinessDay(current)) return current;
      current = addDays(current, direction);
    }
    throw new RangeError(`no business day within ${MAX_SEARCH_DAYS} days of ${date}`);
  };

  const addBusinessDays = (date: IsoDate, n: number): IsoDate => {
    if (!Number.isInteger(n)) throw new RangeError(`business days must be a whole number, got ${n}`);
    if (n === 0) return step(date, 1, true);
    const direction = n > 0 ? 1 : -1;
    let current = date;
    for (let remaining = Math.abs(n); remaining > 0; remaining--) current = step(current, direction, false);
    return current;
  };

  const shipDate = (orderedAt: Date, opts: ShipOptions): IsoDate => {
    if (!(opts.cutoffHour >= 0 && opts.cutoffHour <= 24)) throw new RangeError('cutoffHour must be 0–24');
    const { date, hour } = jstDateTime(orderedAt);
    if (isBusinessDay(date) && hour < opts.cutoffHour) return date;
    return step(date, 1, false);
  };

  const calendar: BusinessCalendar = {
    isPublicHoliday,
    publicHolidayName: (date) => {
      assertIsoDate(date);
      return publicHolidayName(date);
    },
    isBusinessDay,
    nextBusinessDay: (date) => step(date, 1, false),
    previousBusinessDay: (date) => step(date, -1, false),
    businessDayOnOrAfter: (date) => step(date, 1, true),
    businessDayOnOrBefore: (date) => step(date, -1, true),
    addBusinessDays,
    shipDate,
    earliestDeliveryDate: (orderedAt, opts) => {
      if (!Number.isInteger(opts.leadDays) || opts.leadDays < 0) throw new RangeError('leadDays must be a whole number ≥ 0');
      return addDays(shipDate(orderedAt, opts), opts.leadDays);
    },
    paymentDueDate: (closingDate, terms) => paymentDueDate(closingDate, terms, calendar),
  };
  return calendar;
}

/**
 * Japanese banks' calendar: closed on Saturdays, Sundays, public holidays and 12/31–1/3
 * (銀行法施行令). Transfer due dates are shifted on this calendar, not the shop's.
 */
export function createBankCalendar(): BusinessCalendar {
  return createBusinessCalendar({ closedWeekdays: [0, 6], closedDates: ['12-31', '01-01', '01-02', '01-03'] });
}
