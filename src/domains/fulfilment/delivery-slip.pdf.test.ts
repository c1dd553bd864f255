import { describe, expect, it } from 'vitest';
import { pdfInfo, pdfText, previewPdfIfRequested, textRow } from '../../platform/pdf/pdf-inspect.testing.ts';
import { computeInvoiceTax } from '../tax/invoice-tax.ts';
import { type DeliverySlipItem, type DeliverySlipModel, renderDeliverySlipPdf } from './delivery-slip.pdf.ts';

const items: DeliverySlipItem[] = [
  {
    sku: 'CL-0007',
    janCode: '4901234560017',
    name: 'プロフェッショナル ヘアカラー ７ＡＢ 80g（サロン専売品）',
    quantity: 24,
    unit: '本',
    lotNumbers: ['L2610-A13', 'L2610-A14'],
    unitPriceExclTax: 680,
    amountExclTax: 16320,
    rate: 10,
  },
  {
    sku: 'SH-1000',
    janCode: '4901234560024',
    name: 'ＫＥＲＡＴＩＮ リペアシャンプー 1000ml',
    quantity: 6,
    unit: '本',
    lotNumbers: ['SH25-0917'],
    unitPriceExclTax: 2400,
    amountExclTax: 14400,
    rate: 10,
  },
  {
    sku: 'TW-0300',
    name: 'ﾌｪｲｽﾀｵﾙ 白 12枚組',
    quantity: 3,
    unit: '組',
    unitPriceExclTax: 1500,
    amountExclTax: 4500,
    rate: 10,
  },
  {
    sku: 'FD-0050',
    janCode: '4901234560031',
    name: 'ウェルカムドリンク用 ルイボスティー 50包',
    quantity: 2,
    unit: '箱',
    unitPriceExclTax: 1200,
    amountExclTax: 2400,
    rate: 8,
  },
];

const slip: DeliverySlipModel = {
  slipNumber: 'DN-2026-11-0107',
  shipDate: '2026-11-13',
  orderNumber: 'ORD-26-11-0107',
  orderDate: '2026-11-12',
  purchaseOrderNumber: 'PO-𠮷野家-2611-003',
  customer: { name: '株式会社𠮷野家ビューティー', honorific: '御中', contactName: '𠮷田 花子' },
  deliverTo: {
    name: 'ヘアサロン𠮷野家 表参道店',
    postalCode: '150-0001',
    addressLines: ['東京都渋谷区神宮前３－１４－５', 'ｱｵﾔﾏﾋﾞﾙ 2F'],
    phone: '03-1234-5678',
  },
  shipper: {
    name: '株式会社オロシ美容商事 物流センター',
    postalCode: '567-0001',
    addressLines: ['大阪府茨木市安威１－２－３'],
    phone: '072-123-4567',
  },
  carrier: 'ヤマト運輸',
  trackingNumbers: ['4455-6677-8899', '4455-6677-8900'],
  deliveryDate: '2026-11-14',
  deliveryTimeSlot: '14時〜16時',
  items,
  notes: ['商品到着後、数量とロット番号をご確認ください。'],
  generatedAt: new Date('2026-11-13T10:00:00+09:00'),
};

function squeeze(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}

describe('renderDeliverySlipPdf', () => {
  it('prints the shipment without prices: items, lots, order and PO numbers, delivery address', async () => {
    const pdf = await renderDeliverySlipPdf(slip);
    await previewPdfIfRequested(pdf, 'delivery-slip');
    const text = squeeze(await pdfText(pdf));

    expect(text).toContain('納品書');
    expect(text).toContain('DN-2026-11-0107');
    expect(text).toMatch(/株式会社𠮷野家ビューティー 御中/);
    expect(text).toMatch(/注文番号 ORD-26-11-0107/);
    expect(text).toMatch(/発注番号 PO-𠮷野家-2611-003/);
    expect(text).toMatch(/出荷日 2026年11月13日/);
    expect(text).toMatch(/お届け指定 2026年11月14日 14時〜16時/);
    expect(text).toMatch(/配送業者 ヤマト運輸/);
    expect(text).toContain('4455-6677-8899、4455-6677-8900');
    expect(text).toContain('〒150-0001 東京都渋谷区神宮前３－１４－５ ｱｵﾔﾏﾋﾞﾙ 2F');
    expect(text).toContain('ヘアサロン𠮷野家 表参道店 様');
    expect(text).toMatch(/No\. 商品コード \/ JAN 商品名 ロット番号 数量/);
    // Rows with a JAN or two lots span two text lines; read each row as one.
    // Rows with a JAN or two lots wrap onto a second line.
    expect(textRow(text, 'CL-0007')).toBe(
      '1 CL-0007 プロフェッショナル ヘアカラー ７ＡＢ 80g（サロン専売 L2610-A13 24本 4901234560017 品） L2610-A14',
    );
    expect(textRow(text, 'SH-1000')).toBe(
      '2 SH-1000 ＫＥＲＡＴＩＮ リペアシャンプー 1000ml SH25-0917 6本 4901234560024',
    );
    expect(text).toMatch(/3 TW-0300 ﾌｪｲｽﾀｵﾙ 白 12枚組 3組/);
    expect(text).toContain('株式会社オロシ美容商事 物流センター');
    expect(text).toContain('商品到着後、数量とロット番号をご確認ください。');
    // The no-prices slip carries no money at all.
    expect(text).not.toContain('¥');
    expect(text).not.toContain('単価');
    expect(text).not.toContain('消費税');
    const info = await pdfInfo(pdf);
    expect(info['Pages']).toBe('1');
    expect(pdf.length).toBeLessThan(200 * 1024);
  });

  it('prints unit prices, amounts and per-rate totals when prices are requested', async () => {
    const totals = computeInvoiceTax(items.map((item) => ({ amountExclTax: item.amountExclTax!, rate: item.rate! })));
    const pdf = await renderDeliverySlipPdf({ ...slip, prices: { totals } });
    await previewPdfIfRequested(pdf, 'delivery-slip-priced');
    const text = squeeze(await pdfText(pdf));

    expect(text).toMatch(/数量 単価 金額（税抜） 税率/);
    expect(textRow(text, 'CL-0007', 0)).toMatch(/^1 CL-0007 プロフェッショナル .* L2610-A13 24本 ¥680 ¥16,320 10%$/);
    expect(textRow(text, 'FD-0050')).toMatch(/^4 FD-0050 ウェルカムドリンク用 ルイボス.* 2箱 ¥1,200 ¥2,400 8% ※ 4901234560031 .*50包 ※$/);
    expect(text).toContain('※は軽減税率（8%）対象商品です。');
    expect(text).toMatch(/10%対象 ¥35,220 ¥3,522/);
    expect(text).toMatch(/8%対象（軽減税率） ¥2,400 ¥192/);
    expect(text).toMatch(/合計（税込） ¥41,334/);
  });

  it('refuses a priced slip with an unpriced item rather than print blanks', async () => {
    const totals = computeInvoiceTax([{ amountExclTax: 16320, rate: 10 }]);
    const { unitPriceExclTax: _omitted, ...unpriced } = items[0]!;
    await expect(renderDeliverySlipPdf({ ...slip, items: [unpriced], prices: { totals } })).rejects.toThrow(
      /unitPriceExclTax/,
    );
  });
});
