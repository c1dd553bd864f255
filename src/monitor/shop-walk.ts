import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { MonitorProfile } from '../domains/monitor/monitor.tables.ts';
import type { PageSnapshot, WalkSnapshot, WalkStep } from '../domains/monitor/walk-snapshot.ts';
import { startRecording } from './page-capture.ts';
import { contextOptions, ORDINARY_BROWSER_INIT } from './walk-profiles.ts';

/**
 * One walk of one shop in one profile, as the synthetic monitor member: the platform sign-in page,
 * sign-in and the handoff to the shop, a product page, add to cart, the cart, checkout, the final
 * confirmation; with card payment offered, the payment step up to the provider's page and back
 * through the cancel URL (the synthetic order is then cancelled); and the staff sign-in page,
 * not signed in. No order is completed: the walk stops at the confirmation unless the card step
 * needs an order to exist.
 *
 * The per-email sign-in limit (30 per 15 min) is lower than shops × profiles × walks, so a signed-in
 * member context is kept per shop and profile in `sessions` (process memory, an optimisation only:
 * another process signs in for itself). The sign-in page itself is captured on every walk, in a
 * fresh context.
 */

export interface MonitorCredentials {
  email: string;
  password: string;
}

export type SessionCache = Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>;

export interface ShopWalkInput {
  browser: Browser;
  /** Platform origin, e.g. https://oroshi.example or http://127.0.0.1:3000. */
  platformUrl: string;
  /** The shop's home, absolute, ending in '/'. */
  shopUrl: string;
  shopSlug: string;
  profile: MonitorProfile;
  credentials: MonitorCredentials;
  sessions?: SessionCache;
  /** Walk the card step when the checkout offers card (default true). */
  walkPayment?: boolean;
  stepTimeoutMs?: number;
}

export interface ShopWalkResult {
  snapshot: WalkSnapshot;
  durationMs: number;
  /** What the walk could not do (no product, no card offered…), for the walk record. */
  notes: string[];
  /** Set when the walk could not get through the shop (it still returns what it saw). */
  incomplete: string | null;
}

export class WalkError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`${step}: ${message}`);
  }
}

async function newWalkContext(browser: Browser, profile: MonitorProfile, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<BrowserContext> {
  const context = await browser.newContext({ ...contextOptions(profile, browser), ...(storageState ? { storageState } : {}) });
  await context.addInitScript(ORDINARY_BROWSER_INIT);
  return context;
}

async function visit(page: Page, step: WalkStep, url: string): Promise<PageSnapshot> {
  const recorder = startRecording(page);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    return await recorder.finish(step, response);
  } finally {
    recorder.stop();
  }
}

/** Where a form posts, resolved against the page (the browser's own reading of its action). */
function formTargetOrigin(page: Page, formSelector: string): Promise<string> {
  return page
    .locator(formSelector)
    .first()
    .evaluate((f) => new URL(f.getAttribute('action') || location.href, location.href).origin);
}

/**
 * Clicks the form's submit button like a person and waits for the page it leads to. A form that
 * posts to another origin is never submitted: the monitor does not hand its session to a look-alike
 * (the page it is on is already recorded, and its changed form action is what the diff reports).
 */
async function submitForm(page: Page, formSelector: string): Promise<Response | null> {
  const form = page.locator(formSelector).first();
  if ((await form.count()) === 0) throw new WalkError(formSelector, 'form not found');
  const target = await formTargetOrigin(page, formSelector);
  if (target !== new URL(page.url()).origin) throw new WalkError(formSelector, `form posts to another origin (${target}); not submitted`);
  const button = form.locator('button[type="submit"], button:not([type]), input[type="submit"]').first();
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response;
}

async function submitAndRecord(page: Page, step: WalkStep, formSelector: string): Promise<PageSnapshot> {
  const recorder = startRecording(page);
  try {
    const response = await submitForm(page, formSelector);
    return await recorder.finish(step, response);
  } finally {
    recorder.stop();
  }
}

async function firstProductUrl(page: Page): Promise<string | null> {
  const href = await page.locator('a[href*="/p/"]').first().getAttribute('href').catch(() => null);
  return href ? new URL(href, page.url()).href : null;
}

