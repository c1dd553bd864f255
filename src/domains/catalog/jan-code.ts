// JAN is the Japanese name for EAN-13 / EAN-8 (GS1 prefixes 45 and 49 are Japan's).
// Check digit: weights 3,1,3,… from the digit next to the check digit leftwards; the check digit
// brings the weighted sum up to a multiple of 10.

export type JanKind = 'EAN-13' | 'EAN-8';
export type JanResult = { ok: true; value: string; kind: JanKind } | { ok: false; message: string };

/** Check digit for 12 (EAN-13) or 7 (EAN-8) body digits. */
export function janCheckDigit(body: string): number {
  if (!/^[0-9]{7}$|^[0-9]{12}$/.test(body)) throw new RangeError('JAN body must be 7 or 12 digits');
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

const SEPARATORS = /[\s\-‐‑‒–—―−ｰー]/gu;

export function normalizeJanInput(input: string): string {
  return input.normalize('NFKC').replace(SEPARATORS, '');
}

/** Accepts full-width digits, spaces and hyphens. */
export function isValidJan(input: string): boolean {
  return parseJan(input).ok;
}

/** True when a valid EAN-13 carries a Japanese GS1 prefix (45 or 49). */
export function isJapaneseJan(code: string): boolean {
  return code.length === 13 && (code.startsWith('45') || code.startsWith('49')) && isValidJan(code);
}

export function parseJan(input: string): JanResult {
  const code = normalizeJanInput(input);
  if (code === '') return { ok: false, message: 'JANコードを入力してください。' };
  if (!/^[0-9]+$/.test(code)) return { ok: false, message: 'JANコードは数字のみで入力してください。' };
  if (code.length !== 13 && code.length !== 8) {
    return { ok: false, message: `JANコードは13桁または8桁です（入力された数字は${code.length}桁です）。` };
  }
  const expected = janCheckDigit(code.slice(0, -1));
  if (expected !== code.charCodeAt(code.length - 1) - 48) {
    return { ok: false, message: 'JANコードのチェックデジット（最後の1桁）が正しくありません。入力内容をご確認ください。' };
  }
  return { ok: true, value: code, kind: code.length === 13 ? 'EAN-13' : 'EAN-8' };
}
