import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withTenant } from '../../platform/db/tenant-scope.ts';
import { addMember, addVariant, asMember, type CommerceShop, commerceShop, type TestMember } from '../checkout/checkout-fixtures.testing.ts';
import { invoiceOutstanding } from '../checkout/credit.ts';
import { placeTestOrder } from '../fulfilment/fulfilment-fixtures.testing.ts';
import { markDelivered, recordShipment } from '../fulfilment/shipment.service.ts';
import { markBankTransferReceived } from '../orders/bank-transfer.ts';
import { transitionOrder } from '../orders/order-state.ts';
import { registerCardAndCodMethods } from '../payments/payment-methods.register.ts';
import { type PaymentProvider, type ProviderPaymentStatus, ProviderUnavailableError } from '../payments/payment-provider.ts';
import { testDeps } from '../payments/payments.test-support.ts';
import { saveProviderKey } from '../payments/provider-account.service.ts';
import { listReceivables, recordReceipt } from '../receivables/receivables.service.ts';
import { ConflictError, ValidationError } from '../shared/domain-error.ts';
import type { StaffActor } from '../staff/staff-actor.ts';
import { computeInvoiceTax } from '../tax/invoice-tax.ts';
import { completeManualRefund, openCancellationRefund, openReturnRefund, processCardRefund, refundsOfOrder } from './refund.service.ts';
import { decideReturn, requestCancellation, requestReturn } from './return.service.ts';

/**
 * Refunds of approved returns and cancellations, per payment method, and the 掛け払い ledger
 * with partial returns (decision record 0008).
 */

let database: Database;
let shop: CommerceShop;
let v10: string;
let v8: string;
const staffId = randomUUID();
const staff = { type: 'staff' as const, id: staffId, label: '返品 担当' };
const staffActor: StaffActor = { id: staffId, label: '返品 担当', role: 'shop_admin', tenantId: '', sourceIp: '127.0.0.1', requestId: 'test', sessionId: randomUUID() };

beforeAll(async () => {
  registerCardAndCodMethods();
  database = await createTestDatabase();
  shop = await commerceShop(database);
  staffActor.tenantId = shop.tenantId;
  // Prices where rounding once per rate differs from rounding per line.
  v10 = await addVariant(database, shop, { sku: 'RF-10', listPriceYen: 1999, stock: 1000 });
  v8 = await addVariant(database, shop, { sku: 'RF-8', listPriceYen: 777, stock: 1000, taxRate: 8 });
}, 60_000);
afterAll(async () => database?.close());

