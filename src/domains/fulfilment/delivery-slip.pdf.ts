import { renderPdf } from '../../platform/pdf/pdf-document.ts';
import { formatJapaneseDate, formatQuantity, formatTaxRate, formatYen } from '../../platform/pdf/pdf-format.ts';
import {
  drawAddressBlock,
  drawInfoGrid,
  drawNoteBox,
  drawPageFooters,
  drawParagraph,
  drawTable,
  drawTitleBlock,
  formatPostalCode,
  type PdfIssuer,
  type PdfRecipient,
  startRunningHeader,
  type TableColumn,
} from '../../platform/pdf/pdf-layout.ts';
import { drawInvoiceTotals, REDUCED_RATE_LEGEND, REDUCED_RATE_MARK } from '../invoicing/invoice-parts.pdf.ts';
import type { InvoiceTax, TaxRate } from '../tax/invoice-tax.ts';

// 納品書: one per shipment, packed with the goods. Salon-exclusive goods are traced by lot, so the
// lots shipped are printed per line. Prices are optional: many salons' head offices pay, and the
// staff unpacking the box should not see them.

export interface DeliverySlipItem {
  sku: string;
  janCode?: string;
  name: string;
  quantity: number;
  unit?: string;
  lotNumbers?: string[];
  /** Required on every item when the slip shows prices. */
  unitPriceExclTax?: number;
  amountExclTax?: number;
  rate?: TaxRate;
}

export interface DeliveryAddress {
  name: string;
  postalCode: string;
  addressLines: string[];
  phone?: string;
}

export interface DeliverySlipModel {
  slipNumber: string;
  /** 出荷日 (YYYY-MM-DD) */
  shipDate: string;
  orderNumber: string;
  /** YYYY-MM-DD */
  orderDate?: string;
  /** 発注番号: the salon's own purchase-order reference. */
  purchaseOrderNumber?: string;
  customer: PdfRecipient;
  deliverTo: DeliveryAddress;
  shipper: PdfIssuer;
  carrier?: string;
  trackingNumbers?: string[];
  /** お届け指定日 (YYYY-MM-DD) and 時間帯 (午前中, 14時〜16時…) */
  deliveryDate?: string;
  deliveryTimeSlot?: string;
  items: DeliverySlipItem[];
  /** Present → unit prices, amounts and totals are printed; absent → a slip without prices. */
  prices?: { totals: InvoiceTax };
  notes?: string[];
  /** Fix for reproducible bytes; defaults to now. */
  generatedAt?: Date;
}

type PricedItem = DeliverySlipItem & Required<Pick<DeliverySlipItem, 'unitPriceExclTax' | 'amountExclTax' | 'rate'>>;

function isPriced(item: DeliverySlipItem): item is PricedItem {
  return item.unitPriceExclTax !== undefined && item.amountExclTax !== undefined && item.rate !== undefined;
}

function itemColumns(priced: boolean): TableColumn[] {
  return [
    { header: 'No.', width: 5, align: 'center' },
    { header: '商品コード / JAN', width: 15 },
    { header: '商品名', width: priced ? 26 : 39 },
    { header: 'ロット番号', width: priced ? 12 : 16 },
    { header: '数量', width: 8, align: 'right' },
    ...(priced
      ? [
          { header: '単価', width: 10, align: 'right' as const },
          { header: '金額（税抜）', width: 12, align: 'right' as const },
          { header: '税率', width: 7, align: 'center' as const },
        ]
      : []),
  ];
}

function itemCells(item: DeliverySlipItem, index: number, priced: boolean): string[] {
  const cells = [
    String(index + 1),
    item.janCode ? `${item.sku}\n${item.janCode}` : item.sku,
    item.name + (priced && item.rate === 8 ? ` ${REDUCED_RATE_MARK}` : ''),
    (item.lotNumbers ?? []).join('\n'),
    formatQuantity(item.quantity) + (item.unit ?? ''),
  ];
  if (priced && isPriced(item)) {
    cells.push(
      formatYen(item.unitPriceExclTax),
      formatYen(item.amountExclTax),
      formatTaxRate(item.rate) + (item.rate === 8 ? ` ${REDUCED_RATE_MARK}` : ''),
    );
  }
  return cells;
}

function deliverySchedule(model: DeliverySlipModel): string | undefined {
  const parts = [
    model.deliveryDate ? formatJapaneseDate(model.deliveryDate) : undefined,
    model.deliveryTimeSlot,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export async function renderDeliverySlipPdf(model: DeliverySlipModel): Promise<Buffer> {
  const priced = model.prices !== undefined;
  if (priced && !model.items.every(isPriced)) {
    throw new RangeError('a delivery slip with prices needs unitPriceExclTax, amountExclTax and rate on every item');
  }
  const schedule = deliverySchedule(model);
  const info: Array<readonly [string, string]> = [
    ['注文番号', model.orderNumber],
    ...(model.purchaseOrderNumber ? [['発注番号', model.purchaseOrderNumber] as const] : []),
    ...(model.orderDate ? [['ご注文日', formatJapaneseDate(model.orderDate)] as const] : []),
    ['出荷日', formatJapaneseDate(model.shipDate)],
    ...(schedule ? [['お届け指定', schedule] as const] : []),
    ...(model.carrier ? [['配送業者', model.carrier] as const] : []),
    ...(model.trackingNumbers?.length ? [['お問い合わせ番号', model.trackingNumbers.join('、')] as const] : []),
  ];

  return renderPdf(
    {
      title: `納品書 ${model.slipNumber}`,
      author: model.shipper.name,
      subject: `納品書（注文番号 ${model.orderNumber}）`,
      ...(model.generatedAt && { creationDate: model.generatedAt }),
    },
    (doc) => {
      startRunningHeader(doc, `納品書 No. ${model.slipNumber}（続き）`);
      drawTitleBlock(doc, {
        title: '納品書',
        meta: [
          ['納品書番号', model.slipNumber],
          ['発行日', formatJapaneseDate(model.shipDate)],
        ],
      });
      drawAddressBlock(doc, {
        recipient: model.customer,
        issuer: model.shipper,
        lead: '毎度ありがとうございます。下記のとおり納品いたします。',
      });
      drawInfoGrid(doc, info);
      const { deliverTo } = model;
      drawNoteBox(doc, 'お届け先', [
        `${formatPostalCode(deliverTo.postalCode)} ${deliverTo.addressLines.join(' ')}`,
        `${deliverTo.name} 様${deliverTo.phone ? `　TEL ${deliverTo.phone}` : ''}`,
      ]);
      drawTable(doc, {
        columns: itemColumns(priced),
        rows: model.items.map((item, index) => ({ cells: itemCells(item, index, priced) })),
        zebra: true,
      });
      if (model.prices) {
        if (model.items.some((item) => item.rate === 8)) drawParagraph(doc, REDUCED_RATE_LEGEND);
        drawInvoiceTotals(doc, {
          perRate: model.prices.totals.perRate,
          summary: [
            { label: '小計（税抜）', values: [formatYen(model.prices.totals.subtotal)] },
            { label: '消費税', values: [formatYen(model.prices.totals.tax)] },
            { label: '合計（税込）', values: [formatYen(model.prices.totals.total)], strong: true },
          ],
        });
      }
      drawNoteBox(doc, '備考', model.notes ?? []);
      drawPageFooters(doc, { label: model.slipNumber });
    },
  );
}
