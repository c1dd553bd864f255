import type { Selectable } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { deliveryDateLabel, formatYen, PAYMENT_METHOD_LABELS, postalLabel, slotLabelOfStoredCode } from './order-format.ts';
import type { OrderLinesTable, OrdersTable } from './orders.tables.ts';
import { loadShopSettings, type ShopSettings } from './shop-settings.ts';

/** Buyer mails about an order, queued in the caller's transaction and sent after commit. */

async function orderForMail(tx: Tx, tenantId: string, orderId: string) {
  const order = await tx.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', orderId).executeTakeFirstOrThrow();
  const lines = await tx.selectFrom('order_lines').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('line_no').execute();
  const shop = await tx.selectFrom('tenants').select(['display_name', 'company_name', 'legal']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  const buyer = await tx.selectFrom('salon_users').select(['email', 'display_name', 'is_synthetic']).where('id', '=', order.placed_by).executeTakeFirst();
  return { order, lines, shop, buyer };
}

type OrderRow = Selectable<OrdersTable>;
type LineRow = Selectable<OrderLinesTable>;

/** What the confirmation mail says: the order as stored, its lines, the shop and the buyer. */
export interface OrderConfirmationMailData {
  tenantId: string;
  order: Pick<
    OrderRow,
    | 'order_number'
    | 'po_number'
    | 'subtotal_excl_tax'
    | 'shipping_fee_excl_tax'
    | 'cod_fee_excl_tax'
    | 'base_10'
    | 'tax_10'
    | 'base_8'
    | 'tax_8'
    | 'total_incl_tax'
    | 'payment_method'
    | 'payment_due_date'
    | 'transfer_reference'
    | 'postal_code'
    | 'prefecture'
    | 'city'
    | 'address_line1'
    | 'address_line2'
    | 'recipient_company'
    | 'recipient_name'
    | 'phone'
    | 'delivery_date'
    | 'delivery_slot'
    | 'notes'
    | 'is_synthetic'
  >;
  lines: Pick<LineRow, 'name' | 'capacity' | 'sku' | 'unit_price_excl_tax' | 'quantity' | 'line_total_excl_tax' | 'tax_rate'>[];
  shop: { display_name: string; company_name: string; legal: unknown };
  buyer: { email: string; display_name: string; is_synthetic: boolean } | undefined;
  settings: Pick<ShopSettings, 'bankAccount' | 'cancellationTerms'>;
  orderUrl?: string | null;
}

/** Reads the stored order and queues its confirmation. */
export async function queueOrderConfirmationMail(tx: Tx, tenantId: string, orderId: string, orderUrl: string | null = null): Promise<void> {
  const { order, lines, shop, buyer } = await orderForMail(tx, tenantId, orderId);
  if (!buyer || buyer.is_synthetic || order.is_synthetic) return;
  await queueOrderConfirmationMailOf(tx, { tenantId, order, lines, shop, buyer, settings: await loadShopSettings(tx, tenantId), orderUrl });
}

/**
 * Queues the confirmation from what the caller already holds (placement has just written every
 * value): no query besides the outbox's own.
 */
export async function queueOrderConfirmationMailOf(tx: Tx, data: OrderConfirmationMailData): Promise<void> {
  const { order, lines, shop, buyer, settings } = data;
  const orderUrl = data.orderUrl ?? null;
  if (!buyer || buyer.is_synthetic || order.is_synthetic) return;
  const legal = (typeof shop.legal === 'string' ? JSON.parse(shop.legal) : shop.legal) as { returns?: string; phone?: string; email?: string } | null;
  const text: string[] = [
    `${buyer.display_name} 様`,
    '',
    `${shop.display_name} をご利用いただきありがとうございます。以下の内容でご注文を承りました。`,
    '',
    `■ 注文番号: ${order.order_number}`,
    order.po_number ? `■ 発注番号: ${order.po_number}` : '',
    '',
    '■ ご注文商品（単価・小計は税抜）',
    ...lines.map((l) => `  ${l.name}${l.capacity ? ` ${l.capacity}` : ''}（${l.sku}） ${formatYen(l.unit_price_excl_tax)} × ${l.quantity} = ${formatYen(l.line_total_excl_tax)}${l.tax_rate === 8 ? ' ※軽減税率8%' : ''}`),
    '',
    `  商品小計（税抜）: ${formatYen(order.subtotal_excl_tax)}`,
    `  送料（税抜）: ${formatYen(order.shipping_fee_excl_tax)}`,
    order.cod_fee_excl_tax ? `  代引手数料（税抜）: ${formatYen(order.cod_fee_excl_tax)}` : '',
    order.base_10 ? `  10%対象 ${formatYen(order.base_10)} 消費税 ${formatYen(order.tax_10)}` : '',
    order.base_8 ? `  8%対象 ${formatYen(order.base_8)} 消費税 ${formatYen(order.tax_8)}` : '',
    `  お支払い合計（税込）: ${formatYen(order.total_incl_tax)}`,
    '',
    `■ お支払い方法: ${PAYMENT_METHOD_LABELS[order.payment_method]}`,
  ];
  if (order.payment_method === 'bank_transfer' && settings.bankAccount) {
    const b = settings.bankAccount;
    text.push(
      `  お振込期限: ${order.payment_due_date ? deliveryDateLabel(order.payment_due_date) : ''}`,
      `  振込先: ${b.bankName} ${b.branchName} ${b.accountType} ${b.accountNumber} ${b.accountHolder}`,
      `  振込依頼人名の前に、お振込番号「${order.transfer_reference}」をご入力ください。`,
      '  ご入金の確認後に出荷いたします。期限までにご入金が確認できない場合、ご注文は自動的にキャンセルとなります。',
    );
  }
  if (order.payment_method === 'invoice' && order.payment_due_date) {
    text.push(`  お支払期日: ${deliveryDateLabel(order.payment_due_date)}（締め日にまとめてご請求します）`);
  }
  text.push(
    '',
    '■ お届け先',
    `  ${postalLabel(order.postal_code)} ${order.prefecture}${order.city}${order.address_line1}${order.address_line2 ? ` ${order.address_line2}` : ''}`,
    `  ${order.recipient_company ? `${order.recipient_company} ` : ''}${order.recipient_name} 様  TEL ${order.phone}`,
    `  お届け希望日: ${deliveryDateLabel(order.delivery_date)}  時間帯: ${slotLabelOfStoredCode(order.delivery_slot)}`,
    order.notes ? `  備考: ${order.notes}` : '',
    '',
    '■ キャンセル・返品について',
    `  ${settings.cancellationTerms}`,
    legal?.returns ? `  ${legal.returns}` : '',
    '',
    orderUrl ? `ご注文内容はこちらからご確認いただけます: ${orderUrl}` : '',
    '',
    `${shop.company_name}`,
    legal?.phone ? `TEL ${legal.phone}  ${legal.email ?? ''}` : '',
  );
  await queueMail(tx, {
    tenantId: data.tenantId,
    to: buyer.email,
    subject: `【${shop.display_name}】ご注文ありがとうございます（注文番号 ${order.order_number}）`,
    text: text.filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n'),
  });
}

export async function queueOrderCancelledMail(tx: Tx, tenantId: string, orderId: string): Promise<void> {
  const { order, lines, shop, buyer } = await orderForMail(tx, tenantId, orderId);
  if (!buyer || buyer.is_synthetic || order.is_synthetic) return;
  const text = [
    `${buyer.display_name} 様`,
    '',
    `${shop.display_name} でのご注文（注文番号 ${order.order_number}）はキャンセルされました。`,
    order.cancel_reason ? `理由: ${order.cancel_reason}` : '',
    '',
    ...lines.map((l) => `  ${l.name}（${l.sku}） × ${l.quantity}`),
    `  合計（税込）: ${formatYen(order.total_incl_tax)}`,
    '',
    order.payment_method === 'bank_transfer' ? '行き違いでお振込みいただいた場合は、お手数ですがご連絡ください。返金いたします。' : '',
    '',
    shop.company_name,
  ];
  await queueMail(tx, {
    tenantId,
    to: buyer.email,
    subject: `【${shop.display_name}】ご注文キャンセルのお知らせ（注文番号 ${order.order_number}）`,
    text: text.filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n'),
  });
}
