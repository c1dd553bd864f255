// Text formatting for printed documents. Amounts arrive already computed (integer yen);
// these functions only decide how they look on paper.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function groupThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `12345` → `¥12,345` (prefix) or `12,345円` (suffix); negatives get a leading minus. */
export function formatYen(amount: number, style: 'prefix' | 'suffix' = 'prefix'): string {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`yen amount must be a whole number, got ${amount}`);
  }
  const sign = amount < 0 ? '-' : '';
  const digits = groupThousands(Math.abs(amount));
  return style === 'prefix' ? `${sign}¥${digits}` : `${sign}${digits}円`;
}

export function formatQuantity(quantity: number): string {
  if (!Number.isFinite(quantity)) throw new RangeError(`quantity must be finite, got ${quantity}`);
  const [whole, fraction] = String(Math.abs(quantity)).split('.');
  const sign = quantity < 0 ? '-' : '';
  return sign + groupThousands(Number(whole)) + (fraction ? `.${fraction}` : '');
}

/** `2026-11-20` → `2026年11月20日`. Calendar dates travel as ISO strings to avoid time zones. */
export function formatJapaneseDate(isoDate: string): string {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new RangeError(`expected a YYYY-MM-DD date, got "${isoDate}"`);
  const [, year, month, day] = match;
  return `${year}年${Number(month)}月${Number(day)}日`;
}

/** `2026-10-21`..`2026-11-20` → `2026年10月21日〜2026年11月20日`; a one-day range prints once. */
export function formatJapaneseDateRange(from: string, to: string): string {
  return from === to
    ? formatJapaneseDate(from)
    : `${formatJapaneseDate(from)}〜${formatJapaneseDate(to)}`;
}

export function formatTaxRate(ratePercent: number): string {
  return `${ratePercent}%`;
}
