import { jstDateTime } from '../calendar/calendar-date.ts';
import { type DocumentWork, type IssuedDocument, recordDocument, storeDocumentPdf } from '../invoicing/document-store.ts';
import { loadOrderDocumentSource } from '../invoicing/order-documents.read.ts';
import { issuerOf, recipientOf } from '../invoicing/order-invoice.ts';
import { slotLabelOfStoredCode } from '../orders/order-format.ts';
import { NotFoundError } from '../shared/domain-error.ts';
import type { DeliverySlipItem, DeliverySlipModel } from './delivery-slip.pdf.ts';
import { renderDeliverySlipPdf } from './delivery-slip.pdf.ts';
import { CARRIER_LABELS } from './tracking-links.ts';

/**
 * 納品書 per shipment, issued once as a document (the member downloads the same bytes that were
 * packed). Without prices: the box is opened by salon staff, not the head office that pays.
 */

export async function issueDeliverySlip(work: DocumentWork, input: { tenantId: string; shipmentId: string; issuedBy?: string | null }): Promise<IssuedDocument> {
  const now = work.now ?? new Date();
  const prepared = await work.inScope(async (tx) => {
    if (!/^[0-9a-f-]{36}$/i.test(input.shipmentId)) throw new NotFoundError('出荷が見つかりません。');
    const shipment = await tx.selectFrom('shipments').selectAll().where('tenant_id', '=', input.tenantId).where('id', '=', input.shipmentId).executeTakeFirst();
    if (!shipment) throw new NotFoundError('出荷が見つかりません。');
    const source = await loadOrderDocumentSource(tx, input.tenantId, shipment.order_id);
    const siblings = await tx.selectFrom('shipments').select(['id']).where('tenant_id', '=', input.tenantId).where('order_id', '=', shipment.order_id).orderBy('created_at').orderBy('id').execute();
    const slipNumber = `DS-${source.order.order_number}-${siblings.findIndex((s) => s.id === shipment.id) + 1}`;
    const existing = await tx.selectFrom('documents').selectAll().where('tenant_id', '=', input.tenantId).where('kind', '=', 'delivery_slip').where('document_number', '=', slipNumber).executeTakeFirst();
    if (existing) return { existing } as const;
    const shipped = await tx.selectFrom('shipment_lines').selectAll().where('tenant_id', '=', input.tenantId).where('shipment_id', '=', shipment.id).orderBy('line_no').execute();
    const items: DeliverySlipItem[] = [];
    for (const line of source.lines) {
      const mine = shipped.filter((s) => s.line_no === line.line_no);
      if (!mine.length) continue;
      const lots = mine.map((s) => s.lot_number).filter(Boolean);
      items.push({
        sku: line.sku,
        janCode: line.jan_code ?? undefined,
        name: `${line.name}${line.capacity ? ` ${line.capacity}` : ''}`,
        quantity: mine.reduce((n, s) => n + s.quantity, 0),
        lotNumbers: lots.length ? lots : undefined,
      });
    }
    const o = source.order;
    const issuer = issuerOf(source.settings);
    const model: DeliverySlipModel = {
      slipNumber,
      shipDate: jstDateTime(new Date(shipment.shipped_at ?? now)).date,
      orderNumber: o.order_number,
      orderDate: jstDateTime(new Date(o.placed_at)).date,
      purchaseOrderNumber: o.po_number || undefined,
      customer: recipientOf(source.account),
      deliverTo: {
        name: `${o.recipient_company ? `${o.recipient_company} ` : ''}${o.recipient_name} 様`,
        postalCode: `${o.postal_code.slice(0, 3)}-${o.postal_code.slice(3)}`,
        addressLines: [`${o.prefecture}${o.city}${o.address_line1}`, o.address_line2].filter(Boolean),
        phone: o.phone,
      },
      shipper: issuer,
      carrier: CARRIER_LABELS[shipment.carrier],
      trackingNumbers: shipment.tracking_numbers,
      deliveryDate: o.delivery_date ? String(o.delivery_date).slice(0, 10) : undefined,
      deliveryTimeSlot: o.delivery_slot ? slotLabelOfStoredCode(o.delivery_slot) : undefined,
      items,
      notes: siblings.length > 1 ? [`分納（${siblings.length}回に分けてお届けしています）`] : undefined,
    };
    return { model, accountId: o.account_id, orderId: o.id } as const;
  });
  if ('existing' in prepared) return prepared.existing!;
  const pdf = await renderDeliverySlipPdf({ ...prepared.model, generatedAt: now });
  const stored = await storeDocumentPdf(work.dataDir, input.tenantId, 'delivery_slip', pdf);
  return work.inScope((tx) =>
    recordDocument(tx, {
      tenantId: input.tenantId,
      kind: 'delivery_slip',
      documentNumber: prepared.model.slipNumber,
      accountId: prepared.accountId,
      orderId: prepared.orderId,
      issuedBy: input.issuedBy ?? null,
      stored,
    }),
  );
}
