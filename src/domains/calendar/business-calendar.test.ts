import { describe, expect, it } from 'vitest';
import { createBankCalendar, createBusinessCalendar } from './business-calendar.ts';

// Closed on weekends and over 年末年始 (12/29–1/3) every year, plus one summer closure.
const shop = createBusinessCalendar({
  closedWeekdays: [0, 6],
  closedDates: ['12-29', '12-30', '12-31', '01-01', '01-02', '01-03', '2025-08-14'],
});

/** An instant given as Japanese wall-clock time. */
const jst = (local: string) => new Date(`${local}+09:00`);

describe('createBusinessCalendar', () => {
  it('rejects impossible configurations', () => {
    expect(() => createBusinessCalendar({ closedWeekdays: [0, 1, 2, 3, 4, 5, 6], closedDates: [] })).toThrow(RangeError);
    expect(() => createBusinessCalendar({ closedWeekdays: [7], closedDates: [] })).toThrow(RangeError);
    expect(() => createBusinessCalendar({ closedWeekdays: [], closedDates: ['2025-02-30'] })).toThrow(RangeError);
  });

  it('closes on public holidays including 振替休日, weekends, recurring and one-off closed dates', () => {
    expect(shop.isBusinessDay('2024-05-06')).toBe(false); // こどもの日 振替休日
    expect(shop.publicHolidayName('2024-05-06')).toContain('振替休日');
    expect(shop.isBusinessDay('2025-11-24')).toBe(false); // 勤労感謝の日 振替休日
    expect(shop.isBusinessDay('2025-01-13')).toBe(false); // 成人の日
    expect(shop.isBusinessDay('2025-12-30')).toBe(false); // recurring 年末
    expect(shop.isBusinessDay('2025-08-14')).toBe(false); // one-off
    expect(shop.isBusinessDay('2026-08-14')).toBe(true); // one-off does not recur
    expect(shop.isBusinessDay('2025-01-04')).toBe(false); // Saturday
    expect(shop.isBusinessDay('2025-01-06')).toBe(true);
  });

  it('can stay open on public holidays', () => {
    const open = createBusinessCalendar({ closedWeekdays: [0], closedDates: [], openOnPublicHolidays: true });
    expect(open.isBusinessDay('2025-01-13')).toBe(true);
    expect(open.isPublicHoliday('2025-01-13')).toBe(true);
  });

  it('nextBusinessDay / previousBusinessDay skip Golden Week and 年末年始', () => {
    expect(shop.nextBusinessDay('2024-05-02')).toBe('2024-05-07');
    expect(shop.previousBusinessDay('2024-05-07')).toBe('2024-05-02');
    expect(shop.nextBusinessDay('2024-12-27')).toBe('2025-01-06');
    expect(shop.previousBusinessDay('2025-01-06')).toBe('2024-12-27');
  });

  it('addBusinessDays counts business days across month ends and leap days', () => {
    expect(shop.addBusinessDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(shop.addBusinessDays('2025-02-28', 1)).toBe('2025-03-03');
    expect(shop.addBusinessDays('2025-01-31', 3)).toBe('2025-02-05');
    expect(shop.addBusinessDays('2024-12-26', 3)).toBe('2025-01-07');
    expect(shop.addBusinessDays('2025-01-04', 1)).toBe('2025-01-06'); // from a Saturday
    expect(shop.addBusinessDays('2025-01-04', 0)).toBe('2025-01-06');
    expect(shop.addBusinessDays('2025-01-06', 0)).toBe('2025-01-06');
    expect(shop.addBusinessDays('2025-01-06', -1)).toBe('2024-12-27');
    expect(() => shop.addBusinessDays('2025-01-06', 1.5)).toThrow(RangeError);
  });

  it('bank-transfer due date: order date plus n business days', () => {
    // Ordered on Thursday 2 May 2024, pay within 3 business days: 7, 8, 9 May.
    expect(shop.addBusinessDays('2024-05-02', 3)).toBe('2024-05-09');
  });

  it('shipDate honours the JST cutoff and closed days', () => {
    const opts = { cutoffHour: 14 };
    expect(shop.shipDate(jst('2025-03-10T13:59:00'), opts)).toBe('2025-03-10');
    expect(shop.shipDate(jst('2025-03-10T14:00:00'), opts)).toBe('2025-03-11');
    expect(shop.shipDate(jst('2025-03-14T15:00:00'), opts)).toBe('2025-03-17'); // Friday after cutoff
    expect(shop.shipDate(jst('2025-03-15T09:00:00'), opts)).toBe('2025-03-17'); // Saturday
    // 23:30 UTC on 9 March is already Monday morning in Japan.
    expect(shop.shipDate(new Date('2025-03-09T23:30:00Z'), opts)).toBe('2025-03-10');
  });

  it('earliestDeliveryDate adds transit days in calendar days after shipping', () => {
    const opts = { cutoffHour: 14, leadDays: 1 };
    expect(shop.earliestDeliveryDate(jst('2025-03-10T10:00:00'), opts)).toBe('2025-03-11');
    expect(shop.earliestDeliveryDate(jst('2025-03-14T15:00:00'), opts)).toBe('2025-03-18');
    expect(shop.earliestDeliveryDate(jst('2024-12-27T15:00:00'), { cutoffHour: 14, leadDays: 2 })).toBe('2025-01-08');
    expect(shop.earliestDeliveryDate(jst('2024-05-02T09:00:00'), { cutoffHour: 14, leadDays: 2 })).toBe('2024-05-04');
  });
});

describe('createBankCalendar', () => {
  const bank = createBankCalendar();
  it('closes weekends, holidays and 12/31–1/3', () => {
    expect(bank.isBusinessDay('2025-12-31')).toBe(false);
    expect(bank.isBusinessDay('2026-01-02')).toBe(false);
    expect(bank.isBusinessDay('2025-12-30')).toBe(true);
    expect(bank.isBusinessDay('2026-01-05')).toBe(true);
  });
});
