import { type PdfDoc, renderPdf } from '../../platform/pdf/pdf-document.ts';
import {
  formatJapaneseDate,
  formatJapaneseDateRange,
  formatQuantity,
  formatTaxRate,
  formatYen,
} from '../../platform/pdf/pdf-format.ts';
import {
  drawAddressBlock,
  drawAmountBanner,
  drawInfoGrid,
  drawNoteBox,
  drawPageFooters,
  drawParagraph,
  drawTable,
  drawTitleBlock,
  type PdfRecipient,
  startRunningHeader,
  type TableColumn,
} from '../../platform/pdf/pdf-layout.ts';
import type { InvoiceTax, TaxRate } from '../tax/invoice-tax.ts';
import {
  assertRegistrationNumber,
  type DateRange,
  drawInvoiceTotals,
  drawPaymentInstructions,
  type InvoiceIssuer,
  type PaymentInstructions,
  REDUCED_RATE_LEGEND,
  REDUCED_RATE_MARK,
} from './invoice-parts.pdf.ts';

// 適格請求書 and 適格返還請求書 (返還インボイス). Every amount arrives computed: `totals` is the
// result of computeInvoiceTax / returnInvoiceTax (tax rounded once per rate per invoice), and
// lines are shaped so the same objects can be passed to those functions. This file only draws.

export interface InvoiceLine {
  name: string;
  quantity: number;
  /** 個, 本, 箱… */
  unit?: string;
  unitPriceExclTax: number;
  amountExclTax: number;
  rate: TaxRate;
  /** 取引年月日 of this line when the invoice covers several deliveries (YYYY-MM-DD). */
  transactionDate?: string;
}

interface QualifiedInvoiceCommon {
  documentNumber: string;
  /** YYYY-MM-DD */
  issueDate: string;
  buyer: PdfRecipient;
  issuer: InvoiceIssuer;
  lines: InvoiceLine[];
  /** Per-rate bases and tax plus the totals; `total` is what is billed (or given back). */
  totals: InvoiceTax;
  notes?: string[];
  /** Fix for reproducible bytes; defaults to now. */
  generatedAt?: Date;
}

export interface StandardQualifiedInvoiceModel extends QualifiedInvoiceCommon {
  kind: 'invoice';
  /** 取引年月日: a single day when from === to. */
  transactionPeriod: DateRange;
  payment: PaymentInstructions;
}

export interface ReturnQualifiedInvoiceModel extends QualifiedInvoiceCommon {
  kind: 'return';
  /** 返品等の年月日 */
  returnDate: string;
  originalInvoice: { documentNumber: string; issueDate: string };
  /** 取引年月日 of the original sale. */
  originalTransactionPeriod: DateRange;
}

export type QualifiedInvoiceModel = StandardQualifiedInvoiceModel | ReturnQualifiedInvoiceModel;

function lineColumns(withDates: boolean, amountHeader: string): TableColumn[] {
  return [
    ...(withDates ? [{ header: '取引日', width: 11, align: 'center' as const }] : []),
    { header: '品名', width: withDates ? 38 : 46 },
    { header: '数量', width: 9, align: 'right' },
    { header: '単価', width: 12, align: 'right' },
    { header: amountHeader, width: 14, align: 'right' },
    { header: '税率', width: 8, align: 'center' },
  ];
}

function formatShortDate(isoDate: string): string {
  return formatJapaneseDate(isoDate).replace(/^\d+年/, '');
}

function lineCells(line: InvoiceLine, withDates: boolean): string[] {
  const reduced = line.rate === 8 ? ` ${REDUCED_RATE_MARK}` : '';
  return [
    ...(withDates ? [line.transactionDate ? formatShortDate(line.transactionDate) : ''] : []),
    line.name + reduced,
    formatQuantity(line.quantity) + (line.unit ?? ''),
    formatYen(line.unitPriceExclTax),
    formatYen(line.amountExclTax),
    formatTaxRate(line.rate) + reduced,
  ];
}

