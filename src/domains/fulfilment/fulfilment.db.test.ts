import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { pdfText } from '../../platform/pdf/pdf-inspect.testing.ts';
import { addMember, addVariant, asMember, type CommerceShop, commerceShop, type TestMember } from '../checkout/checkout-fixtures.testing.ts';
import { type DocumentWork, readDocumentPdf } from '../invoicing/document-store.ts';
import { issueOrderInvoice, issueReturnInvoice } from '../invoicing/order-invoice.service.ts';
import { transitionOrder } from '../orders/order-state.ts';
import { decideReturn, requestCancellation, requestReturn } from '../returns/return.service.ts';
import { toFullWidth } from '../shipping/carrier-csv/carrier-fields.ts';
import { decodeCp932, encodeCp932 } from '../shipping/carrier-csv/cp932.ts';
import { exportCarrierCsv } from './carrier-export.service.ts';
import { issueDeliverySlip } from './delivery-slip.service.ts';
import { placeTestOrder } from './fulfilment-fixtures.testing.ts';
import { markDelivered, recordShipment } from './shipment.service.ts';
import { importTrackingCsv } from './tracking-import.service.ts';

let database: Database;
let shop: CommerceShop;
let member: TestMember;
let plain: string;
let reduced: string;
let lotted: string;
const staff = { type: 'staff' as const, id: randomUUID(), label: '出荷 担当' };
const dataDir = path.resolve('.tmp', `test-docs-${randomUUID().slice(0, 8)}`);

beforeAll(async () => {
  database = await createTestDatabase();
  shop = await commerceShop(database);
  member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 10_000_000 });
  plain = await addVariant(database, shop, { sku: 'FUL-10', listPriceYen: 1999, stock: 50 });
  reduced = await addVariant(database, shop, { sku: 'FUL-8', listPriceYen: 777, stock: 50, taxRate: 8 });
  lotted = await addVariant(database, shop, { sku: 'FUL-LOT', listPriceYen: 3000, stock: 50, restricted: true });
  await withTenant(database, shop.tenantId, async (tx) => {
    const v = await tx.selectFrom('product_variants').select('product_id').where('id', '=', lotted).executeTakeFirstOrThrow();
    await tx.updateTable('products').set({ lot_tracked: true }).where('id', '=', v.product_id).execute();
  });
}, 60_000);
afterAll(async () => database?.close());

const inShop = <T,>(fn: (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>) => withTenant(database, shop.tenantId, fn);
const work = (): DocumentWork => ({ inScope: (fn) => withTenant(database, shop.tenantId, fn), dataDir });
const orderRow = (id: string) => inShop((tx) => tx.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
const stockOf = (variantId: string) => inShop((tx) => tx.selectFrom('product_variants').select(['stock_on_hand', 'stock_reserved']).where('id', '=', variantId).executeTakeFirstOrThrow());
const shipmentsOf = (orderId: string) => inShop((tx) => tx.selectFrom('shipments').selectAll().where('order_id', '=', orderId).execute());
const mailsTo = (email: string) =>
  inShop(async (tx) => (await tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute()).map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload)).filter((p: { to: string }) => p.to === email));

