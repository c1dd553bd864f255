/**
 * Japan Standard Time has no daylight saving: a fixed +09:00 offset. Incident times are entered
 * and shown in JST ("2025-04-20 10:15:30"), stored as timestamptz.
 */

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "2025-04-20T10:15:30" (or "2025-04-20 10:15") read as JST; null when malformed or not a real time. */
export function parseJst(value: string): Date | null {
  const m = LOCAL.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '00'].map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s) - JST_OFFSET_MS;
  const back = new Date(utc + JST_OFFSET_MS);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(utc);
}

function parts(date: Date) {
  const j = new Date(date.getTime() + JST_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { y: j.getUTCFullYear(), mo: pad(j.getUTCMonth() + 1), d: pad(j.getUTCDate()), h: pad(j.getUTCHours()), mi: pad(j.getUTCMinutes()), s: pad(j.getUTCSeconds()) };
}

/** "2025-04-20 10:15:30" in JST (for forms: value of a datetime field without the zone). */
export function formatJstInput(date: Date): string {
  const p = parts(date);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}`;
}

/** "2025年4月20日 10:15:30 (JST)". */
export function formatJst(date: Date): string {
  const p = parts(date);
  return `${p.y}年${Number(p.mo)}月${Number(p.d)}日 ${p.h}:${p.mi}:${p.s} (JST)`;
}

/** "2025年4月20日". */
export function formatJstDate(date: Date): string {
  const p = parts(date);
  return `${p.y}年${Number(p.mo)}月${Number(p.d)}日`;
}

/** The last second of the JST calendar day `days` after the JST day of `from`. */
export function endOfJstDayAfter(from: Date, days: number): Date {
  const j = new Date(from.getTime() + JST_OFFSET_MS);
  const endLocal = Date.UTC(j.getUTCFullYear(), j.getUTCMonth(), j.getUTCDate() + days, 23, 59, 59);
  return new Date(endLocal - JST_OFFSET_MS);
}
