import { describe, expect, it } from 'vitest';
import { pdfInfo, pdfPagesText, pdfText, previewPdfIfRequested, textRow } from '../../platform/pdf/pdf-inspect.testing.ts';
import {
  type PickingListModel,
  type PickingOrder,
  pickingRowsInWalkOrder,
  renderPickingListPdf,
} from './picking-list.pdf.ts';

const orders: PickingOrder[] = [
  {
    orderNumber: 'ORD-26-11-0150',
    customerName: '株式会社𠮷野家ビューティー',
    shippingMethod: 'ヤマト運輸 宅急便',
    deliveryDate: '2026-11-21',
    lines: [
      { sku: 'SH-1000', janCode: '4901234560024', name: 'ＫＥＲＡＴＩＮ リペアシャンプー 1000ml', location: 'B-02-1', quantity: 6, unit: '本' },
      { sku: 'CL-0010', janCode: '4901234560048', name: 'ヘアカラー ナチュラルブラウン 80g', location: 'A-01-3', quantity: 12, unit: '本', lotNumber: 'L2610-B02' },
    ],
  },
  {
    orderNumber: 'ORD-26-11-0151',
    customerName: 'ﾍｱｻﾛﾝ ｺﾊﾙ',
    shippingMethod: '佐川急便',
    lines: [
      { sku: 'CL-0007', janCode: '4901234560017', name: 'ヘアカラー アッシュブラウン ７ＡＢ 80g', location: 'A-01-2', quantity: 24, unit: '本' },
      { sku: 'SH-0200', name: 'トラベル用シャンプー 200ml', location: 'B-01-4', quantity: 10, unit: '本' },
      { sku: 'SH-1000', janCode: '4901234560024', name: 'ＫＥＲＡＴＩＮ リペアシャンプー 1000ml', location: 'B-02-1', quantity: 2, unit: '本' },
    ],
  },
  {
    orderNumber: 'ORD-26-11-0149',
    customerName: 'Beauty Salon 髙橋',
    lines: [
      { sku: 'CL-0010', janCode: '4901234560048', name: 'ヘアカラー ナチュラルブラウン 80g', location: 'A-01-3', quantity: 3, unit: '本' },
    ],
  },
];

const list: PickingListModel = {
  listNumber: 'PK-2026-11-20-01',
  pickingDate: '2026-11-20',
  warehouse: '茨木物流センター',
  batchName: '午前便',
  orders,
  generatedAt: new Date('2026-11-20T08:00:00+09:00'),
};

function squeeze(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}

describe('pickingRowsInWalkOrder', () => {
  it('flattens every order line and sorts by 棚番 (numeric-aware), then SKU, then order', () => {
    const rows = pickingRowsInWalkOrder(orders);
    expect(rows.map((row) => `${row.sku} ${row.orderNumber}`)).toEqual([
      'CL-0007 ORD-26-11-0151',
      'CL-0010 ORD-26-11-0149',
      'CL-0010 ORD-26-11-0150',
      'SH-0200 ORD-26-11-0151',
      'SH-1000 ORD-26-11-0150',
      'SH-1000 ORD-26-11-0151',
    ]);
  });

  it('walks the shelves in order, whatever the SKUs, and puts lines without a 棚番 last', () => {
    const rows = pickingRowsInWalkOrder([
      { orderNumber: 'O-1', customerName: 'a', lines: [{ sku: 'A-1', name: 'x', location: 'B-10', quantity: 1 }, { sku: 'Z-9', name: 'y', location: 'A-2', quantity: 1 }, { sku: 'M-5', name: 'z', location: '', quantity: 1 }] },
      { orderNumber: 'O-2', customerName: 'b', lines: [{ sku: 'Q-3', name: 'w', location: 'B-9', quantity: 1 }] },
    ]);
    expect(rows.map((r) => `${r.location || '—'} ${r.sku}`)).toEqual(['A-2 Z-9', 'B-9 Q-3', 'B-10 A-1', '— M-5']);
  });
});

describe('renderPickingListPdf', () => {
  it('lists the orders and the picks in 棚番 order with location, JAN, quantity and a tick box', async () => {
    const pdf = await renderPickingListPdf(list);
    await previewPdfIfRequested(pdf, 'picking-list');
    const text = squeeze(await pdfText(pdf));

    expect(text).toContain('ピッキングリスト');
    expect(text).toMatch(/リスト番号 PK-2026-11-20-01/);
    expect(text).toMatch(/作業日 2026年11月20日/);
    expect(text).toMatch(/倉庫 茨木物流センター/);
    expect(text).toMatch(/便 午前便/);
    expect(text).toMatch(/対象注文 3件/);
    expect(text).toMatch(/ピッキング行数 6行/);
    expect(text).toMatch(/ORD-26-11-0150 株式会社𠮷野家ビューティー ヤマト運輸 宅急便 2026年11月21日 2/);
    expect(text).toMatch(/ORD-26-11-0151 ﾍｱｻﾛﾝ ｺﾊﾙ 佐川急便 3/);
    expect(text).toContain('Beauty Salon 髙橋');
    expect(text).toMatch(/済 棚番 SKU \/ JAN 商品名 数量 注文番号 ロット/);
    // SKU and JAN share a cell on two lines.
    expect(textRow(text, 'A-01-2')).toBe(
      'A-01-2 CL-0007 ヘアカラー アッシュブラウン ７ＡＢ 24本 ORD-26-11-0151 4901234560017 80g',
    );
    expect(textRow(text, 'L2610-B02')).toBe(
      'A-01-3 CL-0010 ヘアカラー ナチュラルブラウン 80g 12本 ORD-26-11-0150 L2610-B02 4901234560048',
    );
    expect(text).toMatch(/B-01-4 SH-0200 トラベル用シャンプー 200ml 10本 ORD-26-11-0151/);

    const picks = text.slice(text.indexOf('ピッキング明細'));
    const positions = ['CL-0007', 'CL-0010', 'SH-0200', 'SH-1000'].map((sku) => picks.indexOf(sku));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    expect((await pdfInfo(pdf))['Pages']).toBe('1');
    expect(pdf.length).toBeLessThan(200 * 1024);
  });

  it('continues a large batch over several pages with the header repeated', async () => {
    const many: PickingOrder[] = Array.from({ length: 20 }, (_, o) => ({
      orderNumber: `ORD-26-11-${String(300 + o).padStart(4, '0')}`,
      customerName: `サロン${o + 1}`,
      lines: Array.from({ length: 4 }, (_, l) => ({
        sku: `SKU-${String(((o * 7 + l * 13) % 60) + 1).padStart(3, '0')}`,
        name: `商品 ${l + 1}`,
        location: `C-${String(l + 1).padStart(2, '0')}`,
        quantity: l + 1,
      })),
    }));
    const pdf = await renderPickingListPdf({ ...list, orders: many });
    const pages = (await pdfPagesText(pdf)).map(squeeze);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pages.slice(1)) {
      expect(page).toContain('ピッキングリスト No. PK-2026-11-20-01（続き）');
      expect(page).toMatch(/済 棚番 SKU \/ JAN 商品名 数量 注文番号 ロット/);
    }
    const all = pages.join('\n');
    // Shelf by shelf (C-01 … C-04), SKUs ascending within each shelf.
    const picks = [...all.matchAll(/(C-0\d) SKU-(\d{3})/g)].map((match) => `${match[1]} ${match[2]}`);
    expect(picks).toHaveLength(80);
    expect([...picks].sort()).toEqual(picks);
  });
});
