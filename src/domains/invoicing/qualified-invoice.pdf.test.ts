import { describe, expect, it } from 'vitest';
import {
  pdfInfo,
  pdfPagesText,
  pdfText,
  previewPdfIfRequested,
} from '../../platform/pdf/pdf-inspect.testing.ts';
import { computeInvoiceTax, returnInvoiceTax } from '../tax/invoice-tax.ts';
import {
  type InvoiceLine,
  type QualifiedInvoiceModel,
  type ReturnQualifiedInvoiceModel,
  renderQualifiedInvoicePdf,
  type StandardQualifiedInvoiceModel,
} from './qualified-invoice.pdf.ts';

const issuer = {
  name: '株式会社オロシ美容商事',
  postalCode: '530-0001',
  addressLines: ['大阪府大阪市北区梅田１丁目２番３号', 'オロシビル５Ｆ'],
  phone: '06-1234-5678',
  registrationNumber: 'T8700110005901',
};

const buyer = {
  name: '株式会社𠮷野家ビューティー',
  honorific: '御中' as const,
  postalCode: '150-0001',
  addressLines: ['東京都渋谷区神宮前３－１４－５', 'ﾍｱｻﾛﾝ ﾖｼﾉﾔ 表参道店'],
  contactName: '𠮷田 花子',
};

const lines: InvoiceLine[] = [
  { name: 'ＫＥＲＡＴＩＮ リペアシャンプー １０００ｍｌ', quantity: 6, unit: '本', unitPriceExclTax: 2400, amountExclTax: 14400, rate: 10 },
  { name: 'ヘアカラー アッシュブラウン 7-AB 80g', quantity: 24, unit: '本', unitPriceExclTax: 680, amountExclTax: 16320, rate: 10 },
  { name: 'ウェルカムドリンク用 ルイボスティー 50包', quantity: 5, unit: '箱', unitPriceExclTax: 1200, amountExclTax: 6000, rate: 8 },
  { name: 'ﾊﾟｰﾏ液 1剤 ｿﾌﾄ 400ml', quantity: 3, unit: '本', unitPriceExclTax: 1850, amountExclTax: 5550, rate: 10 },
  { name: 'ミネラルウォーター 500ml×24本', quantity: 2, unit: 'ｹｰｽ', unitPriceExclTax: 1680, amountExclTax: 3360, rate: 8 },
];

const invoice: StandardQualifiedInvoiceModel = {
  kind: 'invoice',
  documentNumber: 'INV-2026-11-0042',
  issueDate: '2026-11-20',
  buyer,
  issuer,
  lines,
  totals: computeInvoiceTax(lines),
  transactionPeriod: { from: '2026-11-18', to: '2026-11-18' },
  payment: {
    dueDate: '2026-12-31',
    bankAccount: {
      bankName: 'みずほ銀行',
      branchName: '梅田支店',
      accountType: '普通',
      accountNumber: '1234567',
      accountHolder: 'ｶ)ｵﾛｼﾋﾞﾖｳｼﾖｳｼﾞ',
    },
  },
  notes: ['振込手数料は貴社にてご負担くださいますようお願いいたします。'],
  generatedAt: new Date('2026-11-20T09:00:00+09:00'),
};

const returnedLines: InvoiceLine[] = [
  { name: 'ヘアカラー アッシュブラウン 7-AB 80g（破損）', quantity: 4, unit: '本', unitPriceExclTax: 680, amountExclTax: 2720, rate: 10 },
  { name: 'ウェルカムドリンク用 ルイボスティー 50包', quantity: 1, unit: '箱', unitPriceExclTax: 1200, amountExclTax: 1200, rate: 8 },
];

const returnInvoice: ReturnQualifiedInvoiceModel = {
  kind: 'return',
  documentNumber: 'RET-2026-11-0007',
  issueDate: '2026-11-25',
  buyer,
  issuer,
  lines: returnedLines,
  totals: returnInvoiceTax(returnedLines),
  returnDate: '2026-11-24',
  originalInvoice: { documentNumber: 'INV-2026-11-0042', issueDate: '2026-11-20' },
  originalTransactionPeriod: { from: '2026-11-18', to: '2026-11-18' },
  notes: ['返還額は次回のご請求額から差し引かせていただきます。'],
  generatedAt: new Date('2026-11-25T09:00:00+09:00'),
};

