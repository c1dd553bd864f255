/**
 * Check digits for the two codes the demo catalog fabricates: JAN (EAN-13) barcodes and
 * 法人番号-based qualified-invoice registration numbers (T + 13 digits).
 */

function digitsOf(text: string, length: number, what: string): number[] {
  if (!new RegExp(`^\\d{${length}}$`).test(text)) {
    throw new Error(`${what} must be ${length} digits: ${text}`);
  }
  return [...text].map(Number);
}

/** EAN-13 check digit for the first 12 digits: weights 1,3,1,3… from the left. */
export function janCheckDigit(first12: string): number {
  const digits = digitsOf(first12, 12, 'JAN body');
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
  return (10 - (sum % 10)) % 10;
}

export function isValidJan13(jan: string): boolean {
  if (!/^\d{13}$/.test(jan)) return false;
  return janCheckDigit(jan.slice(0, 12)) === Number(jan[12]);
}

/**
 * 法人番号 check digit (it is the FIRST of the 13 digits): 9 − (Σ Pn·Qn mod 9), where Pn is the
 * n-th of the 12 base digits counted from the lowest and Qn is 1 for odd n, 2 for even n.
 */
export function corporateNumberCheckDigit(base12: string): number {
  const digits = digitsOf(base12, 12, 'Corporate number base');
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    sum += digits[12 - n]! * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

export function registrationNumberFor(base12: string): string {
  return `T${corporateNumberCheckDigit(base12)}${base12}`;
}

export function isValidRegistrationNumber(value: string): boolean {
  const match = /^T(\d)(\d{12})$/.exec(value);
  if (!match) return false;
  return corporateNumberCheckDigit(match[2]!) === Number(match[1]);
}
