import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { raiseRenderRefusal } from '../../domains/security/render-refusal.events.ts';
import { DomainError, RateLimitedError } from '../../domains/shared/domain-error.ts';
import { ScopeError } from '../db/tenant-scope.ts';
import { ErrorPage } from '../views/error-page.tsx';
import { UninventoriedScriptError } from '../views/render-page.ts';
import { AuthRedirectError } from './auth-errors.ts';
import { sendPage } from './page-reply.ts';
import type { Platform } from './platform.ts';

/**
 * The one place errors become HTTP. Domain errors map by code; framework errors keep their 4xx
 * status with a generic message; everything else is a 500 with only a reference number.
 */
const STATUS_BY_CODE: Record<DomainError['code'], number> = {
  validation_failed: 400,
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  csrf_failed: 403,
};

const GENERIC_MESSAGES: Record<number, string> = {
  400: 'リクエストの形式が正しくありません。',
  401: 'サインインしてください。',
  403: 'この操作を行う権限がありません。',
  404: 'お探しのページは見つかりませんでした。',
  405: 'この操作はできません。',
  406: 'この形式では応答できません。',
  413: '送信されたデータが大きすぎます。',
  415: '対応していないデータ形式です。',
  429: 'アクセスが集中しています。しばらくしてからもう一度お試しください。',
  500: '申し訳ありません。エラーが発生しました。時間をおいて再度お試しください。',
  503: 'ただいまサービスを利用できません。時間をおいて再度お試しください。',
};

export interface MappedError {
  status: number;
  code: string;
  message: string;
  fieldErrors?: Readonly<Record<string, string>>;
}

export function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    const status = STATUS_BY_CODE[error.code];
    return { status, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
  }
  if (error instanceof ScopeError) return { status: 404, code: 'not_found', message: GENERIC_MESSAGES[404]! };
  // PostgreSQL's invalid_text_representation (e.g. a malformed uuid from a URL) means no such thing.
  const sqlState = (error as { code?: unknown } | undefined)?.code;
  if (sqlState === '22P02') return { status: 404, code: 'not_found', message: GENERIC_MESSAGES[404]! };
  // character_not_in_repertoire: a NUL byte from the URL or a body reached a text value. Only a
  // client sends one; it is a bad request, not our failure.
  if (sqlState === '22021') return { status: 400, code: 'bad_request', message: GENERIC_MESSAGES[400]! };
  const status = (error as FastifyError | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && !(error instanceof UninventoriedScriptError)) {
    return { status, code: (error as FastifyError).code ?? 'bad_request', message: GENERIC_MESSAGES[status] ?? GENERIC_MESSAGES[400]! };
  }
  return { status: 500, code: 'internal_error', message: GENERIC_MESSAGES[500]! };
}

export function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/hooks/') || request.url.includes('/hooks/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function sendError(platform: Platform, request: FastifyRequest, reply: FastifyReply, mapped: MappedError): FastifyReply {
  if (wantsJson(request)) {
    return reply
      .status(mapped.status)
      .header('cache-control', 'no-store')
      .send({ error: { code: mapped.code, message: mapped.message, fields: mapped.fieldErrors, requestId: request.id } });
  }
  return sendPage(
    platform,
    request,
    reply,
    h(ErrorPage, {
      status: mapped.status,
      message: mapped.message,
      fieldErrors: mapped.fieldErrors,
      requestId: String(request.id),
      stylesheetUrl: platform.assets.url('css/app.css'),
    }),
    { page: `error-${mapped.status}`, status: mapped.status },
  );
}

export function installErrorHandlers(platform: Platform, app: import('fastify').FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AuthRedirectError) {
      if (!wantsJson(request)) return reply.redirect(error.location, 303);
      const status = error.kind === 'sign-in' ? 401 : 403;
      return reply.status(status).send({ error: { code: `${error.kind}_required`, message: error.message, location: error.location } });
    }
    const mapped = mapError(error);
    if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    if (error instanceof UninventoriedScriptError) {
      // A page tried to ship a script nobody approved: the tamper signal the protection issue acts on.
      request.log.fatal({ event: 'security.uninventoried_script', detail: error.message }, 'refused to serve a page with an uninventoried script');
      // Contained (card stop for the shop) without holding up the error page.
      void raiseRenderRefusal(platform.database, {
        tenantId: request.tenantId ?? null,
        route: request.routeOptions?.url ?? request.url.split('?')[0] ?? '',
        found: error.found,
        url: request.url,
        requestId: String(request.id),
      }).catch((err) => request.log.error({ err, event: 'security.raise_failed' }, 'could not raise the render refusal'));
    } else if (mapped.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: mapped.code, status: mapped.status }, 'request refused');
    }
    return sendError(platform, request, reply, mapped);
  });
  app.setNotFoundHandler((request, reply) => sendError(platform, request, reply, mapError(new DomainError('not_found', GENERIC_MESSAGES[404]!))));
}
