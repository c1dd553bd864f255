import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { VNode } from 'preact';
import { DomainError } from '../../domains/shared/domain-error.ts';
import { countQueriesInto, newQueryStats, type QueryStats } from '../db/query-stats.ts';
import { loggerOptions } from '../log/logger.ts';
import { cookieAttributes, cookieName } from './cookies.ts';
import { isCrossSiteRequest } from './csrf.ts';
import { installErrorHandlers } from './error-handler.ts';
import { createUrlRewriter } from './origin-routing.ts';
import { type PageOptions, sendPage } from './page-reply.ts';
import type { Platform } from './platform.ts';
import { sessionTokenHash } from './request-scope.ts';
import { baseSecurityHeaders, NON_HTML_CSP } from './security-headers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** '' on a shop's own origin, '/s/{slug}' in development path mode: prefix for links. */
    shopBase: string;
    sessionTokenHash: string | null;
    tenantId: string | null;
    /** The CSRF token to put in this request's forms (sets the cookie when the browser has none). */
    csrfToken(): string;
  }
  interface FastifyReply {
    // biome-ignore lint/suspicious/noExplicitAny: a vnode's props type is its component's business
    page(node: VNode<any>, options: PageOptions): FastifyReply;
  }
  interface FastifyContextConfig {
    /** 'manual': the route checks CSRF itself (multipart bodies parsed in the handler). */
    csrf?: 'manual';
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type RouteModule = (app: FastifyInstance, platform: Platform) => void | Promise<void>;

export async function buildApp(platform: Platform, routes: readonly RouteModule[]): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    logger: { ...loggerOptions(config.LOG_LEVEL), level: config.LOG_LEVEL },
    logController: new LogController({ disableRequestLogging: true }),
    // A hop count is valid at runtime (proxy-addr) though Fastify's types omit it.
    trustProxy: config.trustProxy as boolean | string,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    rewriteUrl: createUrlRewriter({ baseDomain: config.BASE_DOMAIN, pathTenants: config.pathTenants }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  // Uploads are parsed by the route (request.file()); such routes check CSRF themselves
  // (config: { csrf: 'manual' }) from the form fields that precede the file.
  await app.register(fastifyMultipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 40, fieldSize: 64 * 1024, parts: 42 } });

  const csrfCookie = cookieName(config, 'csrf');
  const sessionCookie = cookieName(config, 'session');
  const headers = baseSecurityHeaders(config.secureCookies);

  app.decorateRequest('shopBase', '');
  app.decorateRequest('sessionTokenHash', null);
  app.decorateRequest('tenantId', null);
  app.decorateRequest('csrfToken', function csrfToken(this: import('fastify').FastifyRequest) {
    let secret = this.cookies[csrfCookie];
    if (!secret || !/^[A-Za-z0-9_-]{32}$/.test(secret)) {
      secret = platform.csrf.newSecret();
      this.cookies[csrfCookie] = secret;
      (this as unknown as { newCsrfSecret?: string }).newCsrfSecret = secret;
    }
    return platform.csrf.tokenFor(secret);
  });
  app.decorateReply('page', // biome-ignore lint/suspicious/noExplicitAny: see FastifyReply.page
  function page(this: import('fastify').FastifyReply, node: VNode<any>, options: PageOptions) {
    return sendPage(platform, this.request, this, node, options);
  });

  app.addHook('onRequest', async (request) => {
    const match = /^\/(s|h)\/([^/?]+)/.exec(request.url);
    // On a shop's own origin the prefix was added by the rewriter and is not in the browser's URL.
    request.shopBase = match && request.originalUrl.startsWith(match[0]) ? match[0] : '';
    request.sessionTokenHash = sessionTokenHash(request.cookies[sessionCookie]);
  });

  if (config.DB_QUERY_STATS) {
    // Bench/development only: the rest of the request runs inside the counter's async context
    // (callback hooks, so that `done` itself is called within it). Entered again before the
    // handler: a body arrives on socket events, outside the context opened at onRequest.
    const stats = new WeakMap<object, QueryStats>();
    app.addHook('onRequest', (request, _reply, done) => {
      const counter = newQueryStats();
      stats.set(request, counter);
      countQueriesInto(counter, done);
    });
    app.addHook('preHandler', (request, _reply, done) => {
      const counter = stats.get(request);
      if (counter) countQueriesInto(counter, done);
      else done();
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const counter = stats.get(request);
      if (counter) reply.header('x-db-round-trips', String(counter.roundTrips)).header('x-db-ms', counter.dbMs.toFixed(1));
      return payload;
    });
  }

  app.addHook('preHandler', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === 'manual') return;
    if (request.url.startsWith('/hooks/') || /^\/(s|h)\/[^/]+\/hooks\//.test(request.url)) return;
    assertCsrf(platform, request, csrfCookie);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', NON_HTML_CSP);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    const newSecret = (request as unknown as { newCsrfSecret?: string }).newCsrfSecret;
    if (newSecret) reply.setCookie(csrfCookie, newSecret, { ...cookieAttributes(config), maxAge: 60 * 60 * 24 * 30 });
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { req: request, status: reply.statusCode, ms: Math.round(reply.elapsedTime), tenant: request.tenantId ?? undefined },
      'request',
    );
  });

  installErrorHandlers(platform, app);

  app.get('/assets/*', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const found = platform.assets.lookup(path);
    if (!found) throw new DomainError('not_found', 'ファイルが見つかりません。');
    return reply
      .header('content-type', found.asset.contentType)
      .header('cache-control', found.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      .send(found.asset.body);
  });

  for (const register of routes) await register(app, platform);
  return app;
}

export function assertCsrf(platform: Platform, request: Pick<import('fastify').FastifyRequest, 'body' | 'headers' | 'cookies' | 'log'>, csrfCookie: string): void {
  const body = request.body as Record<string, unknown> | undefined;
  const token = (body && typeof body === 'object' ? body._csrf : undefined) ?? request.headers['x-csrf-token'];
  const host = request.headers.host;
  if (isCrossSiteRequest(request.headers, host) || !platform.csrf.verify(request.cookies[csrfCookie], token)) {
    request.log.warn({ event: 'security.csrf_rejected' }, 'CSRF check failed');
    throw new DomainError('csrf_failed', 'フォームの有効期限が切れたか、不正な送信です。ページを再読み込みしてからもう一度お試しください。');
  }
}
