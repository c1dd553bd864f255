import { endOfJstDayAfter } from './jst.ts';

/**
 * The PPC reporting deadlines (個人情報保護法施行規則 第8条): 速報 promptly — within 3–5 days of
 * becoming aware (the operator picks its own target, default 5) — and 確報 within 30 days, or 60
 * when the leak may have been caused with unauthorised intent (a skimmer is). Days are counted
 * from the JST calendar day of awareness, the deadline being the end of the last day.
 */

export type DeadlineKind = 'ppc_preliminary' | 'ppc_final';
export type DeadlineState = 'done' | 'ok' | 'due_soon' | 'overdue';

export interface Deadline {
  kind: DeadlineKind;
  label: string;
  dueAt: Date;
  doneAt: Date | null;
  state: DeadlineState;
  /** Whole days left (negative when passed), counted from `now`. */
  daysLeft: number;
  message: string;
}

export interface DeadlineInput {
  awareAt: Date;
  preliminaryDays: number;
  unauthorisedAccess: boolean;
  preliminaryDoneAt: Date | null;
  finalDoneAt: Date | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Warn this long before a deadline passes.
const WARN_BEFORE_MS: Record<DeadlineKind, number> = { ppc_preliminary: 2 * DAY_MS, ppc_final: 7 * DAY_MS };

export function incidentDeadlines(input: DeadlineInput, now: Date): Deadline[] {
  if (input.preliminaryDays < 3 || input.preliminaryDays > 5) throw new RangeError('preliminaryDays must be 3–5');
  const specs: { kind: DeadlineKind; label: string; days: number; doneAt: Date | null }[] = [
    { kind: 'ppc_preliminary', label: '個人情報保護委員会への速報', days: input.preliminaryDays, doneAt: input.preliminaryDoneAt },
    { kind: 'ppc_final', label: '個人情報保護委員会への確報', days: input.unauthorisedAccess ? 60 : 30, doneAt: input.finalDoneAt },
  ];
  return specs.map(({ kind, label, days, doneAt }) => {
    const dueAt = endOfJstDayAfter(input.awareAt, days);
    const remaining = dueAt.getTime() - now.getTime();
    const daysLeft = Math.floor(remaining / DAY_MS);
    let state: DeadlineState;
    let message: string;
    if (doneAt) {
      state = 'done';
      message = doneAt.getTime() <= dueAt.getTime() ? '期限内に提出済み' : '提出済み(期限超過)';
    } else if (remaining < 0) {
      state = 'overdue';
      message = `期限を${Math.ceil(-remaining / DAY_MS)}日過ぎています。直ちに提出してください。`;
    } else if (remaining <= WARN_BEFORE_MS[kind]) {
      state = 'due_soon';
      message = `期限まで残り${Math.max(0, Math.ceil(remaining / (60 * 60 * 1000)))}時間です。`;
    } else {
      state = 'ok';
      message = `期限まで残り${daysLeft}日です。`;
    }
    return { kind, label, dueAt, doneAt, state, daysLeft, message };
  });
}