describe('shipments', () => {
  it('ships in parts, requires the lot on lot-tracked lines, takes stock per parcel and completes the order on the last one', async () => {
    const { orderId } = await placeTestOrder(database, shop, member, [
      { variantId: plain, quantity: 4 },
      { variantId: lotted, quantity: 2 },
    ]);
    const lineNos = await inShop((tx) => tx.selectFrom('order_lines').select(['line_no', 'sku']).where('order_id', '=', orderId).execute());
    const p = lineNos.find((l) => l.sku === 'FUL-10')!.line_no;
    const l = lineNos.find((l) => l.sku === 'FUL-LOT')!.line_no;
    const before = await stockOf(plain);
    await expect(inShop((tx) => recordShipment(tx, { tenantId: shop.tenantId, orderId, carrier: 'yamato', trackingNumbers: [], lines: [{ lineNo: l, quantity: 1 }], actor: staff }))).rejects.toMatchObject({
      fieldErrors: { [`lot_${l}`]: expect.stringContaining('ロット') },
    });
    await expect(inShop((tx) => recordShipment(tx, { tenantId: shop.tenantId, orderId, carrier: 'yamato', trackingNumbers: [], lines: [{ lineNo: p, quantity: 5 }], actor: staff }))).rejects.toMatchObject({
      fieldErrors: { [`qty_${p}`]: expect.stringContaining('残り4') },
    });
    expect(await shipmentsOf(orderId)).toHaveLength(0);

    const first = await inShop((tx) =>
      recordShipment(tx, { tenantId: shop.tenantId, orderId, carrier: 'yamato', trackingNumbers: ['123456789012'], lines: [{ lineNo: p, quantity: 3 }, { lineNo: l, quantity: 1, lotNumber: 'LOT-A1' }], actor: staff }),
    );
    expect(first.orderShipped).toBe(false);
    expect((await orderRow(orderId)).status).toBe('picking');
    expect(await stockOf(plain)).toEqual({ stock_on_hand: before.stock_on_hand - 3, stock_reserved: before.stock_reserved - 3 });

    const second = await inShop((tx) =>
      recordShipment(tx, { tenantId: shop.tenantId, orderId, carrier: 'sagawa', trackingNumbers: ['223456789012', '323456789012'], lines: [{ lineNo: p, quantity: 1 }, { lineNo: l, quantity: 1, lotNumber: 'LOT-B2' }], actor: staff }),
    );
    expect(second.orderShipped).toBe(true);
    expect((await orderRow(orderId)).status).toBe('shipped');
    const lots = await inShop((tx) => tx.selectFrom('shipment_lines').select(['line_no', 'lot_number']).where('order_id', '=', orderId).where('line_no', '=', l).orderBy('lot_number').execute());
    expect(lots.map((x) => x.lot_number)).toEqual(['LOT-A1', 'LOT-B2']);
    const mails = await mailsTo(member.emails[0]!);
    const shipped = mails.filter((m: { subject: string }) => m.subject.includes('出荷しました'));
    expect(shipped).toHaveLength(2);
    expect(shipped.map((m: { text: string }) => m.text).join('\n')).toContain('https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=223456789012');

    const slip = await issueDeliverySlip(work(), { tenantId: shop.tenantId, shipmentId: first.shipmentId });
    const text = await pdfText(await readDocumentPdf(dataDir, slip));
    expect(text).toContain('納品書');
    expect(text).toContain('LOT-A1');
    expect((await issueDeliverySlip(work(), { tenantId: shop.tenantId, shipmentId: first.shipmentId })).id).toBe(slip.id);
  });
});

