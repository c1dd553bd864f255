import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/chromium.ts';
import { createTestStaff } from '../../../../test/sign-in.ts';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { createSession } from '../../../domains/auth/session.service.ts';
import { addMember, addVariant, asMember, type CommerceShop, commerceShop, memberSession } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import { placeTestOrder } from '../../../domains/fulfilment/fulfilment-fixtures.testing.ts';
import { markDelivered, recordShipment } from '../../../domains/fulfilment/shipment.service.ts';
import { markBankTransferReceived } from '../../../domains/orders/bank-transfer.ts';
import { runMonthlyStatements } from '../../../domains/receivables/statement.job.ts';
import { decideReturn, requestReturn } from '../../../domains/returns/return.service.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withIdentity, withTenant } from '../../../platform/db/tenant-scope.ts';

/**
 * The order screens in Chromium at phone (390) and desktop (1280) widths: the staff list and
 * detail (also with a refund waiting for its transfer), 月次請求書, 請求書の発行者, the member's
 * history, order page (with its refund) and statements. Screenshots into .tmp/, no serious or critical
 * axe-core violation, no horizontal overflow of the member pages.
 */

let database: Database;
let app: FastifyInstance;
let browser: Browser;
let origin: string;
let shop: CommerceShop;
let staffToken: string;
let adminToken: string;
let memberToken: string;
let orderId: string;
let returnedId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const created = await createTestApp(database);
  app = created.app;
  shop = await commerceShop(database);
  const a = await addVariant(database, shop, { sku: 'BR-10', name: 'プロフェッショナル シャンプー モイスト', listPriceYen: 3200, stock: 50 });
  const b = await addVariant(database, shop, { sku: 'BR-8', name: 'ルイボスティー 50包', listPriceYen: 900, stock: 50, taxRate: 8 });
  const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 1_000_000 });
  const placed = await placeTestOrder(database, shop, member, [{ variantId: a, quantity: 6 }, { variantId: b, quantity: 2 }], { poNumber: 'PO-2025-031' });
  orderId = placed.orderId;
  await placeTestOrder(database, shop, member, [{ variantId: b, quantity: 1 }]);
  await withTenant(database, shop.tenantId, async (tx) => {
    const line = await tx.selectFrom('order_lines').select('line_no').where('order_id', '=', orderId).where('sku', '=', 'BR-10').executeTakeFirstOrThrow();
    await recordShipment(tx, { tenantId: shop.tenantId, orderId, carrier: 'yamato', trackingNumbers: ['123456789012'], lines: [{ lineNo: line.line_no, quantity: 3 }], actor: { type: 'system' } });
  });
  // A paid bank-transfer order, delivered, with an approved return: its refund waits for the transfer form.
  const paid = await placeTestOrder(database, shop, member, [{ variantId: a, quantity: 2 }], { paymentMethod: 'bank_transfer', poNumber: 'PO-RF-1' });
  returnedId = paid.orderId;
  const system = { type: 'system' as const };
  await withTenant(database, shop.tenantId, async (tx) => {
    const o = await tx.selectFrom('orders').select('total_incl_tax').where('id', '=', paid.orderId).executeTakeFirstOrThrow();
    await markBankTransferReceived(tx, { tenantId: shop.tenantId, orderId: paid.orderId, amountYen: o.total_incl_tax, receivedOn: '2025-03-03', actor: system });
    await recordShipment(tx, { tenantId: shop.tenantId, orderId: paid.orderId, carrier: 'yamato', trackingNumbers: ['223456789012'], lines: [{ lineNo: 1, quantity: 2 }], actor: system });
    await markDelivered(tx, { tenantId: shop.tenantId, orderId: paid.orderId, actor: system });
  });
  const returnId = await asMember(database, shop, member, (tx) => requestReturn(tx, { tenantId: shop.tenantId, accountId: member.accountId, userId: member.userIds[0]! }, { orderId: paid.orderId, reason: '破損', lines: [{ lineNo: 1, quantity: 1 }] }));
  await withTenant(database, shop.tenantId, (tx) => decideReturn(tx, { tenantId: shop.tenantId, returnId, approve: true, note: '', actor: system }));
  // A closed monthly statement for the statements screen.
  await placeTestOrder(database, shop, member, [{ variantId: b, quantity: 3 }], { now: new Date('2025-02-10T10:00:00+09:00') });
  await runMonthlyStatements(database, { dataDir: created.platform.config.dataDir, now: new Date('2025-02-21T00:30:00+09:00') });
  const staff = await createTestStaff(created.platform, { tenantId: shop.tenantId, role: 'order_clerk' });
  staffToken = (await withIdentity(database, { tenantId: shop.tenantId, principalId: staff.userId, audience: 'staff' }, (tx) => createSession(tx, { audience: 'staff', userId: staff.userId, boundTenantId: shop.tenantId, mfaVerified: true }))).token;
  const admin = await createTestStaff(created.platform, { tenantId: shop.tenantId, role: 'shop_admin' });
  adminToken = (await withIdentity(database, { tenantId: shop.tenantId, principalId: admin.userId, audience: 'staff' }, (tx) => createSession(tx, { audience: 'staff', userId: admin.userId, boundTenantId: shop.tenantId, mfaVerified: true }))).token;
  memberToken = await memberSession(database, shop, member);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

const axeSource = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

async function visit(token: string, path: string, width: number, shot: string) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, deviceScaleFactor: 1 });
  await context.addCookies([{ name: 'oroshi_session', value: token, url: origin }]);
  const page = await context.newPage();
  const res = await page.goto(`${origin}${path}`);
  expect(res?.status(), path).toBe(200);
  await page.screenshot({ path: `.tmp/orders-${shot}-${width}.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  await context.close();
  return { overflow, violations: result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`) };
}

describe('order screens in Chromium', () => {
  for (const width of [390, 1280]) {
    it(`render at ${width}px without serious axe violations`, async () => {
      const pages: [string, string, string, boolean][] = [
        ['admin-list', staffToken, `/admin/${shop.slug}/orders`, false],
        ['admin-detail', staffToken, `/admin/${shop.slug}/orders/${orderId}`, false],
        ['admin-refund', staffToken, `/admin/${shop.slug}/orders/${returnedId}`, false],
        ['admin-statements', staffToken, `/admin/${shop.slug}/statements`, false],
        ['admin-issuer', adminToken, `/admin/${shop.slug}/settings/invoice-issuer`, false],
        ['member-history', memberToken, `/s/${shop.slug}/account/orders`, true],
        ['member-order', memberToken, `/s/${shop.slug}/account/orders/${orderId}`, true],
        ['member-refund', memberToken, `/s/${shop.slug}/account/orders/${returnedId}`, true],
        ['member-statements', memberToken, `/s/${shop.slug}/account/statements`, true],
      ];
      for (const [name, token, path, checkOverflow] of pages) {
        const { overflow, violations } = await visit(token, path, width, name);
        expect(violations, `${name} at ${width}`).toEqual([]);
        if (checkOverflow) expect(overflow, `${name} at ${width}`).toBeLessThanOrEqual(0);
      }
    }, 90_000);
  }
});