const inShop = <T,>(fn: (tx: Tx) => Promise<T>) => withTenant(database, shop.tenantId, fn);
const orderRow = (id: string) => inShop((tx) => tx.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
const linesOf = (id: string) => inShop((tx) => tx.selectFrom('order_lines').selectAll().where('order_id', '=', id).orderBy('line_no').execute());
const lineNo = (lines: { line_no: number; sku: string }[], sku: string) => lines.find((l) => l.sku === sku)!.line_no;
const auditActions = () => inShop(async (tx) => (await tx.selectFrom('audit_log').select('action').execute()).map((r) => r.action));

async function deliver(orderId: string) {
  const lines = await linesOf(orderId);
  await inShop((tx) => recordShipment(tx, { tenantId: shop.tenantId, orderId, carrier: 'yamato', trackingNumbers: ['123456789012'], lines: lines.map((l) => ({ lineNo: l.line_no, quantity: l.quantity, lotNumber: '' })), actor: staff }));
  await inShop((tx) => markDelivered(tx, { tenantId: shop.tenantId, orderId, actor: staff }));
}

async function returnLines(member: TestMember, orderId: string, lines: { lineNo: number; quantity: number }[], restock = false) {
  const returnId = await asMember(database, shop, member, (tx) => requestReturn(tx, { tenantId: shop.tenantId, accountId: member.accountId, userId: member.userIds[0]! }, { orderId, reason: '破損していました', lines }));
  const decided = await inShop((tx) => decideReturn(tx, { tenantId: shop.tenantId, returnId, approve: true, note: '', restock, actor: staff }));
  return { returnId, decided };
}

/** The 返還インボイス amount of returned quantities, computed here from first principles. */
function expectedCredit(lines: { line_no: number; unit_price_excl_tax: number; tax_rate: number }[], returned: { lineNo: number; quantity: number }[]) {
  return computeInvoiceTax(returned.map((r) => {
    const l = lines.find((x) => x.line_no === r.lineNo)!;
    return { amountExclTax: l.unit_price_excl_tax * r.quantity, rate: l.tax_rate as 8 | 10 };
  })).total;
}

describe('invoice terms (掛け払い): returns are credits on the ledger', () => {
  it('a partial return lowers the outstanding balance by the 返還インボイス amount, the rest stays owed', async () => {
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 100_000 });
    const placed = await placeTestOrder(database, shop, member, [{ variantId: v10, quantity: 5 }, { variantId: v8, quantity: 7 }]);
    const order = await orderRow(placed.orderId);
    const buyer = { tenantId: shop.tenantId, accountId: member.accountId };
    expect(await inShop((tx) => invoiceOutstanding(tx, buyer))).toBe(order.total_incl_tax);
    await deliver(placed.orderId);
    const lines = await linesOf(placed.orderId);
    const returned = [{ lineNo: lineNo(lines, 'RF-10'), quantity: 2 }, { lineNo: lineNo(lines, 'RF-8'), quantity: 3 }];
    const { decided } = await returnLines(member, placed.orderId, returned);
    const credit = expectedCredit(lines, returned);
    expect(decided.refund).toMatchObject({ method: 'statement_credit', status: 'completed', amount_yen: credit, kind: 'return' });
    expect((await orderRow(placed.orderId)).status).toBe('returned');
    // Before the fix a partially returned order dropped out of the ledger entirely.
    const outstanding = await inShop((tx) => invoiceOutstanding(tx, buyer));
    expect(outstanding).toBe(order.total_incl_tax - credit);
    const receivable = (await inShop((tx) => listReceivables(tx, shop.tenantId, '2099-01-01'))).find((r) => r.accountId === member.accountId);
    expect(receivable?.outstandingYen).toBe(outstanding);
    await inShop((tx) => recordReceipt(tx, { tenantId: shop.tenantId, accountId: member.accountId, form: { amountYen: String(outstanding - 100), receivedOn: '2025-03-01' }, actor: staff, today: '2025-03-01' }));
    expect(await inShop((tx) => invoiceOutstanding(tx, buyer))).toBe(100);
  });

  it('returning everything leaves only the shipping fee owed; a cancelled order owes nothing', async () => {
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 100_000 });
    const small = await placeTestOrder(database, shop, member, [{ variantId: v8, quantity: 1 }]);
    const order = await orderRow(small.orderId);
    expect(order.shipping_fee_excl_tax).toBeGreaterThan(0);
    await deliver(small.orderId);
    const lines = await linesOf(small.orderId);
    await returnLines(member, small.orderId, [{ lineNo: lines[0]!.line_no, quantity: 1 }]);
    const outstanding = await inShop((tx) => invoiceOutstanding(tx, { tenantId: shop.tenantId, accountId: member.accountId }));
    expect(outstanding).toBe(order.total_incl_tax - expectedCredit(lines, [{ lineNo: lines[0]!.line_no, quantity: 1 }]));
    expect(outstanding).toBeGreaterThanOrEqual(order.shipping_fee_excl_tax);

    const other = await placeTestOrder(database, shop, member, [{ variantId: v10, quantity: 1 }]);
    await inShop((tx) => transitionOrder(tx, { tenantId: shop.tenantId, orderId: other.orderId, to: 'cancelled', actor: staff, note: 'テスト' }));
    expect(await inShop((tx) => openCancellationRefund(tx, { tenantId: shop.tenantId, orderId: other.orderId, actor: staff }))).toBeNull();
    expect(await inShop((tx) => invoiceOutstanding(tx, { tenantId: shop.tenantId, accountId: member.accountId }))).toBe(outstanding);
  });

  it('the credit makes room under the credit limit for the next order', async () => {
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 15_000 });
    const first = await placeTestOrder(database, shop, member, [{ variantId: v10, quantity: 6 }]);
    await expect(placeTestOrder(database, shop, member, [{ variantId: v10, quantity: 3 }])).rejects.toThrow();
    await deliver(first.orderId);
    const lines = await linesOf(first.orderId);
    await returnLines(member, first.orderId, [{ lineNo: lines[0]!.line_no, quantity: 4 }]);
    await expect(placeTestOrder(database, shop, member, [{ variantId: v10, quantity: 3 }])).resolves.toMatchObject({ orderNumber: expect.any(String) });
  });
});

