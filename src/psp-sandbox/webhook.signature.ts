import { createHmac } from 'node:crypto';

/**
 * Stripe's webhook signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`, keyed by
 * the endpoint's whole `whsec_…` secret, so `stripe.webhooks.constructEvent` accepts it.
 */
export function signWebhookPayload(payload: string, secret: string, unixSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${unixSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${signature}`;
}
