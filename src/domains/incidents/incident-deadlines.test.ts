import { describe, expect, it } from 'vitest';
import { incidentDeadlines } from './incident-deadlines.ts';
import { formatJst, parseJst } from './jst.ts';

const at = (jst: string) => {
  const d = parseJst(jst);
  if (!d) throw new Error(jst);
  return d;
};
const base = { preliminaryDoneAt: null, finalDoneAt: null };

describe('PPC deadlines', () => {
  it('counts 速報 days across a month end from the JST day of awareness', () => {
    // 23:30 JST on Jan 29 is still Jan 29 in Japan although it is 14:30 UTC.
    const [pre, fin] = incidentDeadlines({ ...base, awareAt: at('2025-01-29T23:30:00'), preliminaryDays: 5, unauthorisedAccess: true }, at('2025-01-30T00:00:00'));
    expect(formatJst(pre!.dueAt)).toBe('2025年2月3日 23:59:59 (JST)');
    // 60 days after Jan 29 (2025 is not a leap year): Mar 30.
    expect(formatJst(fin!.dueAt)).toBe('2025年3月30日 23:59:59 (JST)');
  });

  it('uses 30 days for a leak without unauthorised intent, across February in a leap year', () => {
    const [pre, fin] = incidentDeadlines({ ...base, awareAt: at('2024-02-10T09:00:00'), preliminaryDays: 3, unauthorisedAccess: false }, at('2024-02-10T09:00:00'));
    expect(formatJst(pre!.dueAt)).toBe('2024年2月13日 23:59:59 (JST)');
    expect(formatJst(fin!.dueAt)).toBe('2024年3月11日 23:59:59 (JST)');
  });

  it('handles the year end', () => {
    const [pre] = incidentDeadlines({ ...base, awareAt: at('2025-12-29T08:00:00'), preliminaryDays: 5, unauthorisedAccess: true }, at('2025-12-29T08:00:00'));
    expect(formatJst(pre!.dueAt)).toBe('2026年1月3日 23:59:59 (JST)');
  });

  it('warns before and after a deadline passes, and stops when done', () => {
    const input = { ...base, awareAt: at('2025-04-22T10:00:00'), preliminaryDays: 5, unauthorisedAccess: true };
    expect(incidentDeadlines(input, at('2025-04-23T10:00:00'))[0]!.state).toBe('ok');
    const soon = incidentDeadlines(input, at('2025-04-26T12:00:00'))[0]!;
    expect(soon.state).toBe('due_soon');
    expect(soon.message).toContain('残り');
    const late = incidentDeadlines(input, at('2025-04-28T00:00:01'))[0]!;
    expect(late.state).toBe('overdue');
    expect(late.message).toContain('過ぎています');
    const done = incidentDeadlines({ ...input, preliminaryDoneAt: at('2025-04-25T10:00:00') }, at('2025-05-10T00:00:00'))[0]!;
    expect(done).toMatchObject({ state: 'done', message: '期限内に提出済み' });
  });

  it('refuses a 速報 target outside 3–5 days', () => {
    expect(() => incidentDeadlines({ ...base, awareAt: new Date(), preliminaryDays: 7, unauthorisedAccess: true }, new Date())).toThrow(RangeError);
  });

  it('reads and refuses JST times to the second', () => {
    expect(at('2025-04-13T00:00:00').toISOString()).toBe('2025-04-12T15:00:00.000Z');
    expect(parseJst('2025-02-30T00:00:00')).toBeNull();
    expect(parseJst('2025-04-13T24:00:00')).toBeNull();
    expect(parseJst('yesterday')).toBeNull();
  });
});