describe('bank transfer and COD: 返金待ち until staff record the transfer', () => {
  it('opens a pending refund on approval, refuses bad bank details, records the transfer once', async () => {
    const member = await addMember(database, shop);
    const placed = await placeTestOrder(database, shop, member, [{ variantId: v10, quantity: 3 }, { variantId: v8, quantity: 2 }], { paymentMethod: 'bank_transfer' });
    const order = await orderRow(placed.orderId);
    await inShop((tx) => markBankTransferReceived(tx, { tenantId: shop.tenantId, orderId: placed.orderId, amountYen: order.total_incl_tax, receivedOn: '2025-03-03', actor: staff }));
    await deliver(placed.orderId);
    const lines = await linesOf(placed.orderId);
    const returned = [{ lineNo: lineNo(lines, 'RF-10'), quantity: 1 }];
    const { returnId, decided } = await returnLines(member, placed.orderId, returned, true);
    expect(decided.refund).toMatchObject({ method: 'bank_transfer', status: 'pending', amount_yen: expectedCredit(lines, returned) });
    // Opening again (a retried request) finds the same row.
    const again = await inShop((tx) => openReturnRefund(tx, { tenantId: shop.tenantId, returnId, actor: staff }));
    expect(again?.id).toBe(decided.refund!.id);
    expect(await inShop((tx) => refundsOfOrder(tx, shop.tenantId, placed.orderId))).toHaveLength(1);

    const bad = { bankName: '', branchName: '渋谷支店', accountType: '普通', accountNumber: '12345', accountHolder: 'yamada', paidOn: '2999-01-01' };
    const error = await inShop((tx) => completeManualRefund(tx, { tenantId: shop.tenantId, refundId: decided.refund!.id, form: bad, actor: staff, today: '2025-03-10' })).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fieldErrors).sort()).toEqual(['accountHolder', 'accountNumber', 'bankName', 'paidOn']);
    expect((await inShop((tx) => refundsOfOrder(tx, shop.tenantId, placed.orderId)))[0]?.status).toBe('pending');

    const good = { bankName: 'みずほ銀行', branchName: '渋谷支店', accountType: '普通', accountNumber: '１２３４５６７', accountHolder: 'ｶ) ﾃｽﾄﾋﾞﾖｳ', paidOn: '2025-03-10', note: '返品分' };
    const done = await inShop((tx) => completeManualRefund(tx, { tenantId: shop.tenantId, refundId: decided.refund!.id, form: good, actor: staff, today: '2025-03-10' }));
    expect(done).toMatchObject({ status: 'completed', paid_on: expect.anything() });
    expect(done.payee_bank).toMatchObject({ accountNumber: '1234567', accountHolder: 'カ) テストビヨウ' });
    await expect(inShop((tx) => completeManualRefund(tx, { tenantId: shop.tenantId, refundId: decided.refund!.id, form: good, actor: staff, today: '2025-03-10' }))).rejects.toBeInstanceOf(ConflictError);
    const after = await orderRow(placed.orderId);
    expect(after.payment_status).toBe('partially_refunded');
    const payment = await inShop((tx) => tx.selectFrom('payments').selectAll().where('order_id', '=', placed.orderId).executeTakeFirstOrThrow());
    expect(payment).toMatchObject({ status: 'partially_refunded', refunded_yen: done.amount_yen });
    // The goods went back on the shelf with the approval.
    const adjustments = await inShop((tx) => tx.selectFrom('stock_adjustments').selectAll().where('variant_id', '=', v10).where('reason', '=', 'return').execute());
    expect(adjustments.some((a) => a.delta === 1)).toBe(true);
    const actions = await auditActions();
    expect(actions).toEqual(expect.arrayContaining(['order.refund_opened', 'order.refund_completed', 'order.request_approved']));
  });

  it('records the money a COD driver collected on delivery, and refunds a return against it', async () => {
    const member = await addMember(database, shop);
    const placed = await placeTestOrder(database, shop, member, [{ variantId: v10, quantity: 2 }], { paymentMethod: 'cod' });
    await deliver(placed.orderId);
    const order = await orderRow(placed.orderId);
    expect(order.payment_status).toBe('paid');
    const lines = await linesOf(placed.orderId);
    const { decided } = await returnLines(member, placed.orderId, [{ lineNo: lines[0]!.line_no, quantity: 2 }]);
    expect(decided.refund).toMatchObject({ method: 'cod', status: 'pending', amount_yen: expectedCredit(lines, [{ lineNo: lines[0]!.line_no, quantity: 2 }]) });
    expect(decided.refund!.amount_yen).toBeLessThan(order.total_incl_tax); // shipping and the COD fee stay charged
  });

  it('an approved cancellation of a paid transfer gives back everything paid, once', async () => {
    const member = await addMember(database, shop);
    const placed = await placeTestOrder(database, shop, member, [{ variantId: v8, quantity: 4 }], { paymentMethod: 'bank_transfer' });
    const order = await orderRow(placed.orderId);
    await inShop((tx) => markBankTransferReceived(tx, { tenantId: shop.tenantId, orderId: placed.orderId, amountYen: order.total_incl_tax, receivedOn: '2025-03-03', actor: staff }));
    const requestId = await asMember(database, shop, member, (tx) => requestCancellation(tx, { tenantId: shop.tenantId, accountId: member.accountId, userId: member.userIds[0]! }, { orderId: placed.orderId, reason: '重複注文' }));
    const decided = await inShop((tx) => decideReturn(tx, { tenantId: shop.tenantId, returnId: requestId, approve: true, note: '', actor: staff }));
    expect(decided.refund).toMatchObject({ kind: 'cancellation', method: 'bank_transfer', status: 'pending', amount_yen: order.total_incl_tax, return_id: requestId });
    const again = await inShop((tx) => openCancellationRefund(tx, { tenantId: shop.tenantId, orderId: placed.orderId, actor: staff }));
    expect(again?.id).toBe(decided.refund!.id);
  });
});

