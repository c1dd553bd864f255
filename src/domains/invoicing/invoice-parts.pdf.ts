import type { PdfDoc } from '../../platform/pdf/pdf-document.ts';
import { formatJapaneseDate, formatYen } from '../../platform/pdf/pdf-format.ts';
import { drawNoteBox, drawTotalsBoxPair, type PdfIssuer, type TotalsRow } from '../../platform/pdf/pdf-layout.ts';
import type { PerRateTax, TaxRate } from '../tax/invoice-tax.ts';
import { isRegistrationNumber } from './registration-number.ts';

// Pieces shared by the qualified invoice and the monthly statement: both are 適格請求書 and must
// show the same issuer, per-rate breakdown and payment details in the same way.

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

/**
 * A qualified invoice without a valid registration number is not a qualified invoice, so refuse
 * to print one rather than hand a buyer a document they cannot deduct tax with.
 */
export function assertRegistrationNumber(registrationNumber: string): void {
  if (!isRegistrationNumber(registrationNumber)) {
    throw new RangeError(
      `registration number must be "T" + 13 digits with a valid check digit, got "${registrationNumber}"`,
    );
  }
}

export function rateLabel(rate: TaxRate): string {
  return rate === 8 ? '8%対象（軽減税率）' : `${rate}%対象`;
}

/** Rows for a totals box captioned [税抜金額, 消費税額]: "10%対象 | ¥100,000 | ¥10,000". */
function perRateRows(perRate: readonly PerRateTax[]): TotalsRow[] {
  return [...perRate]
    .sort((a, b) => b.rate - a.rate)
    .map((entry) => ({ label: rateLabel(entry.rate), values: [formatYen(entry.base), formatYen(entry.tax)] }));
}

/**
 * The totals of a qualified invoice: the per-rate breakdown it must show (税抜 and 消費税 for
 * each rate) on the left, the document's own totals on the right.
 */
export function drawInvoiceTotals(
  doc: PdfDoc,
  totals: { perRate: readonly PerRateTax[]; summary: readonly TotalsRow[]; taxableCaption?: string },
): void {
  drawTotalsBoxPair(
    doc,
    {
      captions: [totals.taxableCaption ?? '税抜金額', '消費税額'],
      rows: perRateRows(totals.perRate),
      width: 256,
      labelWidth: 100,
    },
    { rows: totals.summary, width: 245, labelWidth: 130 },
  );
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
