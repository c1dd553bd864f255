import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import { jstDateTime } from '../domains/calendar/calendar-date.ts';
import { invoiceOutstanding } from '../domains/checkout/credit.ts';
import { readDocumentPdf } from '../domains/invoicing/document-store.ts';
import { issueOrderInvoice } from '../domains/invoicing/order-invoice.service.ts';
import { lastClosedPeriod } from '../domains/receivables/statement-period.ts';
import { SecretsKey } from '../platform/config/secrets.ts';
import type { Database } from '../platform/db/database.ts';
import { withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import { pdfText } from '../platform/pdf/pdf-inspect.testing.ts';
import { demoId, seedDemoAccounts } from './seed-accounts.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { type SeedOrdersResult, seedDemoOrders } from './seed-orders.ts';
import { seedDemoPlatform } from './seed-platform.ts';
import { seedDemoShopSettings } from './seed-shop-settings.ts';

/**
 * The demo's order history: five orders of the demo member in the states the issue's "done when"
 * walks through, a closed monthly statement with its PDF, all made by the domain functions; an
 * interrupted seed finishes on the next start without doubling anything; a complete one costs
 * nothing more.
 */

let database: Database;
let tenantId: string;
let partial: SeedOrdersResult;
let completed: SeedOrdersResult;
const dataDir = path.resolve('.tmp', `test-demo-orders-${randomUUID().slice(0, 8)}`);
const accountId = demoId('salon', 'hanamizuki');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  await seedDemoShopSettings(database);
  await seedDemoAccounts(database, { secrets: SecretsKey.fromHex(randomBytes(32).toString('hex')) });
  await seedDemoCatalog(database);
  tenantId = await withPlatform(database, async (tx) => (await tx.selectFrom('tenants').select('id').where('slug', '=', 'ayame-color').executeTakeFirstOrThrow()).id);
  // A first start that stops before the statement's PDF (no data directory), then a full one.
  partial = await seedDemoOrders(database);
  completed = await seedDemoOrders(database, { dataDir });
}, 180_000);
afterAll(async () => {
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const inShop = <T,>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(database, tenantId, fn);
const orders = () => inShop((tx) => tx.selectFrom('orders').selectAll().where('account_id', '=', accountId).orderBy('placed_at').execute());

describe('demo orders', () => {
  it('places five orders in the states the demo walks through, through checkout', async () => {
    expect(partial).toMatchObject({ seeded: true, orders: 5, statement: true });
    expect(completed.seeded).toBe(true);
    const rows = await orders();
    expect(rows).toHaveLength(5);
    expect(rows.map((o) => `${o.payment_method}:${o.status}`)).toEqual(['invoice:delivered', 'invoice:return_requested', 'invoice:shipped', 'invoice:confirmed', 'bank_transfer:pending_payment']);
    const transfer = rows[4]!;
    expect(transfer).toMatchObject({ po_number: 'UMD-0007', delivery_slot: '1416', payment_status: 'unpaid' });
    expect(transfer.transfer_reference).toMatch(/^AYA\d+$/);
    expect(transfer.delivery_date).not.toBeNull();
    // Placed by the owner, recorded as the member's own orders.
    const events = await inShop((tx) => tx.selectFrom('order_events').select(['actor_type', 'to_state']).where('order_id', '=', transfer.id).execute());
    expect(events).toEqual([{ actor_type: 'salon_user', to_state: 'pending_payment' }]);
    const period = lastClosedPeriod(jstDateTime(new Date()).date, { closing_day: 20 });
    for (const o of rows.slice(0, 2)) {
      const placed = jstDateTime(new Date(o.placed_at)).date;
      expect(placed >= period.start && placed <= period.end, `${o.order_number} placed ${placed}`).toBe(true);
    }
  });

  it('shipped orders carry tracking numbers and a lot on every lot-tracked line; a return is waiting for staff', async () => {
    const rows = await orders();
    for (const o of rows.slice(0, 3)) {
      const shipments = await inShop((tx) => tx.selectFrom('shipments').selectAll().where('order_id', '=', o.id).execute());
      expect(shipments).toHaveLength(1);
      expect(shipments[0]!.tracking_numbers[0]).toMatch(/^\d{12}$/);
      const lines = await inShop((tx) =>
        tx.selectFrom('shipment_lines as s').innerJoin('order_lines as l', (j) => j.onRef('l.order_id', '=', 's.order_id').onRef('l.line_no', '=', 's.line_no')).select(['l.lot_tracked', 's.lot_number']).where('s.order_id', '=', o.id).execute(),
      );
      for (const l of lines) expect(l.lot_number !== '').toBe(l.lot_tracked);
    }
    const returns = await inShop((tx) => tx.selectFrom('returns').selectAll().where('order_id', '=', rows[1]!.id).execute());
    expect(returns).toHaveLength(1);
    expect(returns[0]).toMatchObject({ kind: 'return', status: 'requested' });
    const shelves = await inShop((tx) => tx.selectFrom('product_variants').select('shelf_location').where('shelf_location', '=', '').execute());
    expect(shelves).toEqual([]);
  });

  it('closes the last period into a monthly statement with its PDF, within the credit limit', async () => {
    const rows = await orders();
    const statements = await inShop((tx) => tx.selectFrom('statements').selectAll().where('account_id', '=', accountId).execute());
    expect(statements).toHaveLength(1);
    const statement = statements[0]!;
    expect(statement.document_id).not.toBeNull();
    expect(statement.sent_via).toBe('mail');
    expect(statement.previous_balance).toBe(0);
    // Tax once per rate over the period: within a yen per rate of the two orders' own totals.
    expect(Math.abs(statement.amount_due - (rows[0]!.total_incl_tax + rows[1]!.total_incl_tax))).toBeLessThanOrEqual(2);
    const doc = await inShop((tx) => tx.selectFrom('documents').selectAll().where('id', '=', statement.document_id!).executeTakeFirstOrThrow());
    const text = await pdfText(await readDocumentPdf(dataDir, doc));
    expect(text).toContain(rows[0]!.order_number);
    expect(text).toContain(rows[1]!.order_number);
    expect(text).not.toContain(rows[2]!.order_number);
    const owed = await inShop((tx) => invoiceOutstanding(tx, { tenantId, accountId }));
    const limit = await inShop(async (tx) => (await tx.selectFrom('memberships').select('credit_limit_yen').where('account_id', '=', accountId).executeTakeFirstOrThrow()).credit_limit_yen);
    expect(owed).toBe(rows.slice(0, 4).reduce((n, o) => n + o.total_incl_tax, 0));
    expect(owed).toBeLessThan(limit);
  });

  it('gives the member a qualified invoice with the shop’s registration number', async () => {
    const [first] = await orders();
    const doc = await issueOrderInvoice({ inScope: (fn) => withTenant(database, tenantId, fn), dataDir }, { tenantId, orderId: first!.id });
    const text = await pdfText(await readDocumentPdf(dataDir, doc));
    expect(text).toMatch(/T\d{13}/);
    expect(text).toContain(first!.order_number);
  });

  it('does nothing more on the next start', async () => {
    const before = (await orders()).length;
    const again = await seedDemoOrders(database, { dataDir });
    expect(again.seeded).toBe(false);
    expect((await orders()).length).toBe(before);
  });
});
