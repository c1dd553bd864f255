import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/chromium.ts';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { addToCart } from '../../../domains/cart/cart.service.ts';
import { addMember, addVariant, asMember, type CommerceShop, commerceShop, memberSession } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import type { Database } from '../../../platform/db/database.ts';

/**
 * Cart, quick order, checkout and the final confirmation in Chromium at phone (390) and desktop
 * (1280) widths: screenshots into .tmp/ for review, no horizontal overflow, no serious or
 * critical axe-core violation, and the postal-code fill runs under the page's CSP.
 */

let database: Database;
let app: FastifyInstance;
let browser: Browser;
let origin: string;
let shop: CommerceShop;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app } = await createTestApp(database));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  shop = await commerceShop(database);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

const axeSource = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

async function audit(page: Page, shot: string, width: number): Promise<{ overflow: number; violations: string[] }> {
  fs.mkdirSync('.tmp', { recursive: true });
  await page.screenshot({ path: `.tmp/checkout-${shot}-${width}.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return {
    overflow,
    violations: result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`),
  };
}

describe('cart and checkout in Chromium', () => {
  for (const width of [390, 1280]) {
    it(`cart, quick order, checkout and confirmation render at ${width}px without overflow or serious axe violations`, async () => {
      const shampoo = await addVariant(database, shop, { sku: `AY-SH-${width}`, name: 'あやめ カラーケア シャンプー', listPriceYen: 3800, stock: 40 });
      const gel = await addVariant(database, shop, { sku: `AY-TR-${width}`, name: 'あやめ 酸性カラー 6GB', jan: width === 390 ? '4955531000017' : '4955531000024', listPriceYen: 1200, stock: 3, taxRate: 8, minQuantity: 2, orderMultiple: 2 });
      const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 300_000 });
      await asMember(database, shop, member, async (tx, buyer) => {
        await addToCart(tx, buyer, { variantId: shampoo, quantity: 6 });
        await addToCart(tx, buyer, { variantId: gel, quantity: 2 });
      });
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, deviceScaleFactor: 1 });
      await context.addCookies([{ name: 'oroshi_session', value: await memberSession(database, shop, member), url: origin }]);
      const page = await context.newPage();
      const results: Record<string, { overflow: number; violations: string[] }> = {};

      expect((await page.goto(`${origin}/s/${shop.slug}/cart`))?.status()).toBe(200);
      results.cart = await audit(page, 'cart', width);

      await page.goto(`${origin}/s/${shop.slug}/quick-order`);
      await page.fill('#quick-order-lines', `AY-SH-${width}\t２\nUNKNOWN-1, 3\nAY-TR-${width} 3`);
      await page.click('button[value="preview"]');
      await expect(page.locator('.quick-order-preview')).toBeTruthy();
      results['quick-order'] = await audit(page, 'quick-order', width);

      await page.goto(`${origin}/s/${shop.slug}/checkout`);
      results.checkout = await audit(page, 'checkout', width);
      await page.check('input[name="destination"][value="location"]');
      await page.check('input[name="paymentMethod"][value="invoice"]');
      await page.selectOption('#checkout-deliverySlot', 'am');
      await page.fill('#checkout-poNumber', 'PO-2025-001');
      await page.click('form.checkout-form button[type="submit"]');
      await page.waitForSelector('text=注文を確定する');
      results.confirm = await audit(page, 'confirm', width);

      for (const [name, r] of Object.entries(results)) {
        expect(r.violations, `${name} at ${width}`).toEqual([]);
        expect(r.overflow, `${name} at ${width}`).toBeLessThanOrEqual(0);
      }
      await context.close();
    }, 90_000);
  }

  it('fills the address from the postal code on the checkout page under its own CSP', async () => {
    const variant = await addVariant(database, shop, { sku: 'AY-POSTAL', stock: 5 });
    const member = await addMember(database, shop);
    await asMember(database, shop, member, (tx, buyer) => addToCart(tx, buyer, { variantId: variant, quantity: 1 }));
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    await context.addCookies([{ name: 'oroshi_session', value: await memberSession(database, shop, member), url: origin }]);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${origin}/s/${shop.slug}/checkout`);
    await page.check('input[name="destination"][value="new"]');
    await page.fill('#checkout-postalCode', '1500001');
    await page.locator('#checkout-postalCode').blur();
    await page.waitForFunction(() => (document.querySelector('#checkout-city') as HTMLInputElement | null)?.value !== '', null, { timeout: 5000 });
    expect(await page.inputValue('#checkout-prefecture')).toBe('東京都');
    expect(await page.inputValue('#checkout-city')).toContain('渋谷区');
    expect(violations).toEqual([]);
    await context.close();
  }, 30_000);
});
