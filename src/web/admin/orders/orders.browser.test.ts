import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/chromium.ts';
import { createTestStaff } from '../../../../test/sign-in.ts';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { createSession } from '../../../domains/auth/session.service.ts';
import { addMember, addVariant, type CommerceShop, commerceShop, memberSession } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import { placeTestOrder } from '../../../domains/fulfilment/fulfilment-fixtures.testing.ts';
import { recordShipment } from '../../../domains/fulfilment/shipment.service.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withIdentity, withTenant } from '../../../platform/db/tenant-scope.ts';

/**
 * The order screens in Chromium at phone (390) and desktop (1280) widths: the staff list and
 * detail, the member's history and order page. Screenshots into .tmp/, no serious or critical
 * axe-core violation, no horizontal overflow of the member pages.
 */

let database: Database;
let app: FastifyInstance;
let browser: Browser;
let origin: string;
let shop: CommerceShop;
let staffToken: string;
let memberToken: string;
let orderId: string;

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
  const staff = await createTestStaff(created.platform, { tenantId: shop.tenantId, role: 'order_clerk' });
  staffToken = (await withIdentity(database, { tenantId: shop.tenantId, principalId: staff.userId, audience: 'staff' }, (tx) => createSession(tx, { audience: 'staff', userId: staff.userId, boundTenantId: shop.tenantId, mfaVerified: true }))).token;
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
        ['member-history', memberToken, `/s/${shop.slug}/account/orders`, true],
        ['member-order', memberToken, `/s/${shop.slug}/account/orders/${orderId}`, true],
      ];
      for (const [name, token, path, checkOverflow] of pages) {
        const { overflow, violations } = await visit(token, path, width, name);
        expect(violations, `${name} at ${width}`).toEqual([]);
        if (checkOverflow) expect(overflow, `${name} at ${width}`).toBeLessThanOrEqual(0);
      }
    }, 90_000);
  }
});
