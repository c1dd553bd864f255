import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import type { PspSandbox } from '../../psp-sandbox/psp-sandbox.server.ts';
import { startSandbox } from '../../psp-sandbox/psp-sandbox.test-support.ts';
import { pspWebhookRoutes } from '../../web/hooks/psp-webhook.routes.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { handleCardReturn, type StartCardPaymentInput, startCardPayment } from './card-payment.service.ts';
import { refundCardPayment } from './card-refund.service.ts';
import { reconcileCardPayments } from './payment-reconcile.job.ts';
import { connectShopToSandbox, createCardOrder, createMember, firstShop, type Member, orderState, testDeps } from './payments.test-support.ts';
import { loadProviderAccount, webhookSecretOf } from './provider-account.service.ts';

/**
 * Card payments end to end against the sandbox provider (the official SDK over HTTP): webhooks
 * reach a real app through a relay the test can take down, so "the process died before the
 * webhook" and "the webhook arrived at a new instance" are real deliveries.
 */

let database: Database;
let sandbox: PspSandbox;
let relay: Server;
let relayTarget: string | null = null;
let app: FastifyInstance;
let member: Member;
const deps = () => testDeps(database);

async function listen(instance: FastifyInstance): Promise<string> {
  await instance.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(instance.server.address() as AddressInfo).port}`;
}

async function newAppInstance(): Promise<FastifyInstance> {
  const { app: instance } = await createTestApp(database, { routes: [(a, p) => pspWebhookRoutes(a, p)] });
  return instance;
}

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startSandbox({ testHooks: true, webhookRetry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 30, timeoutMs: 2000 } });
  // The relay stands for the platform's public address: 503 while "the process is down".
  relay = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!relayTarget) return res.writeHead(503).end();
    try {
      const answer = await fetch(`${relayTarget}${req.url}`, {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type']), 'stripe-signature': String(req.headers['stripe-signature'] ?? '') },
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status).end(await answer.text());
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const shop = await firstShop(database);
  member = await createMember(database, shop);
  await connectShopToSandbox(database, shop, sandbox.origin, `http://127.0.0.1:${(relay.address() as AddressInfo).port}/hooks/psp/${shop.slug}`);
  app = await newAppInstance();
  relayTarget = await listen(app);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await sandbox?.close();
  await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
  await database?.close();
});

function startInput(orderId: string): StartCardPaymentInput {
  return {
    identity: { tenantId: member.tenantId, accountId: member.accountId, principalId: member.userId, audience: 'salon' },
    orderId,
    shopName: 'テストショップ',
    clientIp: '198.51.100.7',
    successUrl: `http://shop.test/payment/${orderId}/return?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `http://shop.test/payment/${orderId}?cancelled=1`,
  };
}

async function startSession(orderId: string): Promise<string> {
  const started = await startCardPayment(deps(), startInput(orderId));
  if (started.kind !== 'redirect') throw new Error(`payment did not start: ${JSON.stringify(started)}`);
  expect(new URL(started.url).origin).toBe(sandbox.origin);
  return started.url.split('/pay/')[1]!;
}

