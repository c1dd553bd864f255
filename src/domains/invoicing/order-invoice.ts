import type { PdfRecipient } from '../../platform/pdf/pdf-layout.ts';
import type { ShopSettings } from '../orders/shop-settings.ts';
import { ConflictError } from '../shared/domain-error.ts';
import { computeInvoiceTax, returnInvoiceTax, type TaxRate } from '../tax/invoice-tax.ts';
import type { InvoiceIssuer, PaymentInstructions } from './invoice-parts.pdf.ts';
import type { InvoiceLine, ReturnQualifiedInvoiceModel, StandardQualifiedInvoiceModel } from './qualified-invoice.pdf.ts';

/**
 * Turns an order (and its returns) into qualified-invoice models. Goods keep their own rate;
 * shipping and the COD fee are standard-rate services; discounts are negative lines of the rate
 * they reduce. Tax is never summed from lines: computeInvoiceTax rounds once per rate.
 */

export interface InvoiceOrder {
  order_number: string;
  shipping_fee_excl_tax: number;
  cod_fee_excl_tax: number;
  payment_due_date: string | null;
  payment_status: string;
  po_number: string;
}

export interface InvoiceOrderLine {
  line_no: number;
  name: string;
  capacity: string;
  sku: string;
  quantity: number;
  unit_price_excl_tax: number;
  line_total_excl_tax: number;
  tax_rate: TaxRate;
}

/** 値引き and other adjustments: a negative amount at the rate of the goods it reduces. */
export interface InvoiceAdjustment {
  name: string;
  amountExclTax: number;
  rate: TaxRate;
}

export interface BuyerAccount {
  company_name: string;
  salon_name: string;
  postal_code: string;
  prefecture: string;
  city: string;
  address_line1: string;
  address_line2: string;
}

export function issuerOf(settings: Pick<ShopSettings, 'registrationNumber' | 'issuerName' | 'issuerPostalCode' | 'issuerAddress' | 'issuerPhone'>): InvoiceIssuer {
  if (!settings.registrationNumber) throw new ConflictError('適格請求書発行事業者の登録番号がショップ設定にないため、適格請求書を発行できません。');
  return {
    name: settings.issuerName,
    postalCode: settings.issuerPostalCode ? `${settings.issuerPostalCode.slice(0, 3)}-${settings.issuerPostalCode.slice(3)}` : undefined,
    addressLines: settings.issuerAddress ? [settings.issuerAddress] : [],
    phone: settings.issuerPhone || undefined,
    registrationNumber: settings.registrationNumber,
  };
}

export function recipientOf(account: BuyerAccount): PdfRecipient {
  return {
    name: account.company_name,
    honorific: '御中',
    postalCode: `${account.postal_code.slice(0, 3)}-${account.postal_code.slice(3)}`,
    addressLines: [`${account.prefecture}${account.city}${account.address_line1}`, account.address_line2, account.salon_name !== account.company_name ? account.salon_name : ''].filter(Boolean),
  };
}

export function paymentOf(settings: Pick<ShopSettings, 'bankAccount'>, dueDate: string): PaymentInstructions {
  const bank = settings.bankAccount;
  return {
    dueDate,
    bankAccount: bank ?? { bankName: '（振込先未設定）', branchName: '', accountType: '普通', accountNumber: '', accountHolder: '' },
  };
}

function itemName(line: Pick<InvoiceOrderLine, 'name' | 'capacity' | 'sku'>): string {
  return `${line.name}${line.capacity ? ` ${line.capacity}` : ''}（${line.sku}）`;
}

export function orderInvoiceLines(order: Pick<InvoiceOrder, 'shipping_fee_excl_tax' | 'cod_fee_excl_tax'>, lines: readonly InvoiceOrderLine[], adjustments: readonly InvoiceAdjustment[] = []): InvoiceLine[] {
  const out: InvoiceLine[] = lines.map((l) => ({
    name: itemName(l),
    quantity: l.quantity,
    unitPriceExclTax: l.unit_price_excl_tax,
    amountExclTax: l.line_total_excl_tax,
    rate: l.tax_rate,
  }));
  for (const a of adjustments) out.push({ name: a.name, quantity: 1, unitPriceExclTax: a.amountExclTax, amountExclTax: a.amountExclTax, rate: a.rate });
  if (order.shipping_fee_excl_tax) out.push({ name: '送料', quantity: 1, unitPriceExclTax: order.shipping_fee_excl_tax, amountExclTax: order.shipping_fee_excl_tax, rate: 10 });
  if (order.cod_fee_excl_tax) out.push({ name: '代引手数料', quantity: 1, unitPriceExclTax: order.cod_fee_excl_tax, amountExclTax: order.cod_fee_excl_tax, rate: 10 });
  return out;
}

