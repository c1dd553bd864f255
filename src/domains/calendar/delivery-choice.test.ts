import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from './business-calendar.ts';
import { type DeliveryChoice, formatJapaneseDate, validateDeliveryChoice } from './delivery-choice.ts';
import { deliverySlotByCode, deliverySlots } from './delivery-slots.ts';

const shop = createBusinessCalendar({ closedWeekdays: [0, 6], closedDates: ['12-29', '12-30', '12-31', '01-01', '01-02', '01-03'] });
const jst = (local: string) => new Date(`${local}+09:00`);

const base: DeliveryChoice = {
  orderedAt: jst('2025-03-10T10:00:00'), // Monday, before cutoff
  date: null,
  slot: null,
  leadDays: 1,
  cutoffHour: 14,
};

function rejection(choice: Partial<DeliveryChoice>) {
  const result = validateDeliveryChoice(shop, { ...base, ...choice });
  if (result.ok) throw new Error('expected a rejection');
  return result;
}

describe('delivery slots', () => {
  it('carry Yamato and Sagawa codes', () => {
    expect(deliverySlots.map((s) => s.yamatoCode)).toEqual(['0812', '1416', '1618', '1820', '1921']);
    expect(deliverySlots.map((s) => s.sagawaCode)).toEqual(['01', '14', '16', '18', '19']);
    expect(deliverySlotByCode('am')?.label).toBe('午前中');
    expect(deliverySlotByCode('12-14')).toBeUndefined();
  });
});

describe('validateDeliveryChoice', () => {
  it('accepts no date, and a date on or after the earliest with a known slot', () => {
    expect(validateDeliveryChoice(shop, base)).toEqual({ ok: true, date: null, slot: null, earliest: '2025-03-11' });
    const result = validateDeliveryChoice(shop, { ...base, date: '2025-03-11', slot: '19-21' });
    expect(result.ok && result.slot?.yamatoCode).toBe('1921');
    expect(result.ok && result.date).toBe('2025-03-11');
  });

  it('rejects past dates', () => {
    expect(rejection({ date: '2025-03-09' })).toMatchObject({ code: 'past_date', message: expect.stringContaining('過去') });
  });

  it('rejects dates inside the lead time, naming the earliest date', () => {
    expect(rejection({ date: '2025-03-10' })).toMatchObject({ code: 'too_early', message: expect.stringContaining('3月11日(火)以降') });
    // After the cutoff on Friday the parcel leaves on Monday and arrives Tuesday.
    expect(rejection({ orderedAt: jst('2025-03-14T14:30:00'), date: '2025-03-17' })).toMatchObject({ code: 'too_early' });
  });

  it('rejects dates beyond the horizon', () => {
    expect(rejection({ date: '2025-04-10' })).toMatchObject({ code: 'too_far', message: expect.stringContaining('30日以内') });
    expect(validateDeliveryChoice(shop, { ...base, date: '2025-04-09' }).ok).toBe(true);
    expect(rejection({ date: '2025-03-20', maxDaysAhead: 7 })).toMatchObject({ code: 'too_far' });
  });

  it('rejects public holidays and closed days unless allowed', () => {
    expect(rejection({ date: '2025-03-20' })).toMatchObject({ code: 'closed_day', message: expect.stringContaining('春分の日') });
    expect(rejection({ date: '2025-03-15' })).toMatchObject({ code: 'closed_day', message: expect.stringContaining('休業日') });
    expect(validateDeliveryChoice(shop, { ...base, date: '2025-03-15', allowClosedDays: true }).ok).toBe(true);
  });

  it('rejects malformed dates and unknown slots', () => {
    expect(rejection({ date: '2025/03/12' })).toMatchObject({ code: 'invalid_date' });
    expect(rejection({ date: '2025-02-30' })).toMatchObject({ code: 'invalid_date' });
    expect(rejection({ slot: '12-14' })).toMatchObject({ code: 'unknown_slot' });
  });

  it('formats dates the Japanese way', () => {
    expect(formatJapaneseDate('2025-01-06')).toBe('1月6日(月)');
  });
});
