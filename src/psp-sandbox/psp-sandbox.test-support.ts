import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { createPspSandbox, type PspSandbox, type PspSandboxOptions } from './psp-sandbox.server.ts';

/** Shared by the sandbox's own tests: a sandbox on a free port and the official SDK pointed at it. */
export async function startSandbox(options: PspSandboxOptions = {}): Promise<PspSandbox> {
  return createPspSandbox({ port: 0, webhookRetry: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 4, timeoutMs: 2000 }, ...options });
}

export function stripeFor(sandbox: PspSandbox, key = 'sk_test_oroshi_shop_a'): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port: sandbox.port, protocol: 'http', maxNetworkRetries: 0 });
}

export function sessionParams(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams {
  return {
    mode: 'payment',
    currency: 'jpy',
    line_items: [
      { price_data: { currency: 'jpy', unit_amount: 1200, product_data: { name: 'カラー剤 6N' } }, quantity: 2 },
      { price_data: { currency: 'jpy', unit_amount: 800, product_data: { name: 'シャンプー 1L' } }, quantity: 1 },
    ],
    success_url: 'http://shop.test/checkout/done?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://shop.test/checkout/cancelled',
    client_reference_id: 'order_0001',
    customer_email: 'salon@example.jp',
    metadata: { shop_name: 'テスト美容商材', order_id: 'order_0001' },
    payment_intent_data: { metadata: { order_id: 'order_0001' } },
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    ...overrides,
  };
}

export interface CardInput {
  number: string;
  expiry?: string;
  cvc?: string;
  name?: string;
}

export interface PageAnswer {
  status: number;
  location: string | null;
  html: string;
  csp: string | null;
}

async function answerOf(response: Response): Promise<PageAnswer> {
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: await response.text(),
    csp: response.headers.get('content-security-policy'),
  };
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

export async function getPage(url: string): Promise<PageAnswer> {
  return answerOf(await fetch(url, { redirect: 'manual' }));
}

/** Posts the card form as a browser would; does not follow the redirect. */
export async function postCard(sessionUrl: string, card: CardInput): Promise<PageAnswer> {
  return answerOf(
    await fetch(sessionUrl, form({ number: card.number, expiry: card.expiry ?? '12/34', cvc: card.cvc ?? '123', name: card.name ?? 'YAMADA HANAKO' })),
  );
}

export async function postChallenge(challengeUrl: string, fields: { action: 'authenticate' | 'cancel'; code?: string }): Promise<PageAnswer> {
  return answerOf(await fetch(challengeUrl, form({ action: fields.action, code: fields.code ?? '' })));
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A small local webhook receiver; answers 500 to the first `failFirst` deliveries. */
export async function startReceiver(failFirst = 0): Promise<{ url: string; received: ReceivedWebhook[]; statuses: number[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const statuses: number[] = [];
  let failuresLeft = failFirst;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = failuresLeft > 0 ? 500 : 200;
      if (failuresLeft > 0) failuresLeft--;
      statuses.push(status);
      if (status === 200) received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/psp`,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
