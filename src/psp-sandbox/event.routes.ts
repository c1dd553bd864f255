import type Stripe from 'stripe';
import { invalidRequest } from './api-error.model.ts';
import type { ApiRouter } from './api-router.ts';
import { integerParam, objectParam, stringListParam, stringParam } from './request-params.read.ts';
import type { SandboxContext } from './sandbox.context.ts';

export function registerEventRoutes(api: ApiRouter, ctx: SandboxContext): void {
  api.get('/v1/events/:id', ({ account, params }) => ctx.store.owned(ctx.store.data.events, account, params['id']!, 'event').object);

  // Newest first, cursor pagination by id, filters `type`, `types[]` and `created[gt|gte|lt|lte]`.
  api.get('/v1/events', ({ account, query }) => {
    const limit = integerParam(query['limit'], 'limit') ?? 10;
    if (limit < 1 || limit > 100) throw invalidRequest('limit must be between 1 and 100', 'limit');
    const type = stringParam(query['type'], 'type');
    const types = stringListParam(query['types'], 'types');
    const created = objectParam(query['created'], 'created') ?? {};
    const bounds = {
      gt: integerParam(created['gt'], 'created[gt]'),
      gte: integerParam(created['gte'], 'created[gte]'),
      lt: integerParam(created['lt'], 'created[lt]'),
      lte: integerParam(created['lte'], 'created[lte]'),
    };
    const matches = (event: Stripe.Event) =>
      (!type || event.type === type || (type.endsWith('.*') && event.type.startsWith(type.slice(0, -1)))) &&
      (types.length === 0 || types.includes(event.type)) &&
      (bounds.gt === undefined || event.created > bounds.gt) &&
      (bounds.gte === undefined || event.created >= bounds.gte) &&
      (bounds.lt === undefined || event.created < bounds.lt) &&
      (bounds.lte === undefined || event.created <= bounds.lte);
    let events = [...ctx.store.data.events.values()]
      .filter((e) => e.account === account)
      .map((e) => e.object)
      .reverse()
      .filter(matches);
    const after = stringParam(query['starting_after'], 'starting_after');
    const before = stringParam(query['ending_before'], 'ending_before');
    if (after) {
      const at = events.findIndex((e) => e.id === after);
      if (at === -1) throw invalidRequest(`No such event: '${after}'`, 'starting_after', 'resource_missing');
      events = events.slice(at + 1);
    } else if (before) {
      const at = events.findIndex((e) => e.id === before);
      if (at === -1) throw invalidRequest(`No such event: '${before}'`, 'ending_before', 'resource_missing');
      events = events.slice(Math.max(0, at - limit), at);
      return { object: 'list', data: events, has_more: at - limit > 0, url: '/v1/events' };
    }
    return { object: 'list', data: events.slice(0, limit), has_more: events.length > limit, url: '/v1/events' };
  });
}
