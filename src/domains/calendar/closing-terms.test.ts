import { describe, expect, it } from 'vitest';
import { createBankCalendar, createBusinessCalendar } from './business-calendar.ts';
import { closingPeriodFor, paymentDueDate } from './closing-terms.ts';

const bank = createBankCalendar();

describe('closingPeriodFor', () => {
  it('20日締め: the 20th closes the period, the 21st starts the next', () => {
    expect(closingPeriodFor('2025-03-20', 20)).toEqual({ start: '2025-02-21', end: '2025-03-20' });
    expect(closingPeriodFor('2025-03-21', 20)).toEqual({ start: '2025-03-21', end: '2025-04-20' });
    expect(closingPeriodFor('2024-12-25', 20)).toEqual({ start: '2024-12-21', end: '2025-01-20' });
    expect(closingPeriodFor('2025-01-05', 20)).toEqual({ start: '2024-12-21', end: '2025-01-20' });
  });

  it('末日締め follows month lengths, including leap years', () => {
    expect(closingPeriodFor('2024-02-10', 'end')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(closingPeriodFor('2025-02-28', 'end')).toEqual({ start: '2025-02-01', end: '2025-02-28' });
    expect(closingPeriodFor('2025-01-31', 'end')).toEqual({ start: '2025-01-01', end: '2025-01-31' });
  });

  it('other closing days', () => {
    expect(closingPeriodFor('2025-03-01', 1)).toEqual({ start: '2025-02-02', end: '2025-03-01' });
    expect(closingPeriodFor('2025-03-02', 28)).toEqual({ start: '2025-03-01', end: '2025-03-28' });
    expect(closingPeriodFor('2024-02-29', 28)).toEqual({ start: '2024-02-29', end: '2024-03-28' });
  });

  it('rejects closing days that some months lack', () => {
    expect(() => closingPeriodFor('2025-03-01', 29)).toThrow(RangeError);
    expect(() => closingPeriodFor('2025-03-01', 0)).toThrow(RangeError);
  });
});

describe('paymentDueDate', () => {
  const endOfNextMonth = { monthsAfter: 1, day: 'end', shiftIfHoliday: 'after' } as const;

  it('20日締め翌月末払い', () => {
    expect(paymentDueDate('2025-01-20', endOfNextMonth, bank)).toBe('2025-02-28');
    expect(paymentDueDate('2024-01-20', endOfNextMonth, bank)).toBe('2024-02-29');
  });

  it('shifts a due date on a weekend or holiday to the next or previous bank day', () => {
    // 31 May 2025 is a Saturday.
    expect(paymentDueDate('2025-04-20', endOfNextMonth, bank)).toBe('2025-06-02');
    expect(paymentDueDate('2025-04-20', { ...endOfNextMonth, shiftIfHoliday: 'before' }, bank)).toBe('2025-05-30');
    // 末締め翌月末: 31 Dec is a bank holiday.
    expect(paymentDueDate('2025-11-30', endOfNextMonth, bank)).toBe('2026-01-05');
    expect(paymentDueDate('2025-11-30', { ...endOfNextMonth, shiftIfHoliday: 'before' }, bank)).toBe('2025-12-30');
  });

  it('fixed payment days, Golden Week and 翌々月', () => {
    // 末締め翌月6日払い: 6 May 2024 is a 振替休日.
    expect(paymentDueDate('2024-04-30', { monthsAfter: 1, day: 6, shiftIfHoliday: 'after' }, bank)).toBe('2024-05-07');
    expect(paymentDueDate('2024-04-30', { monthsAfter: 1, day: 6, shiftIfHoliday: 'before' }, bank)).toBe('2024-05-02');
    expect(paymentDueDate('2025-11-20', { monthsAfter: 2, day: 10, shiftIfHoliday: 'after' }, bank)).toBe('2026-01-13');
  });

  it('same-month terms must not fall before the closing date', () => {
    expect(paymentDueDate('2025-03-20', { monthsAfter: 0, day: 'end', shiftIfHoliday: 'after' }, bank)).toBe('2025-03-31');
    expect(() => paymentDueDate('2025-03-20', { monthsAfter: 0, day: 10, shiftIfHoliday: 'after' }, bank)).toThrow(RangeError);
  });

  it('is also available on a calendar, using that calendar for shifting', () => {
    const shop = createBusinessCalendar({ closedWeekdays: [0, 3, 6], closedDates: [] });
    // 30 April 2025 is a Wednesday, closed at this shop but open at banks.
    expect(shop.paymentDueDate('2025-03-31', endOfNextMonth)).toBe('2025-05-01');
    expect(paymentDueDate('2025-03-31', endOfNextMonth, bank)).toBe('2025-04-30');
  });
});
