import { describe, expect, it } from 'vitest';
import type { ShopSettings } from '../orders/shop-settings.ts';
import { taxForBase } from '../tax/invoice-tax.ts';
import { buildOrderInvoiceModel, buildReturnInvoiceModel, type InvoiceOrderLine } from './order-invoice.ts';

const settings = {
  registrationNumber: 'T8700110005901',
  issuerName: '株式会社オロシ美容商事',
  issuerPostalCode: '5300001',
  issuerAddress: '大阪府大阪市北区梅田1-2-3',
  issuerPhone: '06-1234-5678',
  bankAccount: { bankName: 'みずほ銀行', branchName: '梅田支店', accountType: '普通', accountNumber: '1234567', accountHolder: 'ｶ)ｵﾛｼ' },
} as unknown as ShopSettings;

const account = { company_name: '株式会社テスト美容', salon_name: 'サロン・テスト', postal_code: '1500001', prefecture: '東京都', city: '渋谷区', address_line1: '神宮前1-2-3', address_line2: '' };
const order = { order_number: 'AYA2501-0001', shipping_fee_excl_tax: 0, cod_fee_excl_tax: 0, payment_due_date: '2025-02-28', payment_status: 'unpaid', po_number: 'PO-1' };

const line = (line_no: number, unit: number, quantity: number, rate: 8 | 10): InvoiceOrderLine => ({
  line_no,
  name: `商品${line_no}`,
  capacity: '',
  sku: `SKU-${line_no}`,
  quantity,
  unit_price_excl_tax: unit,
  line_total_excl_tax: unit * quantity,
  tax_rate: rate,
});

const build = (lines: InvoiceOrderLine[], extra: Partial<Parameters<typeof buildOrderInvoiceModel>[0]> = {}) =>
  buildOrderInvoiceModel({ documentNumber: 'INV-1', issueDate: '2025-01-20', transactionDate: '2025-01-20', order, lines, account, settings, ...extra });

const perLineTax = (lines: { amountExclTax: number; rate: 8 | 10 }[]) => lines.reduce((n, l) => n + taxForBase(l.amountExclTax, l.rate), 0);

describe('qualified invoice of an order', () => {
  it('rounds tax once per rate on a mixed 8%/10% order where per-line rounding loses a yen per rate', () => {
    // 10%: 3 lines of 105 → per line 10 each (30), on the sum 315 → 31. 8%: 3 × 113 → per line 9 each (27), on 339 → 27.12 → 27; 2 × 119 added → 577 → 46 vs per line 9+9+9+9+9 = 45.
    const lines = [line(1, 105, 1, 10), line(2, 105, 1, 10), line(3, 105, 1, 10), line(4, 113, 1, 8), line(5, 113, 1, 8), line(6, 113, 1, 8), line(7, 119, 2, 8)];
    const model = build(lines);
    const byRate = new Map(model.totals.perRate.map((r) => [r.rate, r]));
    expect(byRate.get(10)).toEqual({ rate: 10, base: 315, tax: 31, total: 346 });
    expect(byRate.get(8)).toEqual({ rate: 8, base: 577, tax: 46, total: 623 });
    expect(model.totals.tax).toBe(77);
    expect(perLineTax(model.lines)).not.toBe(model.totals.tax);
    expect(model.totals.total).toBe(315 + 577 + 77);
  });

  it('puts shipping and the COD fee at 10% and lets a discount reduce only its own rate', () => {
    const model = build([line(1, 1999, 3, 10), line(2, 777, 3, 8)], {
      order: { ...order, shipping_fee_excl_tax: 800, cod_fee_excl_tax: 300 },
      adjustments: [{ name: '値引き（8%対象）', amountExclTax: -333, rate: 8 }],
    });
    const byRate = new Map(model.totals.perRate.map((r) => [r.rate, r]));
    expect(byRate.get(10)!.base).toBe(5997 + 800 + 300);
    expect(byRate.get(10)!.tax).toBe(709); // 7097 × 10% = 709.7 → 709
    expect(byRate.get(8)!.base).toBe(2331 - 333);
    expect(byRate.get(8)!.tax).toBe(159); // 1998 × 8% = 159.84 → 159
    expect(model.lines.map((l) => l.name)).toEqual(expect.arrayContaining(['送料', '代引手数料', '値引き（8%対象）']));
    expect(model.issuer.registrationNumber).toBe('T8700110005901');
  });

  it('refuses to build a qualified invoice without the shop registration number', () => {
    expect(() => build([line(1, 100, 1, 10)], { settings: { ...settings, registrationNumber: null } as ShopSettings })).toThrow(/登録番号/);
  });

  it('states a correction as superseding the earlier invoice', () => {
    expect(build([line(1, 100, 1, 10)], { supersedes: { documentNumber: 'INV-OLD' } }).notes?.join('')).toContain('INV-OLD');
  });
});

describe('返還インボイス of a return', () => {
  it('gives back tax per rate rounded once, which may differ from the original invoice minus the remaining goods', () => {
    const lines = [line(1, 333, 3, 10), line(2, 257, 4, 8)];
    const original = build(lines);
    const model = buildReturnInvoiceModel({
      documentNumber: 'RET-1',
      issueDate: '2025-02-01',
      returnDate: '2025-02-01',
      order,
      lines,
      returned: [
        { lineNo: 1, quantity: 1 },
        { lineNo: 2, quantity: 3 },
      ],
      account,
      settings,
      originalInvoice: { documentNumber: 'INV-1', issueDate: '2025-01-20' },
      originalTransactionDate: '2025-01-20',
      reason: '破損',
    });
    const byRate = new Map(model.totals.perRate.map((r) => [r.rate, r]));
    expect(byRate.get(10)).toEqual({ rate: 10, base: 333, tax: 33, total: 366 });
    expect(byRate.get(8)).toEqual({ rate: 8, base: 771, tax: 61, total: 832 });
    // What stays billed (2 × 333 at 10%, 1 × 257 at 8%) taxed once per rate: 66 + 20 = 86; original 99 + 82 = 181 → 181 − 94 = 87 ≠ 86.
    const kept = build([line(1, 333, 2, 10), line(2, 257, 1, 8)]);
    expect(original.totals.tax - model.totals.tax).not.toBe(kept.totals.tax);
  });

  it('refuses to return more than was ordered', () => {
    expect(() =>
      buildReturnInvoiceModel({
        documentNumber: 'RET-2',
        issueDate: '2025-02-01',
        returnDate: '2025-02-01',
        order,
        lines: [line(1, 100, 1, 10)],
        returned: [{ lineNo: 1, quantity: 2 }],
        account,
        settings,
        originalInvoice: { documentNumber: 'INV-1', issueDate: '2025-01-20' },
        originalTransactionDate: '2025-01-20',
        reason: 'x',
      }),
    ).toThrow(/返品数量/);
  });
});
