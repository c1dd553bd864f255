import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PspSandbox } from './psp-sandbox.server.ts';
import { getPage, postCard, postChallenge, sessionParams, startSandbox, stripeFor } from './psp-sandbox.test-support.ts';

let sandbox: PspSandbox;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await startSandbox();
  stripe = stripeFor(sandbox);
});
afterAll(() => sandbox.close());

async function newSession(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create(sessionParams(overrides));
}

async function intentOf(sessionId: string) {
  const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent.latest_charge'] });
  const intent = session.payment_intent as Stripe.PaymentIntent;
  return { session, intent, charge: intent.latest_charge as Stripe.Charge | null };
}

describe('hosted payment page', () => {
  it('shows the order in Japanese under a script-free CSP', async () => {
    const session = await newSession();
    expect(session.url).toBe(`${sandbox.origin}/pay/${session.id}`);
    const page = await getPage(session.url!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('テスト美容商材');
    expect(page.html).toContain('¥3,200');
    expect(page.html).toContain('カード番号');
    expect(page.html).toContain('有効期限');
    expect(page.html).toContain('http://shop.test/checkout/cancelled');
    expect(page.html).not.toMatch(/<script|\son\w+=|style=/i);
    expect(page.csp).toContain("default-src 'none'");
    expect(page.csp).toContain("form-action 'self' http://shop.test");
    expect(page.csp).not.toContain('script-src');
    const css = await fetch(`${sandbox.origin}/pay.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('pays with 4242… and redirects to the success URL with the session id', async () => {
    const session = await newSession();
    const answer = await postCard(session.url!, { number: '4242 4242 4242 4242' });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`http://shop.test/checkout/done?session_id=${session.id}`);
    const { session: after, intent, charge } = await intentOf(session.id);
    expect(after.status).toBe('complete');
    expect(after.payment_status).toBe('paid');
    expect(after.customer_details?.name).toBe('YAMADA HANAKO');
    expect(intent.status).toBe('succeeded');
    expect(intent.amount_received).toBe(3200);
    expect(charge?.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, three_d_secure: null });
    // The finished page no longer takes a card.
    const again = await getPage(session.url!);
    expect(again.html).toContain('お支払いは完了しています');
    expect(again.html).not.toContain('name="number"');
  });

  it('reads Mastercard from the number', async () => {
    const session = await newSession();
    expect((await postCard(session.url!, { number: '5555555555554444' })).status).toBe(303);
    expect((await intentOf(session.id)).charge?.payment_method_details?.card?.brand).toBe('mastercard');
  });

  it('refuses a Luhn-invalid number before any charge', async () => {
    const session = await newSession();
    const answer = await postCard(session.url!, { number: '4242424242424241' });
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('カード番号が正しくありません');
    expect(answer.html).not.toContain('4242424242424241');
    const { intent } = await intentOf(session.id);
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.latest_charge).toBeNull();
  });

  it('refuses an expired card and a malformed CVC', async () => {
    const session = await newSession();
    const answer = await postCard(session.url!, { number: '4242424242424242', expiry: '01/20', cvc: '1' });
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('カードの有効期限が切れています');
    expect(answer.html).toContain('セキュリティコードが正しくありません');
  });

  it('shows a decline, records the failed charge, and lets the buyer retry', async () => {
    const session = await newSession();
    const declined = await postCard(session.url!, { number: '4000000000000002' });
    expect(declined.status).toBe(402);
    expect(declined.html).toContain('カードが承認されませんでした');
    expect(declined.html).not.toContain('4000000000000002');
    const failed = await intentOf(session.id);
    expect(failed.session.status).toBe('open');
    expect(failed.intent.status).toBe('requires_payment_method');
    expect(failed.intent.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' });
    expect(failed.charge?.status).toBe('failed');

    const retry = await postCard(session.url!, { number: '4242424242424242' });
    expect(retry.status).toBe(303);
    const paid = await intentOf(session.id);
    expect(paid.intent.status).toBe('succeeded');
    expect(paid.intent.last_payment_error).toBeNull();
  });

  it('declines for insufficient funds', async () => {
    const session = await newSession();
    const answer = await postCard(session.url!, { number: '4000000000009995' });
    expect(answer.status).toBe(402);
    expect(answer.html).toContain('残高不足');
    const { intent, charge } = await intentOf(session.id);
    expect(intent.last_payment_error?.decline_code).toBe('insufficient_funds');
    expect(charge?.outcome?.reason).toBe('insufficient_funds');
  });

  it('runs the 3-D Secure challenge for 4000000000003220 and succeeds with the code', async () => {
    const session = await newSession();
    const step = await postCard(session.url!, { number: '4000000000003220' });
    expect(step.status).toBe(303);
    expect(step.location).toMatch(new RegExp(`^/pay/${session.id}/3ds/threeds_`));
    const challengeUrl = `${sandbox.origin}${step.location}`;
    const pending = await intentOf(session.id);
    expect(pending.intent.status).toBe('requires_action');
    expect(pending.intent.next_action?.redirect_to_url?.url).toBe(challengeUrl);

    const challenge = await getPage(challengeUrl);
    expect(challenge.html).toContain('認証する');
    expect(challenge.html).toContain('キャンセル');
    expect(challenge.html).toContain('3220');

    const wrong = await postChallenge(challengeUrl, { action: 'authenticate', code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('認証コードが正しくありません');

    const done = await postChallenge(challengeUrl, { action: 'authenticate', code: '123456' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`http://shop.test/checkout/done?session_id=${session.id}`);
    const { intent, charge } = await intentOf(session.id);
    expect(intent.status).toBe('succeeded');
    expect(charge?.payment_method_details?.card?.three_d_secure).toMatchObject({ result: 'authenticated', authentication_flow: 'challenge', version: '2.2.0' });
    // A used challenge cannot be answered again.
    expect((await postChallenge(challengeUrl, { action: 'authenticate', code: '123456' })).status).toBe(200);
  });

  it('fails the payment when the buyer cancels the challenge, with no charge', async () => {
    const session = await newSession();
    const step = await postCard(session.url!, { number: '4000000000003220' });
    const cancelled = await postChallenge(`${sandbox.origin}${step.location}`, { action: 'cancel' });
    expect(cancelled.status).toBe(402);
    expect(cancelled.html).toContain('本人認証(3Dセキュア)に失敗しました');
    const { session: after, intent } = await intentOf(session.id);
    expect(after.status).toBe('open');
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.last_payment_error?.code).toBe('payment_intent_authentication_failure');
    expect(intent.latest_charge).toBeNull();
  });

  it('declines 4000008400001629 after successful authentication', async () => {
    const session = await newSession();
    const step = await postCard(session.url!, { number: '4000008400001629' });
    expect(step.location).toContain('/3ds/');
    const answer = await postChallenge(`${sandbox.origin}${step.location}`, { action: 'authenticate', code: '123456' });
    expect(answer.status).toBe(402);
    const { intent, charge } = await intentOf(session.id);
    expect(intent.last_payment_error?.code).toBe('card_declined');
    expect(charge?.status).toBe('failed');
    expect(charge?.payment_method_details?.card?.three_d_secure?.result).toBe('authenticated');
  });

  it('fails 4000008400001280 without a challenge: authentication cannot start', async () => {
    const session = await newSession();
    const answer = await postCard(session.url!, { number: '4000008400001280' });
    expect(answer.status).toBe(402);
    expect((await intentOf(session.id)).intent.last_payment_error?.code).toBe('payment_intent_authentication_failure');
  });

  it('challenges every card when 3DS is requested with any, except cards without 3DS support', async () => {
    const session = await newSession({ payment_method_options: { card: { request_three_d_secure: 'any' } } });
    const step = await postCard(session.url!, { number: '4242424242424242' });
    expect(step.location).toContain('/3ds/');

    const amexSession = await newSession({ payment_method_options: { card: { request_three_d_secure: 'any' } } });
    const amex = await postCard(amexSession.url!, { number: '378282246310005', cvc: '1234' });
    expect(amex.location).toBe(`http://shop.test/checkout/done?session_id=${amexSession.id}`);
    expect((await intentOf(amexSession.id)).charge?.payment_method_details?.card?.three_d_secure).toBeNull();
  });

  it('answers unknown sessions with 404 and expired ones with 410', async () => {
    expect((await getPage(`${sandbox.origin}/pay/cs_test_nope`)).status).toBe(404);
    const session = await newSession();
    await stripe.checkout.sessions.expire(session.id);
    const page = await getPage(`${sandbox.origin}/pay/${session.id}`);
    expect(page.status).toBe(410);
    expect((await postCard(`${sandbox.origin}/pay/${session.id}`, { number: '4242424242424242' })).status).toBe(410);
  });
});