export async function walkShop(input: ShopWalkInput): Promise<ShopWalkResult> {
  const started = performance.now();
  const { browser, profile } = input;
  const notes: string[] = [];
  const pages: PageSnapshot[] = [];
  let paymentRedirectHost: string | null = null;
  let incomplete: string | null = null;
  let signInPage: Page;
  const cacheKey = `${input.shopSlug}:${profile}`;
  const contexts: BrowserContext[] = [];
  const timeout = input.stepTimeoutMs ?? 15_000;
  const open = async (state?: Awaited<ReturnType<BrowserContext['storageState']>>) => {
    const context = await newWalkContext(browser, profile, state);
    context.setDefaultTimeout(timeout);
    context.setDefaultNavigationTimeout(timeout);
    contexts.push(context);
    return context;
  };

  try {
    // 1. The platform sign-in page as anyone receives it.
    const anonymous = await open();
    signInPage = await anonymous.newPage();
    const signInUrl = new URL(`/account/sign-in?shop=${encodeURIComponent(input.shopSlug)}`, input.platformUrl).href;
    pages.push(await visit(signInPage, 'platform-sign-in', signInUrl));

    // 2–5 stop at the first page that is not as a walk needs it; what was seen so far is still judged.
    try {
      await walkMemberSteps();
    } catch (err) {
      // A step that timed out (a blocked navigation, a page that never settles) ends the walk like any
      // other refusal: the pages seen so far are still judged, they are what the diff needs.
      // playwright's TimeoutError, recognised by name: the module is loaded only when a walk runs.
      if (!(err instanceof WalkError) && (err as Error)?.name !== 'TimeoutError') throw err;
      incomplete = err instanceof WalkError ? err.message : `timeout: ${(err as Error).message.split('\n')[0]}`;
    }

    // 6. The staff sign-in page, not signed in.
    const staff = await open();
    pages.push(await visit(await staff.newPage(), 'staff-sign-in', new URL('/admin/sign-in', input.platformUrl).href));
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
  return { snapshot: { version: 1, profile, pages, paymentRedirectHost }, durationMs: Math.round(performance.now() - started), notes, incomplete };

  async function walkMemberSteps(): Promise<void> {
    // 2. Signed in (a kept session, else the sign-in form) and handed off to the shop.
    let member: Page | null = null;
    let productUrl: string | null = null;
    const kept = input.sessions?.get(cacheKey);
    if (kept) {
      const context = await open(kept);
      const page = await context.newPage();
      await page.goto(input.shopUrl, { waitUntil: 'load' });
      productUrl = await firstProductUrl(page);
      if (productUrl) member = page;
      else input.sessions?.delete(cacheKey);
    }
    if (!member) {
      if ((await signInPage.locator('form:has(input[name="password"]) input[name="email"]').count()) === 0) throw new WalkError('platform-sign-in', 'no sign-in form');
      await signInPage.fill('input[name="email"]', input.credentials.email);
      await signInPage.fill('input[name="password"]', input.credentials.password);
      await submitForm(signInPage, 'form:has(input[name="password"])');
      if (new URL(signInPage.url()).pathname.startsWith('/account/sign-in')) throw new WalkError('platform-sign-in', 'sign-in did not succeed (monitor credentials?)');
      await signInPage.goto(input.shopUrl, { waitUntil: 'load' });
      member = signInPage;
      productUrl = await firstProductUrl(member);
    }
    if (!productUrl) throw new WalkError('shop-product', 'no product link on the shop home (is the monitor approved in this shop?)');

    // 3. Product, add to cart, cart, checkout, confirmation.
    pages.push(await visit(member, 'shop-product', productUrl));
    if ((await member.locator('form.add-to-cart').count()) > 0) {
      await submitForm(member, 'form.add-to-cart');
    } else {
      notes.push('no add-to-cart form on the product page');
    }
    pages.push(await visit(member, 'cart', new URL('cart', input.shopUrl).href));
    const checkout = await visit(member, 'checkout', new URL('checkout', input.shopUrl).href);
    pages.push(checkout);
    let placedWithCard = false;
    if (checkout.url.endsWith('/checkout')) {
      const card = member.locator('input[name="paymentMethod"][value="card"]:not([disabled])');
      const useCard = (input.walkPayment ?? true) && (await card.count()) > 0;
      if (useCard) await card.first().check();
      else notes.push('card payment not offered: payment step not walked');
      if ((await member.locator('form[action$="/checkout"]').count()) === 0) throw new WalkError('checkout', 'no checkout form');
      pages.push(await submitAndRecord(member, 'checkout-confirm', 'form[action$="/checkout"]'));

      // 4. The card step needs an order: place it (synthetic: no stock, no mail), go to the provider, come back through cancel.
      if (useCard && (await member.locator('form[action$="/checkout/place"]').count()) > 0) {
        placedWithCard = true;
        const step = await submitAndRecord(member, 'payment-step', 'form[action$="/checkout/place"]');
        if (new URL(member.url()).origin !== new URL(input.shopUrl).origin) {
          // Sent straight to the provider: what we recorded is the provider's page.
          step.step = 'payment-provider';
          paymentRedirectHost = new URL(member.url()).host;
          pages.push(step);
        } else {
          pages.push(step);
          const payForm = member.locator('form[action*="/payment/"]:not([action$="/cancel"])');
          if ((await payForm.count()) > 0) {
            const provider = await submitAndRecord(member, 'payment-provider', 'form[action*="/payment/"]:not([action$="/cancel"])');
            paymentRedirectHost = new URL(member.url()).host;
            pages.push(provider);
          } else {
            notes.push('payment step has no pay button (card stopped or provider not configured)');
          }
        }
        if (paymentRedirectHost) {
          const cancelHref = await member
            .locator('a[href*="cancelled=1"], a[href*="cancel"]')
            .first()
            .getAttribute('href')
            .catch(() => null);
          if (cancelHref) pages.push(await visit(member, 'payment-cancel', new URL(cancelHref, member.url()).href));
          else notes.push('provider page has no cancel link');
        }
        // Cancel the synthetic order so nothing stays pending.
        if ((await member.locator('form[action$="/cancel"]').count()) > 0) await submitForm(member, 'form[action$="/cancel"]').catch(() => undefined);
      }
    } else {
      notes.push(`checkout redirected to ${checkout.url}`);
    }

    // 5. Leave the cart as it was (only the walk's own line), so walks never pile up lines.
    if (!placedWithCard) await emptyCart(member, new URL('cart', input.shopUrl).href).catch(() => undefined);
    if (input.sessions) input.sessions.set(cacheKey, await member.context().storageState());
  }
}

async function emptyCart(page: Page, cartUrl: string): Promise<void> {
  await page.goto(cartUrl, { waitUntil: 'load' });
  for (let i = 0; i < 20; i++) {
    const remove = page.locator('form[action$="/remove"]');
    if ((await remove.count()) === 0) return;
    await submitForm(page, 'form[action$="/remove"]');
  }
}