describe('tracking CSV import', () => {
  it('lists every unknown order by line and applies nothing', async () => {
    const { orderId, orderNumber } = await placeTestOrder(database, shop, member, [{ variantId: plain, quantity: 1 }]);
    const csv = Buffer.from(`お客様管理番号,伝票番号\r\n${orderNumber},412345678901\r\nNOPE-000001,512345678901\r\nNOPE-000002,612345678901\r\n`);
    const outcome = await inShop((tx) => importTrackingCsv(tx, { tenantId: shop.tenantId, file: csv, actor: staff }));
    expect(outcome.applied).toBe(false);
    expect(outcome.errors).toEqual([
      { line: 3, message: expect.stringContaining('NOPE-000001') },
      { line: 4, message: expect.stringContaining('NOPE-000002') },
    ]);
    expect(await shipmentsOf(orderId)).toHaveLength(0);
    expect((await orderRow(orderId)).status).toBe('confirmed');
  });

  it('ships ready orders with their tracking numbers (CP932 file, several parcels per order)', async () => {
    const { orderId, orderNumber } = await placeTestOrder(database, shop, member, [{ variantId: reduced, quantity: 2 }]);
    const csv = encodeCp932(`お客様管理番号,伝票番号\r\n${orderNumber},7123-4567-8901\r\n${orderNumber},812345678901\r\n`);
    const outcome = await inShop((tx) => importTrackingCsv(tx, { tenantId: shop.tenantId, file: csv, actor: staff }));
    expect(outcome.errors).toEqual([]);
    expect(outcome.applied).toBe(true);
    expect(outcome.encoding).toBe('cp932');
    const [shipment] = await shipmentsOf(orderId);
    expect(shipment!.carrier).toBe('yamato');
    expect(shipment!.tracking_numbers).toEqual(['712345678901', '812345678901']);
    expect((await orderRow(orderId)).status).toBe('shipped');
  });

  it('refuses orders whose lot-tracked lines still need lot numbers', async () => {
    const { orderId, orderNumber } = await placeTestOrder(database, shop, member, [{ variantId: lotted, quantity: 1 }]);
    const outcome = await inShop((tx) => importTrackingCsv(tx, { tenantId: shop.tenantId, file: Buffer.from(`お客様管理番号,伝票番号\n${orderNumber},912345678901\n`), actor: staff }));
    expect(outcome.applied).toBe(false);
    expect(outcome.errors[0]!.message).toContain('ロット');
    expect(await shipmentsOf(orderId)).toHaveLength(0);
  });
});

describe("carriers' CSV from real orders", () => {
  it('matches the golden Yamato B2 and Sagawa e飛伝 files (CP932, CRLF)', async () => {
    const golden = await commerceShop(database, 'kaoru-haircare');
    const buyer = await addMember(database, golden, { invoiceTerms: true, creditLimitYen: 1_000_000 });
    const v = await addVariant(database, golden, { sku: 'GOLD-1', name: 'カラー剤 アッシュ', listPriceYen: 1200, stock: 10 });
    await withTenant(database, golden.tenantId, (tx) =>
      tx.insertInto('shop_carrier_accounts').values({ tenant_id: golden.tenantId, yamato_billing_customer_code: '0312345678', yamato_freight_management_number: '01', sagawa_customer_code: '123456789012' }).execute(),
    );
    const now = new Date('2025-03-10T01:00:00Z');
    const { orderId } = await placeTestOrder(database, golden, buyer, [{ variantId: v, quantity: 3 }], { now, poNumber: 'PO-55' });
    const tag = buyer.accountId.slice(0, 8);
    for (const carrier of ['yamato', 'sagawa'] as const) {
      const result = await withTenant(database, golden.tenantId, (tx) => exportCarrierCsv(tx, { tenantId: golden.tenantId, carrier, orderIds: [orderId], actor: staff, now }));
      expect(result.errors).toEqual([]);
      expect(result.rowCount).toBe(1);
      const text = decodeCp932(result.csv);
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.split('\r\n').filter(Boolean)).toHaveLength(2);
      const stable = encodeCp932(text.replaceAll(tag, 'TAG00000').replaceAll(toFullWidth(tag), toFullWidth('TAG00000')));
      const file = path.join(import.meta.dirname, 'golden', `${carrier}-orders.golden.csv`);
      if (process.env.UPDATE_GOLDEN) await (await import('node:fs/promises')).writeFile(file, stable);
      expect(stable.equals(await readFile(file))).toBe(true);
    }
  });

  it('reports a missing Yamato contract as a per-row error instead of a broken file', async () => {
    const { orderId, orderNumber } = await placeTestOrder(database, shop, member, [{ variantId: plain, quantity: 1 }]);
    const result = await inShop((tx) => exportCarrierCsv(tx, { tenantId: shop.tenantId, carrier: 'yamato', orderIds: [orderId], actor: staff }));
    expect(result.rowCount).toBe(0);
    expect(result.orderNumbers[result.errors[0]!.row]).toBe(orderNumber);
  });
});