async function pay(sessionId: string, number: string, threeDSecure: 'authenticate' | 'cancel' = 'authenticate') {
  const response = await fetch(`${sandbox.origin}/__sandbox/sessions/${sessionId}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ number, three_d_secure: threeDSecure }).toString(),
  });
  return (await response.json()) as { result: string; payment_intent_status: string };
}

const confirmations = (events: { kind: string; to_state: string }[]) => events.filter((e) => e.kind === 'status' && e.to_state === 'confirmed').length;

async function webhookSecret(): Promise<string> {
  return withTenant(database, member.tenantId, async (tx) => webhookSecretOf((await loadProviderAccount(tx, member.tenantId))!, deps().box)!);
}

async function postEvent(payload: string, signature: string) {
  return app.inject({ method: 'POST', url: `/hooks/psp/${member.slug}`, headers: { 'content-type': 'application/json', 'stripe-signature': signature }, payload });
}

describe('card payment with 3-D Secure through the sandbox', () => {
  it('confirms the order once, records brand, last four and 3DS, never the number', async () => {
    const order = await createCardOrder(database, member);
    const sessionId = await startSession(order.id);
    expect((await orderState(database, member.tenantId, order.id)).payment_status).toBe('pending');
    expect((await pay(sessionId, '4000002500003155')).result).toBe('succeeded');
    await sandbox.webhooksIdle();
    const state = await orderState(database, member.tenantId, order.id);
    expect(state.status).toBe('confirmed');
    expect(state.payment_status).toBe('paid');
    expect(confirmations(state.events)).toBe(1);
    expect(state.payments).toHaveLength(1);
    expect(state.payments[0]).toMatchObject({ status: 'succeeded', card_brand: 'visa', card_last4: '3155', three_d_secure: 'authenticated', captured_yen: 12_100 });
    expect(state.payments[0]!.provider_payment_id).toMatch(/^pi_/);
    const dump = JSON.stringify(await database.ownerExec('SELECT * FROM payments'));
    expect(dump).not.toContain('4000002500003155');
  });

  it('records a declined card and a failed 3-D Secure as attempts; the order stays payable, then a good card pays it', async () => {
    const order = await createCardOrder(database, member);
    const sessionId = await startSession(order.id);
    expect((await pay(sessionId, '4000000000000002')).result).toBe('failed');
    await sandbox.webhooksIdle();
    let state = await orderState(database, member.tenantId, order.id);
    expect(state).toMatchObject({ status: 'pending_payment', payment_status: 'failed' });
    expect(state.payments.some((p) => p.status === 'failed' && p.card_last4 === '0002' && p.failure_code === 'generic_decline')).toBe(true);

    expect((await pay(sessionId, '4000002500003155', 'cancel')).result).toBe('failed');
    await sandbox.webhooksIdle();
    state = await orderState(database, member.tenantId, order.id);
    expect(state).toMatchObject({ status: 'pending_payment', payment_status: 'failed' });
    expect(state.payments.some((p) => p.failure_code === 'payment_intent_authentication_failure')).toBe(true);

    expect((await pay(sessionId, '4242424242424242')).result).toBe('succeeded');
    await sandbox.webhooksIdle();
    state = await orderState(database, member.tenantId, order.id);
    expect(state).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(confirmations(state.events)).toBe(1);
  });

  it('confirms exactly once when the process died before the webhook: the retry reaches a new instance', async () => {
    const order = await createCardOrder(database, member);
    const sessionId = await startSession(order.id);
    const previous = relayTarget;
    relayTarget = null; // the app is gone
    expect((await pay(sessionId, '4242424242424242')).result).toBe('succeeded');
    await new Promise((r) => setTimeout(r, 300));
    expect((await orderState(database, member.tenantId, order.id)).status).toBe('pending_payment');
    const restarted = await newAppInstance();
    relayTarget = await listen(restarted);
    await sandbox.webhooksIdle();
    const state = await orderState(database, member.tenantId, order.id);
    expect(state).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(confirmations(state.events)).toBe(1);
    await restarted.close();
    relayTarget = previous;
  });

  it('reconciliation settles a payment whose webhook never came, once', async () => {
    const order = await createCardOrder(database, member);
    const sessionId = await startSession(order.id);
    const previous = relayTarget;
    relayTarget = null;
    await pay(sessionId, '5555555555554444');
    await new Promise((r) => setTimeout(r, 200));
    const first = await reconcileCardPayments(deps(), { graceSeconds: 0 });
    expect(first.settled).toBeGreaterThanOrEqual(1);
    await reconcileCardPayments(deps(), { graceSeconds: 0 });
    relayTarget = previous;
    await sandbox.webhooksIdle();
    const state = await orderState(database, member.tenantId, order.id);
    expect(state).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(confirmations(state.events)).toBe(1);
    expect(state.payments[0]).toMatchObject({ card_brand: 'mastercard', card_last4: '4444' });
  });

  it('cancels a card order left unpaid past the payment window and closes its session first', async () => {
    const order = await createCardOrder(database, member, 5_000, { placedMinutesAgo: 200 });
    const sessionId = await startSession(order.id);
    await reconcileCardPayments(deps(), { graceSeconds: 0, paymentWindowMinutes: 90 });
    const state = await orderState(database, member.tenantId, order.id);
    expect(state.status).toBe('cancelled');
    expect((await pay(sessionId, '4242424242424242')).result).toBe('closed');
  });
});

describe('webhooks that must change nothing', () => {
  let order: { id: string };
  let sessionId: string;
  let paymentIntentId: string;
  const stripe = new Stripe('sk_test_unused_for_signing');

  beforeAll(async () => {
    order = await createCardOrder(database, member);
    sessionId = await startSession(order.id);
    await pay(sessionId, '4242424242424242');
    await sandbox.webhooksIdle();
    paymentIntentId = (await orderState(database, member.tenantId, order.id)).payments[0]!.provider_payment_id!;
  });

  function event(id: string, type: string, object: Record<string, unknown>) {
    return JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), api_version: '2025-01-01', livemode: false, pending_webhooks: 1, request: null, data: { object } });
  }

  it('tolerates out-of-order, duplicate and late failure events', async () => {
    const secret = await webhookSecret();
    const before = await orderState(database, member.tenantId, order.id);
    const intent = { id: paymentIntentId, object: 'payment_intent', amount: 12_100, metadata: { order_id: order.id } };
    const late = event('evt_late_failure_1', 'payment_intent.payment_failed', { ...intent, last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' } });
    const first = await postEvent(late, stripe.webhooks.generateTestHeaderString({ payload: late, secret }));
    expect(first.statusCode).toBe(200);
    const succeeded = event('evt_succeeded_again', 'payment_intent.succeeded', intent);
    const session = event('evt_session_again', 'checkout.session.completed', { id: sessionId, object: 'checkout.session', payment_intent: paymentIntentId, metadata: { order_id: order.id } });
    // The provider re-signs every retry, so a redelivery carries a newer timestamp.
    for (const [i, payload] of [succeeded, session, succeeded].entries()) {
      const res = await postEvent(payload, stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(Date.now() / 1000) + i }));
      expect(res.statusCode).toBe(200);
    }
    const after = await orderState(database, member.tenantId, order.id);
    expect(after).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(after.events).toEqual(before.events);
    expect(after.payments[0]).toEqual(before.payments[0]);
  });

  it('rejects forged, replayed and stale webhooks with 400', async () => {
    const secret = await webhookSecret();
    const payload = event('evt_replay_probe', 'payment_intent.succeeded', { id: paymentIntentId, object: 'payment_intent', metadata: { order_id: order.id } });
    const forged = await postEvent(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_the_shops_secret_at_all' }));
    expect(forged.statusCode).toBe(400);
    expect((await postEvent(payload, '')).statusCode).toBe(400);
    const stale = await postEvent(payload, stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale.statusCode).toBe(400);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect((await postEvent(payload, header)).statusCode).toBe(200);
    const replay = await postEvent(payload, header);
    expect(replay.statusCode).toBe(400);
    expect(JSON.parse(replay.body).error).toBe('replayed');
    const tampered = payload.replace(order.id, '00000000-0000-4000-8000-000000000000');
    expect((await postEvent(tampered, header)).statusCode).toBe(400);
  });

  it('a return URL carrying another order’s session changes nothing', async () => {
    const other = await createCardOrder(database, member);
    const before = await orderState(database, member.tenantId, other.id);
    const result = await handleCardReturn(deps(), { identity: startInput(other.id).identity, orderId: other.id, sessionId });
    expect(result.kind).toBe('mismatch');
    expect(await orderState(database, member.tenantId, other.id)).toEqual(before);
  });

  it('refuses a refund above the captured amount; refunds within it', async () => {
    const actor = { id: member.userId, label: 'テスト担当', role: 'shop_admin' as const, tenantId: member.tenantId, sourceIp: '127.0.0.1', requestId: 'r1', sessionId: 's1' };
    await expect(refundCardPayment(deps(), { tenantId: member.tenantId, orderId: order.id, amountYen: 12_101, reason: '返品', actor, requestKey: 'k1' })).rejects.toBeInstanceOf(ValidationError);
    const partial = await refundCardPayment(deps(), { tenantId: member.tenantId, orderId: order.id, amountYen: 2_100, reason: '一部返品', actor, requestKey: 'k2' });
    expect(partial).toEqual({ refundedYen: 2_100, remainingYen: 10_000 });
    await expect(refundCardPayment(deps(), { tenantId: member.tenantId, orderId: order.id, amountYen: 10_001, reason: '返品', actor, requestKey: 'k3' })).rejects.toBeInstanceOf(ValidationError);
    await sandbox.webhooksIdle();
    const state = await orderState(database, member.tenantId, order.id);
    expect(state.payment_status).toBe('partially_refunded');
    expect(state.payments[0]).toMatchObject({ status: 'partially_refunded', refunded_yen: 2_100 });
  });
});

describe('provider down or slow', () => {
  async function pointAccountAt(origin: string) {
    await database.ownerExec(`UPDATE provider_accounts SET api_base_url = $1 WHERE tenant_id = $2`, [origin, member.tenantId]);
  }

  it('a closed port: a clear message, the order stays payable', async () => {
    const order = await createCardOrder(database, member);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await pointAccountAt(`http://127.0.0.1:${port}`);
    try {
      const result = await startCardPayment(deps(), startInput(order.id));
      expect(result.kind).toBe('unavailable');
      expect(result.kind === 'unavailable' && result.message).toContain('決済サービスに接続できませんでした');
      expect(await orderState(database, member.tenantId, order.id)).toMatchObject({ status: 'pending_payment', payment_status: 'unpaid' });
    } finally {
      await pointAccountAt(sandbox.origin);
    }
    const retried = await startCardPayment(deps(), startInput(order.id));
    expect(retried.kind).toBe('redirect');
  });

  it('a provider that sleeps: the call times out with the same message', async () => {
    const order = await createCardOrder(database, member);
    const sleepy = createServer((_req, res) => setTimeout(() => res.writeHead(200).end('{}'), 3000));
    await new Promise<void>((resolve) => sleepy.listen(0, '127.0.0.1', resolve));
    await pointAccountAt(`http://127.0.0.1:${(sleepy.address() as AddressInfo).port}`);
    try {
      const started = Date.now();
      const result = await startCardPayment(testDeps(database, { providerOptions: { timeoutMs: 400 } }), startInput(order.id));
      expect(result.kind).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(2500);
      expect((await orderState(database, member.tenantId, order.id)).status).toBe('pending_payment');
    } finally {
      await pointAccountAt(sandbox.origin);
      sleepy.closeAllConnections();
      await new Promise<void>((resolve) => sleepy.close(() => resolve()));
    }
  });

  it('a redirect target off the provider hosted-page origin is refused', async () => {
    const order = await createCardOrder(database, member);
    await database.ownerExec(`UPDATE provider_accounts SET hosted_page_origin = 'https://checkout.stripe.com' WHERE tenant_id = $1`, [member.tenantId]);
    try {
      const result = await startCardPayment(deps(), startInput(order.id));
      expect(result.kind).toBe('refused');
      const state = await orderState(database, member.tenantId, order.id);
      expect(state.payments.at(-1)?.failure_code).toBe('redirect_origin_mismatch');
    } finally {
      await database.ownerExec(`UPDATE provider_accounts SET hosted_page_origin = $1 WHERE tenant_id = $2`, [sandbox.origin, member.tenantId]);
    }
  });
});

