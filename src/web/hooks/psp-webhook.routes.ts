import type { FastifyInstance } from 'fastify';
import type { PaymentDeps } from '../../domains/payments/card-payment.service.ts';
import { ProviderRejectedError, ProviderUnavailableError, WebhookRejectedError } from '../../domains/payments/payment-provider.ts';
import { applyWebhookEvent, verifyShopWebhook } from '../../domains/payments/psp-webhook.service.ts';
import { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Platform } from '../../platform/http/platform.ts';

/**
 * POST /hooks/psp/:shop on the platform origin: the provider's signed events for one shop. No
 * session, no CSRF (the signature is the authentication). The body is kept as the exact bytes
 * received, because the signature covers them. Forged, replayed and stale deliveries get 400 and
 * a security log line; a provider that cannot be asked right now gets 503 so it retries.
 */
export function pspWebhookRoutes(app: FastifyInstance, platform: Platform, deps?: Partial<PaymentDeps>): Promise<void> {
  return register(app, platform, deps);
}

async function register(app: FastifyInstance, platform: Platform, deps?: Partial<PaymentDeps>): Promise<void> {
  const paymentDeps: PaymentDeps = { database: platform.database, box: new SecretBox(platform.secrets), log: platform.log, ...deps };
  await app.register(async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 512 * 1024 }, (_request, body, done) => done(null, body));
    hooks.post<{ Params: { shop: string } }>('/hooks/psp/:shop', async (request, reply) => {
      const raw = typeof request.body === 'string' ? request.body : '';
      const signature = request.headers['stripe-signature'];
      try {
        const { tenantId, event } = await verifyShopWebhook(paymentDeps, request.params.shop, raw, typeof signature === 'string' ? signature : undefined);
        const outcome = await applyWebhookEvent(paymentDeps, tenantId, event);
        request.log.info({ event: 'payments.webhook', tenant: tenantId, type: event.type, outcome }, 'psp webhook');
        return reply.code(200).type('application/json').send({ received: true, outcome });
      } catch (err) {
        if (err instanceof WebhookRejectedError) {
          request.log.warn({ event: 'security.webhook_rejected', reason: err.reason, shop: request.params.shop, ip: request.ip }, 'psp webhook rejected');
          return reply.code(400).type('application/json').send({ error: err.reason });
        }
        if (err instanceof ProviderUnavailableError || err instanceof ProviderRejectedError) {
          request.log.warn({ event: 'payments.webhook_deferred', shop: request.params.shop, err: err.message }, 'psp webhook deferred: provider unavailable');
          return reply.code(503).type('application/json').send({ error: 'provider_unavailable' });
        }
        throw err;
      }
    });
  });
}
