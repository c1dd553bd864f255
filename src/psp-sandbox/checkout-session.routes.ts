import type { ApiRouter } from './api-router.ts';
import { createCheckoutSession, expireIfDue, expireSessionByApi } from './checkout-session.flow.ts';
import { expandObject } from './expand.resolve.ts';
import { expandParam } from './request-params.read.ts';
import type { SandboxContext } from './sandbox.context.ts';

export function registerCheckoutSessionRoutes(api: ApiRouter, ctx: SandboxContext): void {
  api.post('/v1/checkout/sessions', ({ account, body }) => {
    const session = createCheckoutSession(ctx, account, body);
    return expandObject(ctx, account, session, expandParam(body));
  });

  api.get('/v1/checkout/sessions/:id', ({ account, params, query }) => {
    const stored = ctx.store.session(account, params['id']!);
    expireIfDue(ctx, stored);
    // After a restart on another origin, an open session's page is wherever this process serves it.
    if (stored.object.status === 'open') stored.object.url = `${ctx.publicOrigin}/pay/${stored.object.id}`;
    return expandObject(ctx, account, stored.object, expandParam(query));
  });

  api.post('/v1/checkout/sessions/:id/expire', ({ account, params, body, request }) => {
    const session = expireSessionByApi(ctx, account, params['id']!, request);
    return expandObject(ctx, account, session, expandParam(body));
  });
}
