/** Order quantities: whole numbers 1–100,000, at least the variant's minimum, in its multiples. */

export const MAX_QUANTITY = 100_000;

export type QuantityParse = { ok: true; value: number } | { ok: false; message: string };

/** Reads what a buyer typed: full-width digits and surrounding spaces are fine, anything else is not. */
export function parseQuantity(raw: unknown): QuantityParse {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.normalize('NFKC').trim() : '';
  if (text === '') return { ok: false, message: '数量を入力してください。' };
  if (/^-\d/.test(text)) return { ok: false, message: '数量は1以上の整数で入力してください。' };
  if (!/^\d{1,7}$/.test(text)) {
    if (/^\d+$/.test(text)) return { ok: false, message: `数量は${MAX_QUANTITY.toLocaleString('ja-JP')}以下で入力してください。` };
    return { ok: false, message: '数量は半角または全角の整数で入力してください。' };
  }
  const value = Number(text);
  if (value < 1) return { ok: false, message: '数量は1以上の整数で入力してください。' };
  if (value > MAX_QUANTITY) return { ok: false, message: `数量は${MAX_QUANTITY.toLocaleString('ja-JP')}以下で入力してください。` };
  return { ok: true, value };
}

export interface QuantityRule {
  minQuantity: number;
  orderMultiple: number;
}

/** null when the quantity may be ordered, else the reason in Japanese. */
export function quantityRuleError(quantity: number, rule: QuantityRule): string | null {
  if (!Number.isInteger(quantity) || quantity < 1) return '数量は1以上の整数で入力してください。';
  if (quantity > MAX_QUANTITY) return `数量は${MAX_QUANTITY.toLocaleString('ja-JP')}以下で入力してください。`;
  if (quantity < rule.minQuantity) return `この商品は${rule.minQuantity}個以上でご注文ください。`;
  if (quantity % rule.orderMultiple !== 0) return `この商品は${rule.orderMultiple}個単位でご注文ください（例: ${rule.orderMultiple}、${rule.orderMultiple * 2}）。`;
  return null;
}
