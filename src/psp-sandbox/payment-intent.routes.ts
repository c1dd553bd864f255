import type { ApiRouter } from './api-router.ts';
import { expandObject } from './expand.resolve.ts';
import { cancelPaymentIntent, capturePaymentIntent, findPaymentIntent } from './payment-intent.flow.ts';
import { createRefund } from './refund.flow.ts';
import { expandParam } from './request-params.read.ts';
import type { SandboxContext } from './sandbox.context.ts';

export function registerPaymentIntentRoutes(api: ApiRouter, ctx: SandboxContext): void {
  api.get('/v1/payment_intents/:id', ({ account, params, query }) =>
    expandObject(ctx, account, findPaymentIntent(ctx, account, params['id']!), expandParam(query)),
  );

  api.post('/v1/payment_intents/:id/capture', ({ account, params, body, request }) =>
    expandObject(ctx, account, capturePaymentIntent(ctx, account, params['id']!, body, request), expandParam(body)),
  );

  api.post('/v1/payment_intents/:id/cancel', ({ account, params, body, request }) =>
    expandObject(ctx, account, cancelPaymentIntent(ctx, account, params['id']!, body, request), expandParam(body)),
  );

  api.get('/v1/charges/:id', ({ account, params, query }) => {
    const charge = ctx.store.owned(ctx.store.data.charges, account, params['id']!, 'charge', 'charge').object;
    return expandObject(ctx, account, charge, expandParam(query));
  });

  api.post('/v1/refunds', ({ account, body, request }) => expandObject(ctx, account, createRefund(ctx, account, body, request), expandParam(body)));

  api.get('/v1/refunds/:id', ({ account, params, query }) => {
    const refund = ctx.store.owned(ctx.store.data.refunds, account, params['id']!, 'refund', 'refund').object;
    return expandObject(ctx, account, refund, expandParam(query));
  });
}