describe('qualified invoices as documents', () => {
  it('issues once, shows every required field in the PDF text, and a correction supersedes the original row, which stays unchanged', async () => {
    const { orderId, orderNumber } = await placeTestOrder(database, shop, member, [
      { variantId: plain, quantity: 3 },
      { variantId: reduced, quantity: 3 },
    ]);
    const first = await issueOrderInvoice(work(), { tenantId: shop.tenantId, orderId });
    expect((await issueOrderInvoice(work(), { tenantId: shop.tenantId, orderId })).id).toBe(first.id);
    const text = (await pdfText(await readDocumentPdf(dataDir, first))).replace(/[ \t]+/g, ' ');
    const settings = await inShop((tx) => tx.selectFrom('shop_settings').selectAll().executeTakeFirstOrThrow());
    const account = await inShop((tx) => tx.selectFrom('salon_accounts').select('company_name').where('id', '=', member.accountId).executeTakeFirstOrThrow());
    expect(text).toContain('請求書');
    expect(text).toContain(settings.registration_number!);
    expect(text).toContain(settings.issuer_name);
    expect(text).toContain(account.company_name);
    expect(text).toContain(`INV-${orderNumber}`);
    expect(text).toMatch(/取引年月日/);
    expect(text).toMatch(/10%対象/);
    expect(text).toMatch(/8%対象/);
    expect(text).toContain('※');
    expect(text).toMatch(/消費税/);
    const order = await orderRow(orderId);
    expect(text).toContain(order.total_incl_tax.toLocaleString('ja-JP'));

    await expect(inShop((tx) => tx.updateTable('documents').set({ document_number: 'X' }).where('id', '=', first.id).execute())).rejects.toThrow(/immutable/);
    await expect(inShop((tx) => tx.deleteFrom('documents').where('id', '=', first.id).execute())).rejects.toThrow(/immutable/);
    const corrected = await issueOrderInvoice(work(), { tenantId: shop.tenantId, orderId, correction: true });
    expect(corrected.id).not.toBe(first.id);
    expect(corrected.supersedes).toBe(first.id);
    expect(corrected.document_number).toBe(`INV-${orderNumber}-2`);
    const original = await inShop((tx) => tx.selectFrom('documents').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow());
    expect(original).toEqual(first);
    expect(await pdfText(await readDocumentPdf(dataDir, corrected))).toContain(`INV-${orderNumber}`);
  });
});