function drawLinesAndTotals(doc: PdfDoc, model: QualifiedInvoiceModel, labels: { amount: string; total: string }): void {
  const withDates = model.lines.some((line) => line.transactionDate !== undefined);
  drawTable(doc, {
    columns: lineColumns(withDates, labels.amount),
    rows: model.lines.map((line) => ({ cells: lineCells(line, withDates) })),
    zebra: true,
  });
  if (model.lines.some((line) => line.rate === 8)) {
    drawParagraph(doc, REDUCED_RATE_LEGEND);
  }
  drawInvoiceTotals(doc, {
    perRate: model.totals.perRate,
    taxableCaption: model.kind === 'return' ? '返還額（税抜）' : '税抜金額',
    summary: [
      { label: '小計（税抜）', values: [formatYen(model.totals.subtotal)] },
      { label: '消費税', values: [formatYen(model.totals.tax)] },
      { label: labels.total, values: [formatYen(model.totals.total)], strong: true },
    ],
  });
}

function drawStandardInvoice(doc: PdfDoc, model: StandardQualifiedInvoiceModel): void {
  startRunningHeader(doc, `請求書 No. ${model.documentNumber}（続き）`);
  drawTitleBlock(doc, {
    title: '請求書',
    subtitle: '（適格請求書）',
    meta: [
      ['請求書番号', model.documentNumber],
      ['発行日', formatJapaneseDate(model.issueDate)],
    ],
  });
  drawAddressBlock(doc, {
    recipient: model.buyer,
    issuer: model.issuer,
    lead: '下記のとおりご請求申し上げます。',
  });
  drawAmountBanner(doc, { label: 'ご請求金額', amount: formatYen(model.totals.total), note: '（税込）' });
  drawInfoGrid(doc, [
    ['取引年月日', formatJapaneseDateRange(model.transactionPeriod.from, model.transactionPeriod.to)],
    ['お支払期限', formatJapaneseDate(model.payment.dueDate)],
  ]);
  drawLinesAndTotals(doc, model, { amount: '金額（税抜）', total: '合計（税込）' });
  drawPaymentInstructions(doc, model.payment);
  drawNoteBox(doc, '備考', model.notes ?? []);
  drawPageFooters(doc, { label: model.documentNumber });
}

function drawReturnInvoice(doc: PdfDoc, model: ReturnQualifiedInvoiceModel): void {
  startRunningHeader(doc, `返還インボイス No. ${model.documentNumber}（続き）`);
  drawTitleBlock(doc, {
    title: '返還インボイス',
    subtitle: '（適格返還請求書）',
    meta: [
      ['文書番号', model.documentNumber],
      ['発行日', formatJapaneseDate(model.issueDate)],
    ],
  });
  drawAddressBlock(doc, {
    recipient: model.buyer,
    issuer: model.issuer,
    lead: '下記のとおり返品（返還）をお受けいたしました。',
  });
  drawAmountBanner(doc, { label: '返還金額', amount: formatYen(model.totals.total), note: '（税込）' });
  drawInfoGrid(doc, [
    ['返品年月日', formatJapaneseDate(model.returnDate)],
    [
      '元の取引年月日',
      formatJapaneseDateRange(model.originalTransactionPeriod.from, model.originalTransactionPeriod.to),
    ],
    ['元の請求書番号', model.originalInvoice.documentNumber],
    ['元の請求書発行日', formatJapaneseDate(model.originalInvoice.issueDate)],
  ]);
  drawLinesAndTotals(doc, model, { amount: '返還額（税抜）', total: '返還額合計（税込）' });
  drawNoteBox(doc, '備考', model.notes ?? []);
  drawPageFooters(doc, { label: model.documentNumber });
}

export async function renderQualifiedInvoicePdf(model: QualifiedInvoiceModel): Promise<Buffer> {
  assertRegistrationNumber(model.issuer.registrationNumber);
  const isReturn = model.kind === 'return';
  return renderPdf(
    {
      title: `${isReturn ? '返還インボイス' : '請求書'} ${model.documentNumber}`,
      author: model.issuer.name,
      subject: isReturn ? '適格返還請求書' : '適格請求書',
      ...(model.generatedAt && { creationDate: model.generatedAt }),
    },
    (doc) => (model.kind === 'return' ? drawReturnInvoice(doc, model) : drawStandardInvoice(doc, model)),
  );
}