/** Collapses runs of spaces so assertions do not depend on column positions. */
function squeeze(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}

describe('renderQualifiedInvoicePdf — 適格請求書', () => {
  it('prints every field a qualified invoice requires', async () => {
    const pdf = await renderQualifiedInvoicePdf(invoice);
    await previewPdfIfRequested(pdf, 'qualified-invoice');
    const text = squeeze(await pdfText(pdf));

    expect(text).toContain('請求書');
    expect(text).toContain('（適格請求書）');
    expect(text).toContain('INV-2026-11-0042');
    expect(text).toMatch(/発行日 2026年11月20日/);
    expect(text).toMatch(/株式会社𠮷野家ビューティー 御中/);
    expect(text).toContain('ﾍｱｻﾛﾝ ﾖｼﾉﾔ 表参道店');
    expect(text).toContain('ご担当: 𠮷田 花子 様');
    expect(text).toContain('株式会社オロシ美容商事');
    expect(text).toContain('登録番号: T8700110005901');
    expect(text).toMatch(/取引年月日 2026年11月18日/);
    expect(text).toContain('ＫＥＲＡＴＩＮ リペアシャンプー １０００ｍｌ');
    expect(text).toContain('ﾊﾟｰﾏ液 1剤 ｿﾌﾄ 400ml');
    expect(text).toMatch(/ルイボスティー 50包 ※ 5箱 ¥1,200 ¥6,000 8% ※/);
    expect(text).toMatch(/ヘアカラー アッシュブラウン 7-AB 80g 24本 ¥680 ¥16,320 10%/);
    expect(text).toContain('※は軽減税率（8%）対象商品です。');
    expect(text).toMatch(/10%対象 ¥36,270 ¥3,627/);
    expect(text).toMatch(/8%対象（軽減税率） ¥9,360 ¥748/);
    expect(text).toMatch(/税抜金額 消費税額/);
    expect(text).toMatch(/小計（税抜） ¥45,630/);
    expect(text).toMatch(/消費税 ¥4,375/);
    expect(text).toMatch(/合計（税込） ¥50,005/);
    expect(text).toMatch(/ご請求金額 ¥50,005 （税込）/);
    expect(text).toMatch(/お支払期限 2026年12月31日/);
    expect(text).toContain('みずほ銀行 梅田支店 普通 1234567');
    expect(text).toContain('口座名義: ｶ)ｵﾛｼﾋﾞﾖｳｼﾖｳｼﾞ');
    expect(text).toContain('振込手数料は貴社にてご負担くださいますようお願いいたします。');
    expect(text).toMatch(/\b1 ?\/ ?1\b/);
  });

  it('fits on one small page with embedded, subsetted Japanese fonts and metadata', async () => {
    const pdf = await renderQualifiedInvoicePdf(invoice);
    expect(pdf.length).toBeLessThan(200 * 1024);
    const info = await pdfInfo(pdf);
    expect(info['Pages']).toBe('1');
    expect(info['Page size']).toMatch(/595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(info['Title']).toBe('請求書 INV-2026-11-0042');
    expect(info['Author']).toBe('株式会社オロシ美容商事');
  });

  it('produces identical bytes for the same model and generation time', async () => {
    const first = await renderQualifiedInvoicePdf(invoice);
    const second = await renderQualifiedInvoicePdf(invoice);
    expect(first.equals(second)).toBe(true);
    const later = await renderQualifiedInvoicePdf({ ...invoice, generatedAt: new Date('2026-11-21T09:00:00+09:00') });
    expect(later.equals(first)).toBe(false);
  });

  it('refuses to print without a well-formed registration number', async () => {
    for (const registrationNumber of ['', '8700110005901', 'T870011000590', 'T87001100059011', 'Ｔ8700110005901', 'T8700110005902']) {
      await expect(
        renderQualifiedInvoicePdf({ ...invoice, issuer: { ...issuer, registrationNumber } }),
      ).rejects.toThrow(/registration number/);
    }
  });

  it('shows a per-line transaction date column when lines carry their own dates', async () => {
    const dated: QualifiedInvoiceModel = {
      ...invoice,
      transactionPeriod: { from: '2026-11-02', to: '2026-11-18' },
      lines: lines.map((line, i) => ({ ...line, transactionDate: `2026-11-${String(2 + i * 4).padStart(2, '0')}` })),
    };
    const text = squeeze(await pdfText(await renderQualifiedInvoicePdf(dated)));
    expect(text).toMatch(/取引日 品名 数量 単価/);
    expect(text).toMatch(/11月2日 ＫＥＲＡＴＩＮ リペアシャンプー/);
    expect(text).toMatch(/11月18日 ミネラルウォーター/);
    expect(text).toMatch(/取引年月日 2026年11月2日〜2026年11月18日/);
  });

  it('paginates a long invoice, repeating the table header and numbering the pages', async () => {
    const names = ['トリートメント', 'カラー剤', 'ｼｬﾝﾌﾟｰ', 'ケープ', 'コーム'];
    const longLines: InvoiceLine[] = Array.from({ length: 80 }, (_, i) => ({
      name: `${names[i % names.length]} 品番${String(i + 1).padStart(3, '0')}`,
      quantity: (i % 7) + 1,
      unit: '個',
      unitPriceExclTax: 500 + i * 10,
      amountExclTax: ((i % 7) + 1) * (500 + i * 10),
      rate: i % 10 === 0 ? 8 : 10,
    }));
    const pdf = await renderQualifiedInvoicePdf({ ...invoice, lines: longLines, totals: computeInvoiceTax(longLines) });
    await previewPdfIfRequested(pdf, 'qualified-invoice-long');
    const pages = (await pdfPagesText(pdf)).map(squeeze);

    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((page, index) => {
      expect(page).toMatch(/品名 数量 単価 金額（税抜） 税率/);
      // pdftotext drops the narrow spaces around the slash.
      expect(page).toMatch(new RegExp(`\\b${index + 1} ?/ ?${pages.length}\\b`));
      if (index > 0) expect(page).toContain('請求書 No. INV-2026-11-0042（続き）');
    });
    const all = pages.join('\n');
    for (let i = 1; i <= 80; i++) {
      const code = `品番${String(i).padStart(3, '0')}`;
      expect(all.split(code).length - 1, code).toBe(1);
    }
    // The totals and the bank account come after the last line, not before it.
    const last = pages.at(-1)!;
    expect(last).toContain('品番080');
    const { total } = computeInvoiceTax(longLines);
    expect(last).toContain(`合計（税込） ¥${total.toLocaleString('en-US')}`);
    expect(last).toContain('みずほ銀行');
  });
});

describe('renderQualifiedInvoicePdf — 返還インボイス', () => {
  it('prints the return date, the original invoice and the returned amounts per rate', async () => {
    const pdf = await renderQualifiedInvoicePdf(returnInvoice);
    await previewPdfIfRequested(pdf, 'return-invoice');
    const text = squeeze(await pdfText(pdf));

    expect(text).toContain('返還インボイス');
    expect(text).toContain('（適格返還請求書）');
    expect(text).toContain('RET-2026-11-0007');
    expect(text).toContain('登録番号: T8700110005901');
    expect(text).toMatch(/株式会社𠮷野家ビューティー 御中/);
    expect(text).toMatch(/返品年月日 2026年11月24日/);
    expect(text).toMatch(/元の取引年月日 2026年11月18日/);
    expect(text).toMatch(/元の請求書番号 INV-2026-11-0042/);
    expect(text).toMatch(/元の請求書発行日 2026年11月20日/);
    expect(text).toMatch(/返還額（税抜） 消費税額/);
    expect(text).toMatch(/10%対象 ¥2,720 ¥272/);
    expect(text).toMatch(/8%対象（軽減税率） ¥1,200 ¥96/);
    expect(text).toMatch(/返還額合計（税込） ¥4,288/);
    expect(text).toMatch(/返還金額 ¥4,288 （税込）/);
    expect(text).not.toContain('お振込先');
    const info = await pdfInfo(pdf);
    expect(info['Subject']).toBe('適格返還請求書');
  });
});
