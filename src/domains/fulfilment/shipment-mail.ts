import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { CARRIER_LABELS, trackingUrl } from './tracking-links.ts';

/** 出荷のお知らせ: what left in this parcel and where to follow it. */
export async function queueShipmentMail(tx: Tx, tenantId: string, shipmentId: string): Promise<void> {
  const shipment = await tx.selectFrom('shipments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', shipmentId).executeTakeFirstOrThrow();
  const order = await tx.selectFrom('orders').select(['order_number', 'placed_by', 'is_synthetic', 'po_number']).where('tenant_id', '=', tenantId).where('id', '=', shipment.order_id).executeTakeFirstOrThrow();
  const buyer = await tx.selectFrom('salon_users').select(['email', 'display_name', 'is_synthetic']).where('id', '=', order.placed_by).executeTakeFirst();
  if (!buyer || buyer.is_synthetic || order.is_synthetic) return;
  const shop = await tx.selectFrom('tenants').select(['display_name', 'company_name']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  const items = await tx
    .selectFrom('shipment_lines as s')
    .innerJoin('order_lines as l', (j) => j.onRef('l.tenant_id', '=', 's.tenant_id').onRef('l.order_id', '=', 's.order_id').onRef('l.line_no', '=', 's.line_no'))
    .select(['l.name', 'l.sku', 's.quantity', 's.lot_number'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.shipment_id', '=', shipmentId)
    .orderBy('s.line_no')
    .execute();
  const tracking = shipment.tracking_numbers.map((n) => {
    const url = trackingUrl(shipment.carrier, n);
    return `  ${n}${url ? `\n  ${url}` : ''}`;
  });
  const text = [
    `${buyer.display_name} 様`,
    '',
    `${shop.display_name} でのご注文（注文番号 ${order.order_number}）の商品を出荷しました。`,
    order.po_number ? `発注番号: ${order.po_number}` : '',
    '',
    `■ 配送業者: ${CARRIER_LABELS[shipment.carrier]}`,
    '■ お問い合わせ番号（配送状況の確認）',
    ...(tracking.length ? tracking : ['  追って登録いたします。']),
    '',
    '■ 出荷した商品',
    ...items.map((i) => `  ${i.name}（${i.sku}） × ${i.quantity}${i.lot_number ? `  ロット ${i.lot_number}` : ''}`),
    '',
    '納品書はショップの「注文履歴」からダウンロードいただけます。',
    '',
    shop.company_name,
  ];
  await queueMail(tx, {
    tenantId,
    to: buyer.email,
    subject: `【${shop.display_name}】商品を出荷しました（注文番号 ${order.order_number}）`,
    text: text.filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n'),
  });
}
