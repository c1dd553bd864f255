import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, daysInMonth, isIsoDate, jstDateTime, makeIsoDate, shiftMonth, weekdayOf } from './calendar-date.ts';

describe('calendar-date', () => {
  it('validates real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(() => makeIsoDate(2025, 4, 31)).toThrow(RangeError);
  });

  it('adds days across month and year ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('knows weekdays and month lengths', () => {
    expect(weekdayOf('2025-01-01')).toBe(3);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(shiftMonth(2025, 12, 1)).toEqual({ year: 2026, month: 1 });
    expect(shiftMonth(2025, 1, -1)).toEqual({ year: 2024, month: 12 });
  });

  it('reads instants in JST regardless of the process time zone', () => {
    // 2024-12-31T15:30Z is 2025-01-01 00:30 in Japan.
    expect(jstDateTime(new Date('2024-12-31T15:30:00Z'))).toEqual({ date: '2025-01-01', hour: 0, minute: 30 });
    expect(jstDateTime(new Date('2025-03-10T05:59:00Z'))).toEqual({ date: '2025-03-10', hour: 14, minute: 59 });
  });
});
