import Fastify from 'fastify';
import { invalidRequest, StripeApiError } from './api-error.model.ts';
import { createApiRouter } from './api-router.ts';
import { expireDueSessions } from './checkout-session.flow.ts';
import { registerCheckoutSessionRoutes } from './checkout-session.routes.ts';
import { registerEventRoutes } from './event.routes.ts';
import { parseStripeForm } from './form-body.parse.ts';
import { registerHostedPageRoutes } from './hosted-page.routes.ts';
import { IdempotencyCache } from './idempotency.cache.ts';
import { registerPaymentIntentRoutes } from './payment-intent.routes.ts';
import { createSandboxContext, type SandboxContext } from './sandbox.context.ts';
import { SandboxStore } from './sandbox.store.ts';
import { registerTestHookRoutes } from './test-hooks.routes.ts';
import { DEFAULT_WEBHOOK_RETRY, type WebhookAttempt, WebhookDispatcher, type WebhookRetryPolicy } from './webhook.delivery.ts';
import { registerWebhookEndpointRoutes } from './webhook-endpoint.routes.ts';

export interface PspSandboxOptions {
  /** 0 picks a free port. Default 3100. */
  port?: number;
  host?: string;
  /** Origin the hosted page is reached at, when not http://host:port (e.g. behind a proxy). */
  publicOrigin?: string;
  /** JSON file keeping sessions, intents, charges, refunds, events and endpoints across restarts. */
  dataFile?: string;
  log?: boolean;
  /** Adds POST /__sandbox/sessions/:id/complete for headless tests. */
  testHooks?: boolean;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** Clock in ms, for tests that move time (session expiry). */
  now?: () => number;
  /** How often open sessions past expires_at are expired (ms). Default 10 s. */
  expirySweepMs?: number;
}

export interface PspSandbox {
  origin: string;
  port: number;
  close(): Promise<void>;
  /** Resolves once every webhook has been delivered or has run out of attempts. */
  webhooksIdle(): Promise<void>;
  webhookAttempts(): readonly WebhookAttempt[];
  /** Expires open sessions past their expires_at now (the sweep does it periodically). */
  expireDueSessions(): number;
}

export async function createPspSandbox(options: PspSandboxOptions = {}): Promise<PspSandbox> {
  const host = options.host ?? '127.0.0.1';
  const nowMs = options.now ?? Date.now;
  const store = new SandboxStore(options.dataFile);
  await store.load();

  const dispatcher = new WebhookDispatcher(
    { ...DEFAULT_WEBHOOK_RETRY, ...options.webhookRetry },
    () => Math.floor(nowMs() / 1000),
    (eventId) => {
      const event = store.data.events.get(eventId)?.object;
      if (event && event.pending_webhooks > 0) {
        event.pending_webhooks--;
        store.changed();
      }
    },
  );
  const ctx: SandboxContext = createSandboxContext({ store, publicOrigin: '', nowMs, dispatcher: () => dispatcher });

  const app = Fastify({
    logger: options.log ? { level: 'info' } : false,
    bodyLimit: 256 * 1024,
    routerOptions: {
      querystringParser: (text: string) => {
        try {
          return parseStripeForm(text);
        } catch {
          return {};
        }
      },
    },
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const api = createApiRouter(app, new IdempotencyCache(nowMs));
  registerWebhookEndpointRoutes(api, ctx);
  registerCheckoutSessionRoutes(api, ctx);
  registerPaymentIntentRoutes(api, ctx);
  registerEventRoutes(api, ctx);
  registerHostedPageRoutes(app, ctx);
  if (options.testHooks) registerTestHookRoutes(app, ctx);

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/v1/')) {
      const path = request.url.split('?')[0];
      return reply.code(404).send(invalidRequest(`Unrecognized request URL (${request.method}: ${path}).`).toBody());
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error(error);
    const type = status === 500 ? 'api_error' : 'invalid_request_error';
    return reply.code(status).send(new StripeApiError(status, type, status === 500 ? 'An unknown error occurred in the PSP sandbox.' : error.message).toBody());
  });

  await app.listen({ port: options.port ?? 3100, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 3100);
  const displayHost = host.includes(':') ? `[${host}]` : host;
  const origin = (options.publicOrigin ?? `http://${displayHost}:${port}`).replace(/\/$/, '');
  ctx.publicOrigin = origin;

  const sweep = setInterval(() => expireDueSessions(ctx), options.expirySweepMs ?? 10_000);
  sweep.unref();

  return {
    origin,
    port,
    async close() {
      clearInterval(sweep);
      dispatcher.close();
      await app.close();
      await store.flush();
    },
    webhooksIdle: () => dispatcher.idle(),
    webhookAttempts: () => dispatcher.attempts,
    expireDueSessions: () => expireDueSessions(ctx),
  };
}
