import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { postCard, postChallenge, sessionParams, startSandbox, stripeFor } from './psp-sandbox.test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'psp-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistence', () => {
  it('keeps sessions, intents and charges across a restart, and never the card number or API key', async () => {
    const dataFile = join(dir, 'nested', 'psp.json');
    const first = await startSandbox({ dataFile });
    const stripe = stripeFor(first);
    const session = await stripe.checkout.sessions.create(sessionParams());
    const step = await postCard(session.url!, { number: '4000 0000 0000 3220', cvc: '987', name: 'SATO KEN' });
    await postChallenge(`${first.origin}${step.location}`, { action: 'authenticate', code: '123456' });
    const pending = await stripe.checkout.sessions.create(sessionParams({ client_reference_id: 'order_0002' }));
    await first.close();

    const saved = readFileSync(dataFile, 'utf8');
    expect(saved).toContain(session.id);
    expect(saved).toContain('"last4":"3220"');
    expect(saved).not.toMatch(/4000\s?0000\s?0000\s?3220/);
    expect(saved).not.toContain('"987"');
    expect(saved).not.toContain('sk_test_');
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);

    const second = await startSandbox({ dataFile });
    try {
      const again = stripeFor(second);
      const restored = await again.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge'] });
      expect(restored.status).toBe('complete');
      const intent = restored.payment_intent as Stripe.PaymentIntent;
      expect(intent.status).toBe('succeeded');
      expect((intent.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result).toBe('authenticated');
      // An open session can still be paid on the new process; its page links to the new origin.
      const stillOpen = await again.checkout.sessions.retrieve(pending.id);
      expect(stillOpen.status).toBe('open');
      expect(stillOpen.url).toBe(`${second.origin}/pay/${pending.id}`);
      const paid = await postCard(stillOpen.url!, { number: '4242424242424242' });
      expect(paid.status).toBe(303);
      // The other account still cannot see it after a restart.
      await expect(stripeFor(second, 'sk_test_someone_else').checkout.sessions.retrieve(session.id)).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await second.close();
    }
  });
});
