import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PspSandbox } from './psp-sandbox.server.ts';
import { sessionParams, startSandbox, stripeFor } from './psp-sandbox.test-support.ts';

let sandbox: PspSandbox;
let browser: Browser;
let shop: Server;
let shopOrigin: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  // The shop lives on its own origin, as in production: the redirect after payment crosses origins.
  shop = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>ご注文ありがとうございました</p>'));
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => shop?.close(() => resolve()));
  await sandbox?.close();
});

describe('hosted page in Chromium', () => {
  it('takes a card, passes the 3-D Secure challenge and returns to the shop', async () => {
    const stripe = stripeFor(sandbox);
    const session = await stripe.checkout.sessions.create(
      sessionParams({
        success_url: `${shopOrigin}/checkout/done?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${shopOrigin}/checkout/cancelled`,
      }),
    );
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });

    await page.goto(session.url!);
    expect(await page.textContent('[data-testid=amount]')).toBe('¥3,200');
    // The stylesheet loads under the CSP: the pay button gets its colour from /pay.css.
    expect(await page.$eval('button[type=submit]', (b) => getComputedStyle(b).backgroundColor)).toBe('rgb(31, 95, 191)');

    await page.fill('#number', '4000 0000 0000 3220');
    await page.fill('#expiry', '12/34');
    await page.fill('#cvc', '123');
    await page.fill('#name', 'YAMADA HANAKO');
    await Promise.all([page.waitForURL(/\/3ds\//), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toContain('本人認証');

    await page.fill('#code', '123456');
    await Promise.all([page.waitForURL(`${shopOrigin}/checkout/done?session_id=${session.id}`), page.click('button[value=authenticate]')]);
    expect(await page.textContent('p')).toContain('ご注文ありがとうございました');
    expect(violations).toEqual([]);

    const paid = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge'] });
    expect(paid.status).toBe('complete');
    const charge = (paid.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge;
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '3220', three_d_secure: { result: 'authenticated' } });
    await page.close();
  });
});
