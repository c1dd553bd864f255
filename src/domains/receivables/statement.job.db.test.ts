import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { pdfText } from '../../platform/pdf/pdf-inspect.testing.ts';
import { addMember, addVariant, asMember, type CommerceShop, commerceShop, type TestMember } from '../checkout/checkout-fixtures.testing.ts';
import { placeTestOrder } from '../fulfilment/fulfilment-fixtures.testing.ts';
import { markDelivered, recordShipment } from '../fulfilment/shipment.service.ts';
import { readDocumentPdf } from '../invoicing/document-store.ts';
import { decideReturn, requestReturn } from '../returns/return.service.ts';
import { listReceivables, recordReceipt } from './receivables.service.ts';
import { runMonthlyStatements } from './statement.job.ts';
import { lastClosedPeriod, statementDueDate } from './statement-period.ts';

let database: Database;
let shop: CommerceShop;
let variant10: string;
let variant8: string;
const dataDir = path.resolve('.tmp', `test-statements-${randomUUID().slice(0, 8)}`);
const staff = { type: 'staff' as const, id: randomUUID(), label: '経理 担当' };
const jst = (local: string) => new Date(`${local}+09:00`);

beforeAll(async () => {
  database = await createTestDatabase();
  shop = await commerceShop(database);
  variant10 = await addVariant(database, shop, { sku: 'ST-10', listPriceYen: 1999, stock: 500 });
  variant8 = await addVariant(database, shop, { sku: 'ST-8', listPriceYen: 777, stock: 500, taxRate: 8 });
}, 60_000);
afterAll(async () => database?.close());

const inShop = <T,>(fn: (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>) => withTenant(database, shop.tenantId, fn);
const statementsOf = (m: TestMember) => inShop((tx) => tx.selectFrom('statements').selectAll().where('account_id', '=', m.accountId).orderBy('period_end').execute());
const setTerms = (m: TestMember, closing: number, offset: number, day: number) =>
  inShop((tx) => tx.updateTable('memberships').set({ closing_day: closing, payment_month_offset: offset, payment_day: day }).where('id', '=', m.membershipId).execute());
const statementMails = (m: TestMember) =>
  inShop(async (tx) => (await tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute()).map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload)).filter((p: { to: string; subject: string }) => p.to === m.emails[0] && p.subject.includes('ご請求書')));

describe('closing and due dates', () => {
  it('closes the period before the one today is in, across month and year ends', () => {
    expect(lastClosedPeriod('2025-01-21', { closing_day: 20 })).toEqual({ start: '2024-12-21', end: '2025-01-20' });
    expect(lastClosedPeriod('2025-01-20', { closing_day: 20 })).toEqual({ start: '2024-11-21', end: '2024-12-20' });
    expect(lastClosedPeriod('2025-03-01', { closing_day: 31 })).toEqual({ start: '2025-02-01', end: '2025-02-28' });
    expect(lastClosedPeriod('2024-03-01', { closing_day: 31 })).toEqual({ start: '2024-02-01', end: '2024-02-29' });
  });

  it('moves a due date on a weekend or public holiday to the previous bank business day', () => {
    const terms = { closing_day: 20, payment_month_offset: 1, payment_day: 31 };
    expect(statementDueDate('2025-01-20', terms)).toBe('2025-02-28');
    expect(statementDueDate('2025-04-20', terms)).toBe('2025-05-30'); // 5/31 is a Saturday
    expect(statementDueDate('2025-01-31', { closing_day: 31, payment_month_offset: 1, payment_day: 11 })).toBe('2025-02-10'); // 2/11 建国記念の日
    expect(statementDueDate('2024-12-31', { closing_day: 31, payment_month_offset: 1, payment_day: 3 })).toBe('2024-12-30'); // 1/3 bank holiday → last business day of 2024
  });
});

