import { renderPdf } from '../../platform/pdf/pdf-document.ts';
import { formatJapaneseDate, formatQuantity } from '../../platform/pdf/pdf-format.ts';
import {
  drawInfoGrid,
  drawPageFooters,
  drawSectionHeading,
  drawTable,
  drawTitleBlock,
  startRunningHeader,
} from '../../platform/pdf/pdf-layout.ts';

// ピッキングリスト for a batch of orders. Lines are printed in 棚番 order (the picker's walk
// through the warehouse; lines without a location last), then SKU, then order, so each product
// is collected once for every order in the batch; the tick box and the lot column are filled in
// by hand on the warehouse floor.

export interface PickingLine {
  sku: string;
  janCode?: string;
  name: string;
  /** 棚番 such as A-03-2 */
  location: string;
  quantity: number;
  unit?: string;
  /** Lot to pick when one is already allocated (salon-exclusive goods). */
  lotNumber?: string;
}

export interface PickingOrder {
  orderNumber: string;
  customerName: string;
  shippingMethod?: string;
  /** YYYY-MM-DD */
  deliveryDate?: string;
  lines: PickingLine[];
}

export interface PickingListModel {
  listNumber: string;
  /** 作業日 (YYYY-MM-DD) */
  pickingDate: string;
  warehouse?: string;
  /** 便 or wave name, e.g. 午前便 */
  batchName?: string;
  orders: PickingOrder[];
  /** Fix for reproducible bytes; defaults to now. */
  generatedAt?: Date;
}

const codeOrder = new Intl.Collator('en', { numeric: true });

interface PickRow extends PickingLine {
  orderNumber: string;
}

export function pickingRowsInWalkOrder(orders: readonly PickingOrder[]): PickRow[] {
  return orders
    .flatMap((order) => order.lines.map((line) => ({ ...line, orderNumber: order.orderNumber })))
    .sort(
      (a, b) =>
        Number(a.location === '') - Number(b.location === '') ||
        codeOrder.compare(a.location, b.location) ||
        codeOrder.compare(a.sku, b.sku) ||
        codeOrder.compare(a.orderNumber, b.orderNumber),
    );
}

export async function renderPickingListPdf(model: PickingListModel): Promise<Buffer> {
  const rows = pickingRowsInWalkOrder(model.orders);
  return renderPdf(
    {
      title: `ピッキングリスト ${model.listNumber}`,
      subject: `ピッキングリスト（${formatJapaneseDate(model.pickingDate)}）`,
      ...(model.generatedAt && { creationDate: model.generatedAt }),
    },
    (doc) => {
      startRunningHeader(doc, `ピッキングリスト No. ${model.listNumber}（続き）`);
      drawTitleBlock(doc, {
        title: 'ピッキングリスト',
        meta: [
          ['リスト番号', model.listNumber],
          ['作業日', formatJapaneseDate(model.pickingDate)],
          ...(model.warehouse ? [['倉庫', model.warehouse] as const] : []),
          ...(model.batchName ? [['便', model.batchName] as const] : []),
        ],
      });
      drawInfoGrid(doc, [
        ['対象注文', `${model.orders.length}件`],
        ['ピッキング行数', `${rows.length}行`],
        ['ピッキング担当', ''],
        ['検品担当', ''],
      ]);
      drawSectionHeading(doc, '対象注文');
      drawTable(doc, {
        columns: [
          { header: '注文番号', width: 18 },
          { header: 'お客様', width: 38 },
          { header: '配送方法', width: 18 },
          { header: 'お届け指定日', width: 16, align: 'center' },
          { header: '行数', width: 8, align: 'right' },
        ],
        rows: model.orders.map((order) => ({
          cells: [
            order.orderNumber,
            order.customerName,
            order.shippingMethod ?? '',
            order.deliveryDate ? formatJapaneseDate(order.deliveryDate) : '',
            String(order.lines.length),
          ],
        })),
      });
      drawSectionHeading(doc, 'ピッキング明細（棚番順）');
      drawTable(doc, {
        columns: [
          { header: '済', width: 4, checkbox: true },
          { header: '棚番', width: 13 },
          { header: 'SKU / JAN', width: 16 },
          { header: '商品名', width: 31 },
          { header: '数量', width: 8, align: 'right' },
          { header: '注文番号', width: 17 },
          { header: 'ロット', width: 11 },
        ],
        rows: rows.map((row) => ({
          cells: [
            '',
            row.location,
            row.janCode ? `${row.sku}\n${row.janCode}` : row.sku,
            row.name,
            formatQuantity(row.quantity) + (row.unit ?? ''),
            row.orderNumber,
            row.lotNumber ?? '',
          ],
        })),
        zebra: true,
      });
      drawPageFooters(doc, { label: model.listNumber });
    },
  );
}
