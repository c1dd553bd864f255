import type { FastifyInstance, FastifyRequest } from 'fastify';
import { raiseCspReportEvents } from '../../domains/security/csp-report.events.ts';
import { parseCspReports, storeCspReports } from '../../domains/security/csp-report.service.ts';
import { DomainError } from '../../domains/shared/domain-error.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import { inPlatformRequest, inShop } from '../../platform/http/request-scope.ts';

const REPORT_TYPES = ['application/csp-report', 'application/reports+json'];
export const CSP_REPORT_BODY_LIMIT = 16 * 1024;

/** The page a browser report names (`?page=`), or 'unknown' when it names none we could have sent. */
export function reportedPageOf(request: FastifyRequest): string {
  const page = (request.query as { page?: unknown }).page;
  return typeof page === 'string' && /^[a-z0-9-]{1,60}$/.test(page) ? page : 'unknown';
}

/**
 * Report intake: CSP/Trusted Types violations from real browsers. Size-limited, rate-limited per
 * client address across all processes, schema-checked; malformed bodies get 400 and store nothing.
 */
function csp(app: FastifyInstance, platform: Platform, scope: 'shop' | 'platform') {
  app.addContentTypeParser(REPORT_TYPES, { parseAs: 'string', bodyLimit: CSP_REPORT_BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new DomainError('validation_failed', 'レポートの形式が正しくありません。'), undefined);
    }
  });
  app.post('/hooks/csp-report', { bodyLimit: CSP_REPORT_BODY_LIMIT }, async (request, reply) => {
    const reports = parseCspReports(request.body);
    if (!reports) throw new DomainError('validation_failed', 'レポートの形式が正しくありません。');
    await consumeRateLimit(platform.database, `csp:${request.ip}`, 120, 60);
    const store = async (tx: Parameters<typeof storeCspReports>[0], tenantId: string | null, sessionId: string | null) =>
      storeCspReports(tx, reports, {
        tenantId,
        page: reportedPageOf(request),
        userAgent: String(request.headers['user-agent'] ?? ''),
        clientIp: request.ip,
        sessionId,
      });
    const who =
      scope === 'shop'
        ? await inShop(platform, request, async ({ tx, tenant, session }) => {
            await store(tx, tenant.id, session?.id ?? null);
            return { tenantId: tenant.id as string | null, session };
          })
        : await inPlatformRequest(platform, request, async ({ tx, session }) => {
            await store(tx, null, session?.id ?? null);
            return { tenantId: null, session };
          });
    // After the reports are committed: a critical violation stops cards before this answers.
    await raiseCspReportEvents(platform.database, reports, {
      tenantId: who.tenantId,
      page: reportedPageOf(request),
      sessionId: who.session?.id ?? null,
      principalId: who.session?.user_id ?? null,
      userAgent: String(request.headers['user-agent'] ?? ''),
    });
    request.log.warn({ event: 'security.csp_violation', page: reportedPageOf(request), directive: reports[0]?.effective_directive }, 'CSP violation reported');
    return reply.status(204).send();
  });
}

export function platformCspReportRoutes(app: FastifyInstance, platform: Platform) {
  return app.register(async (scoped) => csp(scoped, platform, 'platform'));
}

export function shopCspReportRoutes(app: FastifyInstance, platform: Platform) {
  csp(app, platform, 'shop');
}