export interface OrderInvoiceInput {
  documentNumber: string;
  issueDate: string;
  /** 取引年月日: the day the goods left (or the order day before shipment). */
  transactionDate: string;
  order: InvoiceOrder;
  lines: readonly InvoiceOrderLine[];
  adjustments?: readonly InvoiceAdjustment[];
  account: BuyerAccount;
  settings: ShopSettings;
  supersedes?: { documentNumber: string } | null;
}

export function buildOrderInvoiceModel(input: OrderInvoiceInput): StandardQualifiedInvoiceModel {
  const lines = orderInvoiceLines(input.order, input.lines, input.adjustments);
  const notes = [`ご注文番号: ${input.order.order_number}`];
  if (input.order.po_number) notes.push(`貴社発注番号: ${input.order.po_number}`);
  if (input.order.payment_status === 'paid') notes.push('お支払い済みです（本書は適格請求書として発行しています）。');
  if (input.supersedes) notes.push(`本書は請求書 No. ${input.supersedes.documentNumber} を訂正し、これに代わるものです。`);
  if (input.settings.invoiceNote) notes.push(input.settings.invoiceNote);
  return {
    kind: 'invoice',
    documentNumber: input.documentNumber,
    issueDate: input.issueDate,
    buyer: recipientOf(input.account),
    issuer: issuerOf(input.settings),
    lines,
    totals: computeInvoiceTax(lines),
    transactionPeriod: { from: input.transactionDate, to: input.transactionDate },
    payment: paymentOf(input.settings, input.order.payment_due_date ?? input.issueDate),
    notes,
  };
}

export interface ReturnedQuantity {
  lineNo: number;
  quantity: number;
}

/** The returned goods as positive amounts at each line's unit price and rate. */
export function returnedInvoiceLines(lines: readonly InvoiceOrderLine[], returned: readonly ReturnedQuantity[]): InvoiceLine[] {
  return returned.map((r) => {
    const line = lines.find((l) => l.line_no === r.lineNo);
    if (!line || !Number.isInteger(r.quantity) || r.quantity <= 0 || r.quantity > line.quantity) throw new ConflictError(`返品数量が注文明細（${r.lineNo}行目）と合いません。`);
    return { name: itemName(line), quantity: r.quantity, unitPriceExclTax: line.unit_price_excl_tax, amountExclTax: line.unit_price_excl_tax * r.quantity, rate: line.tax_rate };
  });
}

export interface ReturnInvoiceInput {
  documentNumber: string;
  issueDate: string;
  returnDate: string;
  order: InvoiceOrder;
  lines: readonly InvoiceOrderLine[];
  returned: readonly ReturnedQuantity[];
  account: BuyerAccount;
  settings: ShopSettings;
  originalInvoice: { documentNumber: string; issueDate: string };
  originalTransactionDate: string;
  reason: string;
}

export function buildReturnInvoiceModel(input: ReturnInvoiceInput): ReturnQualifiedInvoiceModel {
  const lines = returnedInvoiceLines(input.lines, input.returned);
  return {
    kind: 'return',
    documentNumber: input.documentNumber,
    issueDate: input.issueDate,
    returnDate: input.returnDate,
    buyer: recipientOf(input.account),
    issuer: issuerOf(input.settings),
    lines,
    totals: returnInvoiceTax(lines),
    originalInvoice: input.originalInvoice,
    originalTransactionPeriod: { from: input.originalTransactionDate, to: input.originalTransactionDate },
    notes: [`ご注文番号: ${input.order.order_number}`, `返品理由: ${input.reason.slice(0, 200)}`, ...(input.settings.invoiceNote ? [input.settings.invoiceNote] : [])],
  };
}