describe('cancellations and returns', () => {
  it('a member asks to cancel before picking; approval cancels through the state machine and gives the stock back', async () => {
    const { orderId } = await placeTestOrder(database, shop, member, [{ variantId: reduced, quantity: 5 }]);
    const reserved = (await stockOf(reduced)).stock_reserved;
    const requestId = await asMember(database, shop, member, (tx) => requestCancellation(tx, { tenantId: shop.tenantId, accountId: member.accountId, userId: member.userIds[0]! }, { orderId, reason: '数量を間違えました' }));
    await inShop((tx) => decideReturn(tx, { tenantId: shop.tenantId, returnId: requestId, approve: true, note: '', actor: staff }));
    expect((await orderRow(orderId)).status).toBe('cancelled');
    expect((await stockOf(reduced)).stock_reserved).toBe(reserved - 5);
  });

  it('refuses a cancellation request once picking started, and another salon cannot touch the order', async () => {
    const { orderId } = await placeTestOrder(database, shop, member, [{ variantId: plain, quantity: 1 }]);
    const other = await addMember(database, shop);
    await expect(asMember(database, shop, other, (tx) => requestCancellation(tx, { tenantId: shop.tenantId, accountId: other.accountId, userId: other.userIds[0]! }, { orderId, reason: 'x' }))).rejects.toThrow(/見つかりません/);
    expect(await asMember(database, shop, other, (tx) => tx.selectFrom('orders').select('id').where('id', '=', orderId).execute())).toEqual([]);
    await inShop((tx) => transitionOrder(tx, { tenantId: shop.tenantId, orderId, to: 'picking', actor: staff }));
    await expect(asMember(database, shop, member, (tx) => requestCancellation(tx, { tenantId: shop.tenantId, accountId: member.accountId, userId: member.userIds[0]! }, { orderId, reason: 'x' }))).rejects.toThrow(/出荷準備/);
  });

  it('a return after delivery, approved with restock, puts goods back and issues a 返還インボイス; a refusal returns the order to delivered', async () => {
    const { orderId } = await placeTestOrder(database, shop, member, [{ variantId: plain, quantity: 3 }]);
    await inShop((tx) => recordShipment(tx, { tenantId: shop.tenantId, orderId, carrier: 'yamato', trackingNumbers: [], lines: [{ lineNo: 1, quantity: 3 }], actor: staff }));
    await inShop((tx) => markDelivered(tx, { tenantId: shop.tenantId, orderId, actor: staff }));
    const ref = { tenantId: shop.tenantId, accountId: member.accountId, userId: member.userIds[0]! };
    await expect(asMember(database, shop, member, (tx) => requestReturn(tx, ref, { orderId, reason: '破損', lines: [{ lineNo: 1, quantity: 4 }] }))).rejects.toMatchObject({ fieldErrors: { qty_1: expect.stringContaining('3個') } });
    const refused = await asMember(database, shop, member, (tx) => requestReturn(tx, ref, { orderId, reason: '色違い', lines: [{ lineNo: 1, quantity: 1 }] }));
    expect((await orderRow(orderId)).status).toBe('return_requested');
    await expect(inShop((tx) => decideReturn(tx, { tenantId: shop.tenantId, returnId: refused, approve: false, note: '', actor: staff }))).rejects.toMatchObject({ fieldErrors: { note: expect.any(String) } });
    await inShop((tx) => decideReturn(tx, { tenantId: shop.tenantId, returnId: refused, approve: false, note: '開封済みのため', actor: staff }));
    expect((await orderRow(orderId)).status).toBe('delivered');

    const onHand = (await stockOf(plain)).stock_on_hand;
    const approved = await asMember(database, shop, member, (tx) => requestReturn(tx, ref, { orderId, reason: '破損していました', lines: [{ lineNo: 1, quantity: 2 }] }));
    await inShop((tx) => decideReturn(tx, { tenantId: shop.tenantId, returnId: approved, approve: true, note: '', restock: true, actor: staff }));
    expect((await orderRow(orderId)).status).toBe('returned');
    expect((await stockOf(plain)).stock_on_hand).toBe(onHand + 2);
    const doc = await issueReturnInvoice(work(), { tenantId: shop.tenantId, returnId: approved });
    expect(doc.kind).toBe('return_invoice');
    const text = await pdfText(await readDocumentPdf(dataDir, doc));
    expect(text).toContain('返還');
    const unit = (await inShop((tx) => tx.selectFrom('order_lines').select('unit_price_excl_tax').where('order_id', '=', orderId).executeTakeFirstOrThrow())).unit_price_excl_tax;
    expect(text).toContain(`¥${(unit * 2).toLocaleString('ja-JP')}`);
    expect(text).toContain(`¥${(unit * 2 + Math.floor((unit * 2) / 10)).toLocaleString('ja-JP')}`);
    expect((await issueReturnInvoice(work(), { tenantId: shop.tenantId, returnId: approved })).id).toBe(doc.id);
    const subjects = (await mailsTo(member.emails[0]!)).map((m: { subject: string }) => m.subject);
    expect(subjects.filter((s: string) => s.includes('返品のお申し出'))).toHaveLength(2);
  });
});
