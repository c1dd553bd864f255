import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountFor } from './api-account.auth.ts';
import { invalidRequest, StripeApiError } from './api-error.model.ts';
import { type FormObject, FormSyntaxError, parseStripeForm } from './form-body.parse.ts';
import type { IdempotencyCache } from './idempotency.cache.ts';
import { newObjectId } from './object-id.generate.ts';
import { SANDBOX_API_VERSION } from './sandbox.context.ts';
import type { EventRequestInfo } from './sandbox-event.build.ts';

export interface ApiCall {
  account: string;
  body: FormObject;
  query: FormObject;
  params: Record<string, string>;
  request: EventRequestInfo;
  stripeVersion: string;
}

export type ApiHandler = (call: ApiCall) => unknown;

export interface ApiRouter {
  get(url: string, handler: ApiHandler): void;
  post(url: string, handler: ApiHandler): void;
  delete(url: string, handler: ApiHandler): void;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendError(reply: FastifyReply, error: unknown, log: (error: unknown) => void): FastifyReply {
  if (error instanceof StripeApiError) return reply.code(error.statusCode).send(error.toBody());
  if (error instanceof FormSyntaxError) return reply.code(400).send(invalidRequest(error.message).toBody());
  log(error);
  return reply.code(500).send(new StripeApiError(500, 'api_error', 'An unknown error occurred in the PSP sandbox.').toBody());
}

/**
 * Every /v1 route goes through here: the API key picks the account, the form body is decoded,
 * Idempotency-Key replays, and errors leave in Stripe's shape with Stripe's status codes.
 */
export function createApiRouter(app: FastifyInstance, idempotency: IdempotencyCache): ApiRouter {
  const route = (method: 'GET' | 'POST' | 'DELETE', url: string, handler: ApiHandler) => {
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        const requestId = newObjectId('req', 14);
        const stripeVersion = header(request, 'stripe-version') ?? SANDBOX_API_VERSION;
        reply.header('request-id', requestId).header('stripe-version', stripeVersion).header('cache-control', 'no-store');
        try {
          const account = accountFor(header(request, 'authorization'));
          const rawBody = typeof request.body === 'string' ? request.body : '';
          const body = parseStripeForm(rawBody);
          const key = method === 'POST' ? header(request, 'idempotency-key') : undefined;
          const fingerprint = `${method} ${request.url} ${rawBody}`;
          if (key) {
            reply.header('idempotency-key', key);
            const cached = idempotency.get(account, key);
            if (cached && cached.fingerprint !== fingerprint) {
              throw new StripeApiError(
                400,
                'idempotency_error',
                `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
              );
            }
            if (cached) return reply.header('idempotent-replayed', 'true').code(cached.statusCode).send(cached.body);
          }
          const result = handler({
            account,
            body,
            query: (request.query ?? {}) as FormObject,
            params: request.params as Record<string, string>,
            request: { requestId, idempotencyKey: key ?? null },
            stripeVersion,
          });
          if (key) idempotency.put(account, key, { fingerprint, statusCode: 200, body: result });
          return reply.code(200).send(result);
        } catch (error) {
          return sendError(reply, error, (e) => request.log.error(e));
        }
      },
    });
  };
  return {
    get: (url, handler) => route('GET', url, handler),
    post: (url, handler) => route('POST', url, handler),
    delete: (url, handler) => route('DELETE', url, handler),
  };
}
