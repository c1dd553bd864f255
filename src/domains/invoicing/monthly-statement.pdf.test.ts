import { describe, expect, it } from 'vitest';
import { pdfInfo, pdfText, previewPdfIfRequested } from '../../platform/pdf/pdf-inspect.testing.ts';
import { computeInvoiceTax, type TaxableLine, type TaxRate } from '../tax/invoice-tax.ts';
import { type MonthlyStatementModel, renderMonthlyStatementPdf, type StatementEntry } from './monthly-statement.pdf.ts';

const entries: StatementEntry[] = [
  { date: '2026-10-23', orderNumber: 'ORD-26-10-0311', description: '納品書 DN-0311', amountsExclTax: { 10: 48200 } },
  { date: '2026-10-30', orderNumber: 'ORD-26-10-0388', description: '納品書 DN-0388', amountsExclTax: { 10: 21560, 8: 3600 } },
  { date: '2026-11-06', orderNumber: 'ORD-26-11-0042', description: 'ｶﾗｰ剤まとめ買い', amountsExclTax: { 10: 96000 } },
  { date: '2026-11-10', orderNumber: 'ORD-26-11-0042', description: '返品（破損）', amountsExclTax: { 10: -2720 } },
  { date: '2026-11-13', orderNumber: 'ORD-26-11-0107', description: '納品書 DN-0107', amountsExclTax: { 8: 5040 } },
  { date: '2026-11-20', orderNumber: 'ORD-26-11-0150', description: '納品書 DN-0150', amountsExclTax: { 10: 12800, 8: 1680 } },
];

// The closing job's arithmetic, reproduced here only to give the document consistent figures.
const taxable: TaxableLine[] = entries.flatMap((entry) =>
  Object.entries(entry.amountsExclTax).map(([rate, amount]) => ({
    rate: Number(rate) as TaxRate,
    amountExclTax: amount ?? 0,
  })),
);
const purchases = computeInvoiceTax(taxable);

const statement: MonthlyStatementModel = {
  documentNumber: 'ST-2026-11-0042',
  issueDate: '2026-11-21',
  closingPeriod: { from: '2026-10-21', to: '2026-11-20' },
  paymentTerms: '20日締め翌月末払い',
  buyer: {
    name: '株式会社𠮷野家ビューティー',
    honorific: '御中',
    postalCode: '150-0001',
    addressLines: ['東京都渋谷区神宮前３－１４－５'],
  },
  issuer: {
    name: '株式会社オロシ美容商事',
    postalCode: '530-0001',
    addressLines: ['大阪府大阪市北区梅田１丁目２番３号'],
    phone: '06-1234-5678',
    registrationNumber: 'T8700110005901',
  },
  previousBalance: 152460,
  paymentsReceived: 150000,
  carriedOver: 2460,
  entries,
  purchases,
  amountDue: 2460 + purchases.total,
  payment: {
    dueDate: '2026-12-31',
    bankAccount: {
      bankName: '三井住友銀行',
      branchName: '梅田支店',
      accountType: '当座',
      accountNumber: '7654321',
      accountHolder: 'ｶ)ｵﾛｼﾋﾞﾖｳｼﾖｳｼﾞ',
    },
  },
  notes: ['ご入金は2026年11月15日までに確認できた分を反映しています。'],
  generatedAt: new Date('2026-11-21T06:00:00+09:00'),
};

function squeeze(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}

function yen(amount: number): string {
  return `${amount < 0 ? '-' : ''}¥${Math.abs(amount).toLocaleString('en-US')}`;
}

describe('renderMonthlyStatementPdf', () => {
  it('prints the period, balances, every delivery, per-rate tax and the amount due', async () => {
    const pdf = await renderMonthlyStatementPdf(statement);
    await previewPdfIfRequested(pdf, 'monthly-statement');
    const text = squeeze(await pdfText(pdf));

    expect(text).toContain('（締め請求・適格請求書）');
    expect(text).toContain('ST-2026-11-0042');
    expect(text).toMatch(/締日 2026年11月20日/);
    expect(text).toMatch(/株式会社𠮷野家ビューティー 御中/);
    expect(text).toContain('登録番号: T8700110005901');
    expect(text).toMatch(/対象期間 2026年10月21日〜2026年11月20日/);
    expect(text).toMatch(/お取引条件 20日締め翌月末払い/);
    expect(text).toMatch(/前回ご請求額 ご入金額 繰越金額 今回お買上額 消費税額 今回ご請求額/);
    expect(text).toContain(
      `¥152,460 ¥150,000 ¥2,460 ${yen(purchases.subtotal)} ${yen(purchases.tax)} ${yen(statement.amountDue)}`,
    );
    expect(text).toMatch(/納品日 注文番号 摘要 10%対象（税抜） 8%対象（税抜）/);
    expect(text).toMatch(/2026年10月30日 ORD-26-10-0388 納品書 DN-0388 ¥21,560 ¥3,600/);
    expect(text).toMatch(/2026年11月6日 ORD-26-11-0042 ｶﾗｰ剤まとめ買い ¥96,000/);
    expect(text).toMatch(/2026年11月10日 ORD-26-11-0042 返品（破損） -¥2,720/);
    expect(text).toMatch(/2026年11月13日 ORD-26-11-0107 納品書 DN-0107 ¥5,040/);
    for (const entry of purchases.perRate) {
      const label = entry.rate === 8 ? '8%対象（軽減税率）' : '10%対象';
      expect(text).toContain(`${label} ${yen(entry.base)} ${yen(entry.tax)}`);
    }
    expect(text).toContain(`今回お買上額（税込） ${yen(purchases.total)}`);
    expect(text).toContain(`今回ご請求額 ${yen(statement.amountDue)} （税込）`);
    expect(text).toMatch(/お支払期限 2026年12月31日/);
    expect(text).toContain('三井住友銀行 梅田支店 当座 7654321');
  });

  it('is a single small A4 page', async () => {
    const pdf = await renderMonthlyStatementPdf(statement);
    expect(pdf.length).toBeLessThan(200 * 1024);
    expect((await pdfInfo(pdf))['Pages']).toBe('1');
  });

  it('refuses to print without a valid registration number', async () => {
    await expect(
      renderMonthlyStatementPdf({ ...statement, issuer: { ...statement.issuer, registrationNumber: 'T0000000000000' } }),
    ).rejects.toThrow(/registration number/);
  });
});