describe('monthly statement job', () => {
  it('makes one statement per closing with due date, purchases taxed once per rate, returns and receipts; repeats do nothing more', async () => {
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 5_000_000 });
    await setTerms(member, 20, 1, 31);
    const first = await placeTestOrder(database, shop, member, [{ variantId: variant10, quantity: 3 }, { variantId: variant8, quantity: 3 }], { now: jst('2025-01-10T10:00:00') });
    // After the closing day: belongs to the next period.
    await placeTestOrder(database, shop, member, [{ variantId: variant10, quantity: 1 }], { now: jst('2025-01-21T09:00:00') });
    // Before the job on the 21st, nothing closes on the 20th itself.
    await runMonthlyStatements(database, { dataDir, now: jst('2025-01-20T23:00:00') });
    expect((await statementsOf(member)).map((s) => String(s.period_end).slice(0, 10))).not.toContain('2025-01-20');

    const run = await runMonthlyStatements(database, { dataDir, now: jst('2025-01-21T00:30:00') });
    expect(run.created).toBeGreaterThanOrEqual(1);
    await runMonthlyStatements(database, { dataDir, now: jst('2025-01-21T00:30:00') });
    await runMonthlyStatements(database, { dataDir, now: jst('2025-01-25T00:30:00') });
    const [january] = await statementsOf(member);
    expect(await statementsOf(member)).toHaveLength(1);
    const order = await inShop((tx) => tx.selectFrom('orders').selectAll().where('id', '=', first.orderId).executeTakeFirstOrThrow());
    expect(january).toMatchObject({ period_start: expect.anything(), previous_balance: 0, payments_received: 0, purchases_incl_tax: order.total_incl_tax, amount_due: order.total_incl_tax });
    expect(String(january!.period_end).slice(0, 10)).toBe('2025-01-20');
    expect(String(january!.due_date).slice(0, 10)).toBe('2025-02-28');
    expect(january!.document_id).not.toBeNull();
    expect(await statementMails(member)).toHaveLength(1);
    const doc = await inShop((tx) => tx.selectFrom('documents').selectAll().where('id', '=', january!.document_id!).executeTakeFirstOrThrow());
    const text = await pdfText(await readDocumentPdf(dataDir, doc));
    expect(text).toContain('20日締め翌月末払い');
    expect(text).toContain(order.total_incl_tax.toLocaleString('ja-JP'));

    // February: a receipt, the order of the 21st, and a return of one line decided in the period.
    await inShop((tx) => recordReceipt(tx, { tenantId: shop.tenantId, accountId: member.accountId, form: { amountYen: '5,000', receivedOn: '2025-02-05', note: '振込' }, actor: staff, today: '2025-02-05' }));
    await inShop((tx) => recordShipment(tx, { tenantId: shop.tenantId, orderId: first.orderId, carrier: 'yamato', trackingNumbers: [], lines: [{ lineNo: 1, quantity: 3 }, { lineNo: 2, quantity: 3 }], actor: staff }));
    await inShop((tx) => markDelivered(tx, { tenantId: shop.tenantId, orderId: first.orderId, actor: staff }));
    const line = await inShop((tx) => tx.selectFrom('order_lines').selectAll().where('order_id', '=', first.orderId).where('tax_rate', '=', 8).executeTakeFirstOrThrow());
    const returnId = await asMember(database, shop, member, (tx) => requestReturn(tx, { tenantId: shop.tenantId, accountId: member.accountId, userId: member.userIds[0]! }, { orderId: first.orderId, reason: '破損', lines: [{ lineNo: line.line_no, quantity: 1 }] }));
    await inShop((tx) => decideReturn(tx, { tenantId: shop.tenantId, returnId, approve: true, note: '', actor: staff }));
    await inShop((tx) => tx.updateTable('returns').set({ decided_at: jst('2025-02-10T12:00:00') }).where('id', '=', returnId).execute());
    await runMonthlyStatements(database, { dataDir, now: jst('2025-02-21T00:30:00') });
    const february = (await statementsOf(member))[1]!;
    expect(String(february.period_start).slice(0, 10)).toBe('2025-01-21');
    const second = await inShop((tx) => tx.selectFrom('orders').select('total_incl_tax').where('account_id', '=', member.accountId).where('placed_at', '>', jst('2025-01-21T00:00:00')).executeTakeFirstOrThrow());
    expect(february.previous_balance).toBe(january!.amount_due);
    expect(february.payments_received).toBe(5000);
    expect(february.purchases_incl_tax).toBeLessThan(second.total_incl_tax);
    // The second order is all 10%; the returned 8% line is the period's only 8% base, negative, its tax rounded once toward zero.
    expect(february.purchases_incl_tax).toBe(second.total_incl_tax - line.unit_price_excl_tax - Math.floor((line.unit_price_excl_tax * 8) / 100));
    expect(february.amount_due).toBe(january!.amount_due - 5000 + february.purchases_incl_tax);

    const [row] = (await inShop((tx) => listReceivables(tx, shop.tenantId, '2025-03-05'))).filter((r) => r.accountId === member.accountId);
    expect(row!.overdueYen).toBe(january!.amount_due - 5000);
    const [late] = (await inShop((tx) => listReceivables(tx, shop.tenantId, '2025-04-01'))).filter((r) => r.accountId === member.accountId);
    expect(late!.overdueYen).toBe(february.amount_due);
    expect(late!.creditLimitYen).toBe(5_000_000);
  });

  it('closes month-end members on the 1st and dates the due day off a holiday', async () => {
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 5_000_000 });
    await setTerms(member, 31, 1, 11);
    await placeTestOrder(database, shop, member, [{ variantId: variant8, quantity: 2 }], { now: jst('2025-01-31T23:30:00') });
    await runMonthlyStatements(database, { dataDir, now: jst('2025-02-01T00:30:00') });
    const [statement] = await statementsOf(member);
    expect(String(statement!.period_start).slice(0, 10)).toBe('2025-01-01');
    expect(String(statement!.period_end).slice(0, 10)).toBe('2025-01-31');
    expect(String(statement!.due_date).slice(0, 10)).toBe('2025-02-10');
  });

  it('refuses a receipt with a bad amount or a future date, recording nothing', async () => {
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 100_000 });
    await expect(inShop((tx) => recordReceipt(tx, { tenantId: shop.tenantId, accountId: member.accountId, form: { amountYen: '-5', receivedOn: '2025-02-05' }, actor: staff, today: '2025-02-05' }))).rejects.toMatchObject({ fieldErrors: { amountYen: expect.any(String) } });
    await expect(inShop((tx) => recordReceipt(tx, { tenantId: shop.tenantId, accountId: member.accountId, form: { amountYen: '100', receivedOn: '2025-02-06' }, actor: staff, today: '2025-02-05' }))).rejects.toMatchObject({ fieldErrors: { receivedOn: expect.any(String) } });
    expect(await inShop((tx) => tx.selectFrom('receipts').select('id').where('account_id', '=', member.accountId).execute())).toEqual([]);
  });
});
