import type { PdfDoc } from '../../platform/pdf/pdf-document.ts';
import { formatJapaneseDate, formatYen } from '../../platform/pdf/pdf-format.ts';
import { drawNoteBox, drawTotalsBox, type PdfIssuer, type TotalsRow } from '../../platform/pdf/pdf-layout.ts';

// Pieces shared by the qualified invoice and the monthly statement: both are 適格請求書 and must
// show the same issuer, per-rate breakdown and payment details in the same way.

export type TaxRatePercent = 10 | 8;

/** One rate's share of a document: the tax-excluded amount and the tax, rounded once per rate. */
export interface RateTotal {
  ratePercent: TaxRatePercent;
  taxableAmount: number;
  tax: number;
}

/** Inclusive range of calendar dates, YYYY-MM-DD. */
export interface DateRange {
  from: string;
  to: string;
}

export interface InvoiceIssuer extends PdfIssuer {
  registrationNumber: string;
}

export interface BankAccount {
  bankName: string;
  branchName: string;
  accountType: '普通' | '当座';
  accountNumber: string;
  /** Account holder as the bank spells it, usually half-width katakana (ｶ)ｵﾛｼ. */
  accountHolder: string;
}

export const REDUCED_RATE_MARK = '※';
export const REDUCED_RATE_LEGEND = '※は軽減税率（8%）対象商品です。';

const REGISTRATION_NUMBER = /^T\d{13}$/;

/**
 * A qualified invoice without a well-formed registration number is not a qualified invoice, so
 * refuse to print one. (The check digit is verified where the number is entered.)
 */
export function assertRegistrationNumber(registrationNumber: string): void {
  if (!REGISTRATION_NUMBER.test(registrationNumber)) {
    throw new RangeError(
      `registration number must be "T" followed by 13 digits, got "${registrationNumber}"`,
    );
  }
}

export function rateLabel(ratePercent: TaxRatePercent): string {
  return ratePercent === 8 ? '8%対象（軽減税率）' : `${ratePercent}%対象`;
}

/** Rows for a totals box captioned [税抜金額, 消費税額]: "10%対象 | ¥100,000 | ¥10,000". */
export function rateTotalRows(rateTotals: readonly RateTotal[]): TotalsRow[] {
  return [...rateTotals]
    .sort((a, b) => b.ratePercent - a.ratePercent)
    .map((total) => ({
      label: rateLabel(total.ratePercent),
      values: [formatYen(total.taxableAmount), formatYen(total.tax)],
    }));
}

/** The per-rate breakdown a qualified invoice must show: 税抜 and 消費税 for each rate. */
export function drawRateBreakdown(
  doc: PdfDoc,
  rateTotals: readonly RateTotal[],
  taxableCaption = '税抜金額',
): void {
  drawTotalsBox(doc, { captions: [taxableCaption, '消費税額'], rows: rateTotalRows(rateTotals), width: 330 });
}

export function drawSummaryTotals(doc: PdfDoc, rows: readonly TotalsRow[]): void {
  drawTotalsBox(doc, { rows, width: 280 });
}

export interface PaymentInstructions {
  /** YYYY-MM-DD */
  dueDate: string;
  bankAccount: BankAccount;
}

export function drawPaymentInstructions(doc: PdfDoc, payment: PaymentInstructions): void {
  const account = payment.bankAccount;
  drawNoteBox(doc, 'お振込先', [
    `${account.bankName} ${account.branchName}  ${account.accountType} ${account.accountNumber}`,
    `口座名義: ${account.accountHolder}`,
    `お支払期限: ${formatJapaneseDate(payment.dueDate)}`,
  ]);
}
