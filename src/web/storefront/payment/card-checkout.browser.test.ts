import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/chromium.ts';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoCatalog } from '../../../demo/seed-catalog.ts';
import { addMember, addVariant, type CommerceShop, commerceShop, memberSession } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import { scanDatabaseForPans, scanFilesForPans } from '../../../domains/payments/pan-scan.service.ts';
import { connectShopToSandbox, orderState } from '../../../domains/payments/payments.test-support.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import type { PspSandbox } from '../../../psp-sandbox/psp-sandbox.server.ts';
import { startSandbox } from '../../../psp-sandbox/psp-sandbox.test-support.ts';

/**
 * A member pays by card in real Chromium: cart → checkout (card) → Oroshi's payment step → the
 * sandbox provider's hosted page on its own origin → 3-D Secure → back to Oroshi, with webhooks
 * delivered to this app. Every request the browser sends to Oroshi's origin is captured: none
 * carries the card number (in any spacing) or the security code. Afterwards the PAN scanner finds
 * nothing in the database or the data directory, and does find a planted number.
 */

const CVC = '737';
let database: Database;
let app: FastifyInstance;
let sandbox: PspSandbox;
let browser: Browser;
let origin: string;
let shop: CommerceShop;
let dataDir: string;

interface Sent {
  url: string;
  body: string;
}
const sentToOroshi: Sent[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-card-'));
  database = await createTestDatabase();
  ({ app } = await createTestApp(database, { env: { DATA_DIR: dataDir } }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  sandbox = await startSandbox({ webhookRetry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 10, timeoutMs: 3000 } });
  shop = await commerceShop(database);
  await seedDemoCatalog(database);
  await connectShopToSandbox(database, shop, sandbox.origin, `${origin}/hooks/psp/${shop.slug}`);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  await app?.close();
  await database?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Signs a fresh member in, puts one item in the cart through the product page, and checks out by card. */
async function checkoutByCard(sku: string): Promise<{ page: Page; orderId: string; close: () => Promise<void> }> {
  await addVariant(database, shop, { sku, name: 'あやめ カラーケア シャンプー', listPriceYen: 3800, stock: 20 });
  const member = await addMember(database, shop);
  const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
  await context.addCookies([{ name: 'oroshi_session', value: await memberSession(database, shop, member), url: origin }]);
  const page = await context.newPage();
  page.on('request', (request) => {
    if (new URL(request.url()).origin === origin) sentToOroshi.push({ url: request.url(), body: request.postData() ?? '' });
  });
  await page.goto(`${origin}/s/${shop.slug}/p/P-${sku}`);
  await Promise.all([page.waitForURL(/\/cart/), page.click('form.add-to-cart button[type=submit]')]);
  await page.goto(`${origin}/s/${shop.slug}/checkout`);
  await page.check('input[name="destination"][value="location"]');
  await page.check('input[name="paymentMethod"][value="card"]');
  await page.click('form.checkout-form button[type="submit"]');
  await page.waitForSelector('text=注文を確定する');
  // Placing a card order leads to the shop's own payment step (below /s/:shop).
  await Promise.all([page.waitForURL(/\/payment\/[0-9a-f-]{36}$/), page.click('button:has-text("注文を確定する")')]);
  expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/s/${shop.slug}/payment/[0-9a-f-]{36}$`));
  const orderId = /\/payment\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  await Promise.all([page.waitForURL((url) => url.origin === sandbox.origin), page.click('button:has-text("カード決済へ進む")')]);
  expect(new URL(page.url()).origin).not.toBe(origin);
  return { page, orderId, close: () => context.close() };
}

async function typeCard(page: Page, number: string) {
  await page.fill('#number', number);
  await page.fill('#expiry', '12/34');
  await page.fill('#cvc', CVC);
  await page.fill('#name', 'YAMADA HANAKO');
}

const confirmations = (events: { kind: string; to_state: string }[]) => events.filter((e) => e.kind === 'status' && e.to_state === 'confirmed').length;

/** Digits only, after URL-decoding: catches "4000 0000…", "4000-0000…", "4000+0000…" and %20 forms. */
function digitsOf(text: string): string {
  let decoded = text.replace(/\+/g, ' ');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // Not URL-encoded: search the raw text.
  }
  return decoded.normalize('NFKC').replace(/[\s\-‐－.]/g, '');
}

function assertNothingCardLikeSent(numbers: string[]) {
  expect(sentToOroshi.length).toBeGreaterThan(5);
  for (const sent of sentToOroshi) {
    for (const number of numbers) {
      expect(digitsOf(sent.url), sent.url).not.toContain(number);
      expect(digitsOf(sent.body), sent.url).not.toContain(number);
    }
    expect(sent.body, sent.url).not.toMatch(/cvc|cvv|security_code/i);
    if (sent.body) for (const [, value] of new URLSearchParams(sent.body)) expect(value, sent.url).not.toBe(CVC);
  }
}

describe('card checkout in Chromium through the sandbox provider', () => {
  it('3-D Secure success: back on Oroshi, the order is confirmed and paid exactly once', async () => {
    const { page, orderId, close } = await checkoutByCard('CARD-OK');
    await typeCard(page, '4000 0000 0000 3220');
    await Promise.all([page.waitForURL(/\/3ds\//), page.click('button[type=submit]')]);
    await page.fill('#code', '123456');
    await Promise.all([page.waitForURL((url) => url.origin === origin && url.pathname.endsWith('/return')), page.click('button[value=authenticate]')]);
    expect(await page.textContent('h1')).toContain('お支払いが完了しました');
    expect(await page.getAttribute('a:has-text("ご注文の詳細を見る")', 'href')).toBe(`/s/${shop.slug}/account/orders/${orderId}`);
    await sandbox.webhooksIdle();
    const state = await orderState(database, shop.tenantId, orderId);
    expect(state).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(confirmations(state.events)).toBe(1);
    expect(state.payments).toHaveLength(1);
    expect(state.payments[0]).toMatchObject({ status: 'succeeded', card_brand: 'visa', card_last4: '3220', three_d_secure: 'authenticated' });
    // A replayed return changes nothing.
    await page.reload();
    await sandbox.webhooksIdle();
    expect(confirmations((await orderState(database, shop.tenantId, orderId)).events)).toBe(1);
    await close();
  }, 60_000);

  it('decline: the provider refuses, the buyer returns, the order stays payable and unpaid', async () => {
    const { page, orderId, close } = await checkoutByCard('CARD-DECLINE');
    await typeCard(page, '4000-0000-0000-0002');
      // 3-D Secure passes; then the issuer declines.
    await Promise.all([page.waitForURL(/\/3ds\//), page.click('button[type=submit]')]);
    await page.fill('#code', '123456');
    await page.click('button[value=authenticate]');
    await page.waitForSelector('[data-testid=decline]');
    expect(new URL(page.url()).origin).toBe(sandbox.origin);
    await Promise.all([page.waitForURL((url) => url.origin === origin), page.click('a:has-text("お支払いをやめてショップに戻る")')]);
    expect(await page.textContent('body')).toContain('カード決済は完了していません');
    await sandbox.webhooksIdle();
    const state = await orderState(database, shop.tenantId, orderId);
    expect(state).toMatchObject({ status: 'pending_payment' });
    expect(state.payment_status).not.toBe('paid');
    expect(confirmations(state.events)).toBe(0);
    await close();
  }, 60_000);

  it('3-D Secure failure: cancelling the challenge pays nothing', async () => {
    const { page, orderId, close } = await checkoutByCard('CARD-3DS-FAIL');
    await typeCard(page, '4000000000003220');
    await Promise.all([page.waitForURL(/\/3ds\//), page.click('button[type=submit]')]);
    await page.click('button[value=cancel]');
    await page.waitForLoadState();
    await Promise.all([page.waitForURL((url) => url.origin === origin), page.click('a:has-text("ショップに戻る")')]);
    await sandbox.webhooksIdle();
    const state = await orderState(database, shop.tenantId, orderId);
    expect(state.status).toBe('pending_payment');
    expect(state.payment_status).not.toBe('paid');
    expect(state.payments.every((p) => p.status !== 'succeeded')).toBe(true);
    await close();
  }, 60_000);

  it('no request to Oroshi carried a card number or CVC, and the PAN scanner finds none (but finds a planted one)', async () => {
    assertNothingCardLikeSent(['4000000000003220', '4000000000000002']);

    const dbFindings = await scanDatabaseForPans(database);
    expect(dbFindings).toEqual([]);
    const files = await scanFilesForPans([dataDir]);
    expect(files.findings).toEqual([]);

    // The demo catalog's JAN codes are in this database and pass; a planted card number is caught.
    const jans = await database.ownerExec(`SELECT count(*)::int AS n FROM product_variants WHERE jan_code ~ '^[0-9]{13}$'`);
    expect((jans.rows[0] as { n: number }).n).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dataDir, 'planted.log'), 'customer note: 4000 0000 0000 3220 exp 12/34\n');
    const planted = await scanFilesForPans([dataDir]);
    expect(planted.findings).toEqual([expect.objectContaining({ brand: 'visa', where: expect.stringContaining('planted.log') })]);
    expect(JSON.stringify(planted.findings)).not.toContain('4000000000003220');
    const plantedRows = await withTenant(database, shop.tenantId, (tx) =>
      tx.updateTable('products').set({ name: 'メモ 4000 0000 0000 3220' }).where('code', '=', 'P-CARD-OK').returning('id').execute(),
    );
    expect(plantedRows).toHaveLength(1);
    const plantedInDb = await scanDatabaseForPans(database);
    // The name and any column derived from it (search text) are reported; nothing else is.
    expect(plantedInDb).toContainEqual(expect.objectContaining({ brand: 'visa', where: expect.stringContaining('products.name') }));
    expect(plantedInDb.every((f) => f.where.includes('public.products.') && f.masked === '400000******3220')).toBe(true);
  }, 60_000);
});
