import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PspSandbox } from './psp-sandbox.server.ts';
import { sessionParams, startSandbox, stripeFor } from './psp-sandbox.test-support.ts';

let withHooks: PspSandbox;
let withoutHooks: PspSandbox;

beforeAll(async () => {
  withHooks = await startSandbox({ testHooks: true });
  withoutHooks = await startSandbox();
});
afterAll(async () => {
  await withHooks.close();
  await withoutHooks.close();
});

function complete(sandbox: PspSandbox, sessionId: string, fields: Record<string, string>) {
  return fetch(`${sandbox.origin}/__sandbox/sessions/${sessionId}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('test hook: complete a session headlessly', () => {
  it('pays a session, answering 3-D Secure as asked', async () => {
    const stripe = stripeFor(withHooks);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const response = await complete(withHooks, session.id, { number: '4000000000003220' });
    expect(await response.json()).toEqual({ result: 'succeeded', session_status: 'complete', payment_intent_status: 'succeeded' });

    const refused = await stripe.checkout.sessions.create(sessionParams());
    const cancelled = await complete(withHooks, refused.id, { number: '4000000000003220', three_d_secure: 'cancel' });
    expect(await cancelled.json()).toMatchObject({ result: 'failed', session_status: 'open', payment_intent_status: 'requires_payment_method' });
  });

  it('does not exist unless the sandbox was created with testHooks', async () => {
    const session = await stripeFor(withoutHooks).checkout.sessions.create(sessionParams());
    const response = await complete(withoutHooks, session.id, { number: '4242424242424242' });
    expect(response.status).toBe(404);
    expect((await stripeFor(withoutHooks).checkout.sessions.retrieve(session.id)).status).toBe('open');
  });
});
