import { type PdfDoc, renderPdf } from '../../platform/pdf/pdf-document.ts';
import { formatJapaneseDate, formatJapaneseDateRange, formatYen } from '../../platform/pdf/pdf-format.ts';
import {
  drawAddressBlock,
  drawAmountBanner,
  drawInfoGrid,
  drawNoteBox,
  drawPageFooters,
  drawSectionHeading,
  drawTable,
  drawTitleBlock,
  type PdfRecipient,
  startRunningHeader,
} from '../../platform/pdf/pdf-layout.ts';
import type { InvoiceTax, TaxRate } from '../tax/invoice-tax.ts';
import {
  assertRegistrationNumber,
  type DateRange,
  drawInvoiceTotals,
  drawPaymentInstructions,
  type InvoiceIssuer,
  type PaymentInstructions,
} from './invoice-parts.pdf.ts';

// 請求書（締め請求）for 掛け払い members: one document per closing period that lists every
// delivery in the period and is itself a qualified invoice (registration number, per-rate tax
// computed once over the period). All balances arrive computed by the closing job.

/** One order or delivery in the period; returns and discounts carry negative amounts. */
export interface StatementEntry {
  /** 納品日 (YYYY-MM-DD) */
  date: string;
  orderNumber: string;
  /** 納品書番号 or a short 摘要 such as 返品. */
  description?: string;
  amountsExclTax: Partial<Record<TaxRate, number>>;
}

export interface MonthlyStatementModel {
  documentNumber: string;
  /** YYYY-MM-DD */
  issueDate: string;
  closingPeriod: DateRange;
  /** e.g. 20日締め翌月末払い */
  paymentTerms?: string;
  buyer: PdfRecipient;
  issuer: InvoiceIssuer;
  /** 前回ご請求額 */
  previousBalance: number;
  /** ご入金額 in the period */
  paymentsReceived: number;
  /** 繰越金額 = previous balance − payments (may be negative after an overpayment) */
  carriedOver: number;
  entries: StatementEntry[];
  /** This period's purchases, tax computed once per rate over the whole period. */
  purchases: InvoiceTax;
  /** 今回ご請求額 = carried over + this period's purchases incl. tax */
  amountDue: number;
  payment: PaymentInstructions;
  notes?: string[];
  /** Fix for reproducible bytes; defaults to now. */
  generatedAt?: Date;
}

const STATEMENT_RATES: readonly TaxRate[] = [10, 8];

function drawBalanceSummary(doc: PdfDoc, model: MonthlyStatementModel): void {
  const figures: Array<[string, number]> = [
    ['前回ご請求額', model.previousBalance],
    ['ご入金額', model.paymentsReceived],
    ['繰越金額', model.carriedOver],
    ['今回お買上額', model.purchases.subtotal],
    ['消費税額', model.purchases.tax],
    ['今回ご請求額', model.amountDue],
  ];
  drawTable(doc, {
    columns: figures.map(([header]) => ({ header, width: 1, align: 'right' })),
    rows: [{ cells: figures.map(([, amount]) => formatYen(amount)) }],
    fontSize: 9,
  });
}

function drawEntries(doc: PdfDoc, model: MonthlyStatementModel): void {
  drawSectionHeading(
    doc,
    `お取引明細（${formatJapaneseDateRange(model.closingPeriod.from, model.closingPeriod.to)}）`,
  );
  drawTable(doc, {
    columns: [
      { header: '納品日', width: 14, align: 'center' },
      { header: '注文番号', width: 18 },
      { header: '摘要', width: 28 },
      ...STATEMENT_RATES.map((rate) => ({
        header: `${rate}%対象（税抜）`,
        width: 16,
        align: 'right' as const,
      })),
    ],
    rows: model.entries.map((entry) => ({
      cells: [
        formatJapaneseDate(entry.date),
        entry.orderNumber,
        entry.description ?? '',
        ...STATEMENT_RATES.map((rate) => {
          const amount = entry.amountsExclTax[rate];
          return amount === undefined ? '' : formatYen(amount);
        }),
      ],
    })),
    zebra: true,
  });
}

export async function renderMonthlyStatementPdf(model: MonthlyStatementModel): Promise<Buffer> {
  assertRegistrationNumber(model.issuer.registrationNumber);
  const period = formatJapaneseDateRange(model.closingPeriod.from, model.closingPeriod.to);
  return renderPdf(
    {
      title: `請求書 ${model.documentNumber}（${period}）`,
      author: model.issuer.name,
      subject: '適格請求書（締め請求）',
      ...(model.generatedAt && { creationDate: model.generatedAt }),
    },
    (doc) => {
      startRunningHeader(doc, `請求書 No. ${model.documentNumber}（${period}）（続き）`);
      drawTitleBlock(doc, {
        title: '請求書',
        subtitle: '（締め請求・適格請求書）',
        meta: [
          ['請求書番号', model.documentNumber],
          ['締日', formatJapaneseDate(model.closingPeriod.to)],
          ['発行日', formatJapaneseDate(model.issueDate)],
        ],
      });
      drawAddressBlock(doc, {
        recipient: model.buyer,
        issuer: model.issuer,
        lead: '毎度ありがとうございます。下記のとおりご請求申し上げます。',
      });
      drawAmountBanner(doc, { label: '今回ご請求額', amount: formatYen(model.amountDue), note: '（税込）' });
      drawInfoGrid(doc, [
        ['対象期間', period],
        ['お支払期限', formatJapaneseDate(model.payment.dueDate)],
        ...(model.paymentTerms ? [['お取引条件', model.paymentTerms] as const] : []),
      ]);
      drawBalanceSummary(doc, model);
      drawEntries(doc, model);
      drawInvoiceTotals(doc, {
        perRate: model.purchases.perRate,
        summary: [
          { label: '今回お買上額（税抜）', values: [formatYen(model.purchases.subtotal)] },
          { label: '消費税', values: [formatYen(model.purchases.tax)] },
          { label: '今回お買上額（税込）', values: [formatYen(model.purchases.total)], strong: true },
        ],
      });
      drawPaymentInstructions(doc, model.payment);
      drawNoteBox(doc, '備考', model.notes ?? []);
      drawPageFooters(doc, { label: model.documentNumber });
    },
  );
}
