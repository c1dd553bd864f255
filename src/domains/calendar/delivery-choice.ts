// Validates a buyer's requested delivery date and slot at checkout.

import type { BusinessCalendar } from './business-calendar.ts';
import { addDays, compareIsoDates, type IsoDate, isIsoDate, jstDateTime, weekdayOf } from './calendar-date.ts';
import { type DeliverySlot, deliverySlotByCode } from './delivery-slots.ts';

export interface DeliveryChoice {
  orderedAt: Date;
  /** null = no date requested (最短でお届け). */
  date: string | null;
  /** null = no time slot requested. */
  slot: string | null;
  leadDays: number;
  cutoffHour: number;
  /** How far ahead a date may be requested, counted from the order date. */
  maxDaysAhead?: number;
  /** Whether a date on which the calendar is closed may be requested. */
  allowClosedDays?: boolean;
}

export type DeliveryChoiceError = 'invalid_date' | 'past_date' | 'too_early' | 'too_far' | 'closed_day' | 'unknown_slot';

export type DeliveryChoiceResult =
  | { ok: true; date: IsoDate | null; slot: DeliverySlot | null; earliest: IsoDate }
  | { ok: false; code: DeliveryChoiceError; message: string };

export const DEFAULT_MAX_DAYS_AHEAD = 30;

const WEEKDAYS_JA = ['日', '月', '火', '水', '木', '金', '土'];

/** 2025-01-06 → 1月6日(月) */
export function formatJapaneseDate(date: IsoDate): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日(${WEEKDAYS_JA[weekdayOf(date)]})`;
}

export function validateDeliveryChoice(calendar: BusinessCalendar, choice: DeliveryChoice): DeliveryChoiceResult {
  const earliest = calendar.earliestDeliveryDate(choice.orderedAt, choice);
  let slot: DeliverySlot | null = null;
  if (choice.slot !== null && choice.slot !== '') {
    const found = deliverySlotByCode(choice.slot);
    if (!found) return { ok: false, code: 'unknown_slot', message: '配達時間帯の指定が正しくありません。一覧からお選びください。' };
    slot = found;
  }
  if (choice.date === null || choice.date === '') return { ok: true, date: null, slot, earliest };

  const date = choice.date;
  if (!isIsoDate(date)) return { ok: false, code: 'invalid_date', message: 'お届け日の形式が正しくありません。' };
  const today = jstDateTime(choice.orderedAt).date;
  if (compareIsoDates(date, today) < 0) {
    return { ok: false, code: 'past_date', message: '過去の日付はお届け日に指定できません。' };
  }
  if (compareIsoDates(date, earliest) < 0) {
    return { ok: false, code: 'too_early', message: `お届け日は${formatJapaneseDate(earliest)}以降の日付をご指定ください。` };
  }
  const maxDaysAhead = choice.maxDaysAhead ?? DEFAULT_MAX_DAYS_AHEAD;
  const latest = addDays(today, maxDaysAhead);
  if (compareIsoDates(date, latest) > 0) {
    return {
      ok: false,
      code: 'too_far',
      message: `お届け日はご注文日から${maxDaysAhead}日以内（${formatJapaneseDate(latest)}まで）でご指定ください。`,
    };
  }
  if (!choice.allowClosedDays && !calendar.isBusinessDay(date)) {
    const holiday = calendar.publicHolidayName(date);
    const reason = holiday ? `${formatJapaneseDate(date)}は祝日（${holiday}）のため` : `${formatJapaneseDate(date)}は休業日のため`;
    return { ok: false, code: 'closed_day', message: `${reason}お届け日に指定できません。別の日付をお選びください。` };
  }
  return { ok: true, date, slot, earliest };
}
