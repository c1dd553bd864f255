import type { Tx } from '../../platform/db/tenant-scope.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import { deliverySlots } from '../calendar/delivery-slots.ts';
import type { OrderActor } from '../orders/order-state.ts';
import type { DeliverySlotCode as StoredSlotCode } from '../orders/orders.tables.ts';
import { loadShopSettings } from '../orders/shop-settings.ts';
import type { CarrierCsvResult, CarrierShipment, CarrierShipper } from '../shipping/carrier-csv/carrier-shipment.ts';
import { toSagawaEhidenCsv } from '../shipping/carrier-csv/sagawa-ehiden.csv.ts';
import { toYamatoB2Csv } from '../shipping/carrier-csv/yamato-b2.csv.ts';
import { auditOrderAction } from './order-actor-audit.ts';

/**
 * Carriers' CSV for orders ready to ship: orders become CarrierShipment rows for the existing
 * exporters (Yamato B2 Cloud, Sagawa e飛伝: CP932, CRLF, published columns); rows the carrier
 * would refuse come back as per-row errors named by order number.
 */

export type ExportCarrier = 'yamato' | 'sagawa';

export interface CarrierExport extends CarrierCsvResult {
  /** Row index of the input → order number, for staff-readable errors. */
  orderNumbers: string[];
  fileName: string;
}

function calendarSlot(stored: StoredSlotCode | null): CarrierShipment['deliverySlot'] {
  if (!stored) return null;
  return deliverySlots.find((s) => s.yamatoCode === stored)?.code ?? null;
}

export async function shipperOf(tx: Tx, tenantId: string): Promise<CarrierShipper> {
  const settings = await loadShopSettings(tx, tenantId);
  const contract = await tx.selectFrom('shop_carrier_accounts').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  const [prefecture, ...rest] = splitPrefecture(settings.issuerAddress);
  return {
    postalCode: settings.issuerPostalCode,
    prefecture,
    addressLines: rest,
    name: settings.issuerName,
    phone: settings.issuerPhone,
    yamato: contract?.yamato_billing_customer_code
      ? {
          billingCustomerCode: contract.yamato_billing_customer_code,
          billingClassCode: contract.yamato_billing_class_code || undefined,
          freightManagementNumber: contract.yamato_freight_management_number || '01',
        }
      : undefined,
    sagawaCustomerCode: contract?.sagawa_customer_code || undefined,
  };
}

/** "大阪府大阪市北区梅田1-2-3 ビル5F" → ['大阪府', '大阪市北区梅田1-2-3', 'ビル5F']. */
function splitPrefecture(address: string): [string, ...string[]] {
  const match = /^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)\s*(.*)$/.exec(address.trim());
  if (!match) return ['', address];
  const rest = match[2]!.split(/\s+/).filter(Boolean);
  return [match[1]!, ...(rest.length ? rest : [''])];
}

/** Orders ready to ship (confirmed or picking) among `orderIds`, or all of them when none given. */
export async function carrierShipmentsFor(tx: Tx, tenantId: string, orderIds: readonly string[] | null, now: Date = new Date()): Promise<{ shipments: CarrierShipment[]; orderNumbers: string[] }> {
  let query = tx
    .selectFrom('orders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', ['confirmed', 'picking'])
    .where('is_synthetic', '=', false);
  if (orderIds) query = query.where('id', 'in', orderIds.length ? orderIds : ['00000000-0000-0000-0000-000000000000']);
  const orders = await query.orderBy('placed_at').limit(1000).execute();
  const shipper = await shipperOf(tx, tenantId);
  const settings = await loadShopSettings(tx, tenantId);
  const shipDate = settings.calendar.businessDayOnOrAfter(jstDateTime(now).date);
  const shipments: CarrierShipment[] = [];
  for (const o of orders) {
    const lines = await tx.selectFrom('order_lines').select(['name', 'quantity']).where('tenant_id', '=', tenantId).where('order_id', '=', o.id).orderBy('line_no').execute();
    const first = lines[0];
    const itemName = first ? `${first.name} ×${first.quantity}${lines.length > 1 ? ` 他${lines.length - 1}点` : ''}` : '美容材料';
    shipments.push({
      orderNumber: o.order_number,
      shipDate,
      deliveryDate: o.delivery_date ? String(o.delivery_date).slice(0, 10) : null,
      deliverySlot: calendarSlot(o.delivery_slot),
      consignee: {
        postalCode: o.postal_code,
        prefecture: o.prefecture,
        addressLines: [`${o.city}${o.address_line1}`, o.address_line2].filter(Boolean),
        company: o.recipient_company || undefined,
        name: o.recipient_name,
        phone: o.phone,
      },
      shipper,
      itemName,
      count: 1,
      paymentType: o.payment_method === 'cod' ? 'cod' : 'prepaid',
      codAmount: o.payment_method === 'cod' ? o.total_incl_tax : null,
      codTaxAmount: o.payment_method === 'cod' ? o.tax_10 + o.tax_8 : null,
      notes: o.po_number ? `発注番号 ${o.po_number}` : undefined,
    });
  }
  return { shipments, orderNumbers: orders.map((o) => o.order_number) };
}

export async function exportCarrierCsv(tx: Tx, input: { tenantId: string; carrier: ExportCarrier; orderIds: readonly string[] | null; actor: OrderActor; now?: Date }): Promise<CarrierExport> {
  const now = input.now ?? new Date();
  const { shipments, orderNumbers } = await carrierShipmentsFor(tx, input.tenantId, input.orderIds, now);
  const result = input.carrier === 'yamato' ? toYamatoB2Csv(shipments) : toSagawaEhidenCsv(shipments);
  await auditOrderAction(tx, input.actor, 'order.carrier_csv_exported', '', { carrier: input.carrier, orders: orderNumbers, rows: result.rowCount, errors: result.errors.length });
  const stamp = jstDateTime(now).date.replace(/-/g, '');
  return { ...result, orderNumbers, fileName: `${input.carrier === 'yamato' ? 'yamato-b2' : 'sagawa-ehiden'}-${stamp}.csv` };
}
