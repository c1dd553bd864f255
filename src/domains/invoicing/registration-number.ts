// 適格請求書発行事業者登録番号: "T" + 13 digits. For a corporation the 13 digits are its 法人番号;
// individuals get a 13-digit number from the same numbering rule. The first digit is a check
// digit over the 12 base digits (法人番号の指定等に関する省令 第二条):
//   9 − ((Σ_{n=1..12} Pn × Qn) mod 9), Pn = n-th digit counted from the lowest (rightmost) base
//   digit, Qn = 1 for odd n and 2 for even n.
// Worked example from the published explanation: 7123456789012 → Σ = 74, 74 mod 9 = 2, 9 − 2 = 7.

export type RegistrationNumberResult = { ok: true; value: string } | { ok: false; message: string };

export function corporateNumberCheckDigit(baseDigits: string): number {
  if (!/^[0-9]{12}$/.test(baseDigits)) throw new RangeError('base number must be exactly 12 digits');
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const digit = baseDigits.charCodeAt(12 - n) - 48;
    sum += digit * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

/** True for a 13-digit 法人番号 whose leading check digit matches its 12 base digits. */
export function isValidCorporateNumber(digits: string): boolean {
  if (!/^[1-9][0-9]{12}$/.test(digits)) return false;
  return corporateNumberCheckDigit(digits.slice(1)) === digits.charCodeAt(0) - 48;
}

// Hyphen look-alikes users paste from PDFs and word processors; 'ー' is typed for '-' on
// Japanese keyboards often enough to accept it in a number field.
const SEPARATORS = /[\s\-‐‑‒–—―−ｰー]/gu;

export function normalizeRegistrationNumberInput(input: string): string {
  return input.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
}

export function parseRegistrationNumber(input: string): RegistrationNumberResult {
  const compact = normalizeRegistrationNumberInput(input);
  if (compact === '') return { ok: false, message: '登録番号を入力してください。' };
  if (/^[0-9]{13}$/.test(compact)) {
    return { ok: false, message: '登録番号は先頭の「T」を含めて入力してください（例: T1234567890123）。' };
  }
  if (!/^T[0-9]+$/.test(compact)) {
    return { ok: false, message: '登録番号は「T」と13桁の数字で入力してください（例: T1234567890123）。' };
  }
  const digits = compact.slice(1);
  if (digits.length !== 13) {
    return { ok: false, message: `登録番号の数字は13桁です（入力された数字は${digits.length}桁です）。` };
  }
  if (!isValidCorporateNumber(digits)) {
    return { ok: false, message: '登録番号に誤りがあります。数字の入力間違いがないかご確認ください。' };
  }
  return { ok: true, value: compact };
}

/** For values already stored: canonical form and a correct check digit. */
export function isRegistrationNumber(value: string): boolean {
  return /^T[0-9]{13}$/.test(value) && isValidCorporateNumber(value.slice(1));
}