describe('scan:pan after card payments', () => {
  it('finds no card number in the database or files, finds a planted one, and lets the demo catalog JANs pass', async () => {
    const { seedDemoCatalog } = await import('../../demo/seed-catalog.ts');
    const { scanDatabaseForPans, scanFilesForPans } = await import('./pan-scan.service.ts');
    const fsMod = await import('node:fs');
    const os = await import('node:os');
    const pathMod = await import('node:path');
    await seedDemoCatalog(database);
    const jans = await database.ownerExec(`SELECT count(*)::int AS n FROM product_variants WHERE jan_code IS NOT NULL`);
    expect((jans.rows[0] as { n: number }).n).toBeGreaterThan(100);
    expect(await scanDatabaseForPans(database)).toEqual([]);

    const dir = fsMod.mkdtempSync(pathMod.join(os.tmpdir(), 'oroshi-pan-'));
    fsMod.writeFileSync(pathMod.join(dir, 'app.log'), `{"msg":"request","jan":"4901234567894","t":"T1234567890123"}\n`);
    expect((await scanFilesForPans([dir])).findings).toEqual([]);

    const order = await createCardOrder(database, member);
    await database.ownerExec(`UPDATE orders SET notes = $1 WHERE tenant_id = $2 AND id = $3`, ['カード 4111 1111 1111 1111 で払いたい', member.tenantId, order.id]);
    fsMod.writeFileSync(pathMod.join(dir, 'upload.txt'), 'ｶｰﾄﾞ ５５５５－５５５５－５５５５－４４４４');
    const inDb = await scanDatabaseForPans(database);
    expect(inDb).toHaveLength(1);
    expect(inDb[0]!.where).toContain('orders.notes');
    expect(inDb[0]!.masked).not.toContain('4111111111111111');
    const inFiles = await scanFilesForPans([dir]);
    expect(inFiles.findings.map((f) => f.where)).toEqual([pathMod.join(dir, 'upload.txt')]);
    fsMod.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