describe('card: refunded through the provider, once, whatever fails in between', () => {
  // A provider that keeps its refunds by idempotency key, as Stripe does, and can fail before or after refunding.
  const refunds: { key: string; paymentId: string; amount: number; id: string }[] = [];
  let down: 'no' | 'before' | 'after-refund' = 'no';
  const captured = new Map<string, number>();
  const statusOf = (paymentId: string): ProviderPaymentStatus => ({
    sessionId: `cs_${paymentId}`,
    paymentId,
    orderId: null,
    outcome: 'succeeded',
    amountYen: captured.get(paymentId) ?? 0,
    capturedYen: captured.get(paymentId) ?? 0,
    refundedYen: refunds.filter((r) => r.paymentId === paymentId).reduce((n, r) => n + r.amount, 0),
    card: { brand: 'visa', last4: '4242' },
    threeDSecure: 'authenticated',
    failureCode: null,
    chargeId: null,
  });
  const fake = {
    name: 'stripe',
    hostedPageOrigin: 'https://psp.example',
    async refund(paymentId: string, amountYen: number, key: string) {
      if (down === 'before') throw new ProviderUnavailableError('timeout');
      let refund = refunds.find((r) => r.key === key);
      if (!refund) {
        refund = { key, paymentId, amount: amountYen, id: `re_${refunds.length + 1}` };
        refunds.push(refund);
      }
      if (down === 'after-refund') throw new ProviderUnavailableError('connection reset after the refund was made');
      return { refundId: refund.id, amountYen: refund.amount };
    },
    async fetchStatus(ref: { paymentId?: string | null }) {
      return statusOf(ref.paymentId!);
    },
  } as unknown as PaymentProvider;

  it('a provider outage leaves the refund failed with a message; the retry replays the same key and refunds once', async () => {
    const deps = testDeps(database, { providerFactory: () => fake });
    await inShop((tx) => saveProviderKey(tx, deps.box, null, shop.tenantId, { secretKey: 'sk_test_refund_fake_0001', apiBaseUrl: 'https://psp.example', hostedPageOrigin: 'https://psp.example' }));
    const member = await addMember(database, shop);
    // A card order as the payments domain leaves it once paid (that flow is tested there).
    const placed = await placeTestOrder(database, shop, member, [{ variantId: v10, quantity: 4 }, { variantId: v8, quantity: 1 }], { paymentMethod: 'bank_transfer' });
    const order = await orderRow(placed.orderId);
    const paymentId = `pi_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    captured.set(paymentId, order.total_incl_tax);
    await database.ownerExec(`UPDATE orders SET payment_method = 'card', payment_status = 'paid', status = 'confirmed', transfer_reference = NULL WHERE tenant_id = $1 AND id = $2`, [shop.tenantId, placed.orderId]);
    await database.ownerExec(
      `INSERT INTO payments (tenant_id, order_id, account_id, method, provider, provider_session_id, provider_payment_id, status, amount_yen, captured_yen) VALUES ($1, $2, $3, 'card', 'stripe', $4, $5, 'succeeded', $6, $6)`,
      [shop.tenantId, placed.orderId, member.accountId, `cs_${paymentId}`, paymentId, order.total_incl_tax],
    );
    await deliver(placed.orderId);
    const lines = await linesOf(placed.orderId);
    const returned = [{ lineNo: lineNo(lines, 'RF-10'), quantity: 3 }];
    const { decided } = await returnLines(member, placed.orderId, returned);
    const amount = expectedCredit(lines, returned);
    expect(decided.refund).toMatchObject({ method: 'card', status: 'pending', amount_yen: amount });
    const refundId = decided.refund!.id;

    down = 'before';
    const first = await processCardRefund(deps, { tenantId: shop.tenantId, refundId, actor: staffActor });
    expect(first).toMatchObject({ ok: false, refund: { status: 'failed', attempts: 1 } });
    expect(first.ok ? '' : first.message).toContain('接続できません');
    expect(refunds).toHaveLength(0);

    // The provider refunds but the answer is lost: still failed on our side…
    down = 'after-refund';
    const second = await processCardRefund(deps, { tenantId: shop.tenantId, refundId, actor: staffActor });
    expect(second).toMatchObject({ ok: false, refund: { status: 'failed', attempts: 2 } });
    expect(refunds).toHaveLength(1);

    // …and the retry replays the same key: completed, and the member got the money once.
    down = 'no';
    const third = await processCardRefund(deps, { tenantId: shop.tenantId, refundId, actor: staffActor });
    expect(third).toMatchObject({ ok: true, refund: { status: 'completed', provider_refund_id: 're_1', attempts: 3 } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.amount).toBe(amount);
    const fourth = await processCardRefund(deps, { tenantId: shop.tenantId, refundId, actor: staffActor });
    expect(fourth).toMatchObject({ ok: true, refund: { attempts: 3 } });
    expect(refunds).toHaveLength(1);

    expect((await orderRow(placed.orderId)).payment_status).toBe('partially_refunded');
    const payment = await inShop((tx) => tx.selectFrom('payments').selectAll().where('order_id', '=', placed.orderId).executeTakeFirstOrThrow());
    expect(payment).toMatchObject({ status: 'partially_refunded', refunded_yen: amount });
    expect(await auditActions()).toEqual(expect.arrayContaining(['order.refund_failed', 'payments.refunded']));
  });
});

describe('migration 0020', () => {
  it('backfills earlier approved returns with the amounts the service computes', async () => {
    const select = `SELECT return_id::text, method, amount_yen FROM refunds WHERE kind = 'return' ORDER BY return_id`;
    const fromService = (await database.ownerExec(select)).rows;
    expect(fromService.length).toBeGreaterThanOrEqual(5);
    const migration = readFileSync('db/migrations/0020_refunds_shelves_issuer.sql', 'utf8');
    const backfill = migration.slice(migration.indexOf('INSERT INTO refunds'), migration.indexOf(';', migration.indexOf('AND t.amount > 0')));
    await database.ownerExec(`DELETE FROM refunds WHERE kind = 'return'`);
    await database.ownerExec(backfill);
    expect((await database.ownerExec(select)).rows).toEqual(fromService);
  });
});
