import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { invalidRequest, missingParam } from './api-error.model.ts';
import type { ApiRouter } from './api-router.ts';
import { newObjectId } from './object-id.generate.ts';
import { metadataParam, rejectUnknownParams, requiredString, stringListParam, stringParam } from './request-params.read.ts';
import { nowSeconds, type SandboxContext } from './sandbox.context.ts';
import { newWebhookEndpoint } from './stripe-objects.build.ts';

export function registerWebhookEndpointRoutes(api: ApiRouter, ctx: SandboxContext): void {
  api.post('/v1/webhook_endpoints', ({ account, body }) => {
    rejectUnknownParams(body, ['url', 'enabled_events', 'description', 'metadata', 'api_version', 'expand']);
    const url = requiredString(body['url'], 'url');
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw invalidRequest('Invalid URL: must be an http(s) URL', 'url', 'url_invalid');
    const enabledEvents = stringListParam(body['enabled_events'], 'enabled_events');
    if (enabledEvents.length === 0) throw missingParam('enabled_events');
    const endpoint = newWebhookEndpoint({
      id: newObjectId('we'),
      createdAt: nowSeconds(ctx),
      url,
      enabledEvents,
      description: stringParam(body['description'], 'description') ?? null,
      metadata: metadataParam(body['metadata'], 'metadata'),
      apiVersion: stringParam(body['api_version'], 'api_version') ?? null,
    });
    const secret = `whsec_${randomBytes(24).toString('hex')}`;
    ctx.store.data.webhookEndpoints.set(endpoint.id, { account, object: endpoint, secret });
    ctx.store.changed();
    // Like Stripe, the secret is shown once: in the answer to the creation only.
    return { ...endpoint, secret };
  });

  api.get('/v1/webhook_endpoints', ({ account }) => {
    const data = [...ctx.store.data.webhookEndpoints.values()].filter((e) => e.account === account).map((e) => e.object);
    return { object: 'list', data: data.reverse(), has_more: false, url: '/v1/webhook_endpoints' };
  });

  api.get('/v1/webhook_endpoints/:id', ({ account, params }) => {
    return ctx.store.owned(ctx.store.data.webhookEndpoints, account, params['id']!, 'webhook_endpoint').object;
  });

  api.delete('/v1/webhook_endpoints/:id', ({ account, params }) => {
    const endpoint = ctx.store.owned(ctx.store.data.webhookEndpoints, account, params['id']!, 'webhook_endpoint').object;
    ctx.store.data.webhookEndpoints.delete(endpoint.id);
    ctx.store.changed();
    const deleted: Stripe.DeletedWebhookEndpoint = { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
    return deleted;
  });
}
