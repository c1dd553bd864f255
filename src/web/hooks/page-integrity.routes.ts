import type { FastifyInstance } from 'fastify';
import { judgePageIntegrity, pageIntegrityReportSchema, raisePageIntegrityEvents } from '../../domains/security/page-integrity.events.ts';
import { DomainError } from '../../domains/shared/domain-error.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import { inPlatformRequest, inShop } from '../../platform/http/request-scope.ts';
import { reportedPageOf } from './csp-report.routes.ts';

export const PAGE_INTEGRITY_BODY_LIMIT = 32 * 1024;

/**
 * Intake of the protected pages' integrity reports (static/js/page-integrity.js; judged in
 * domains/security/page-integrity.events.ts). Size- and rate-limited like CSP reports; a report
 * with nothing wrong in it raises nothing.
 */
function pageIntegrity(app: FastifyInstance, platform: Platform, scope: 'shop' | 'platform') {
  app.post('/hooks/page-integrity', { bodyLimit: PAGE_INTEGRITY_BODY_LIMIT }, async (request, reply) => {
    const parsed = pageIntegrityReportSchema.safeParse(request.body);
    if (!parsed.success) throw new DomainError('validation_failed', 'レポートの形式が正しくありません。');
    await consumeRateLimit(platform.database, `integrity:${request.ip}`, 60, 60);
    const findings = judgePageIntegrity(parsed.data, {
      approvedScriptPaths: new Set([...platform.scripts.values()].map((s) => s.url)),
      signedHashOf: (url) => {
        const served = platform.assets.lookup(url);
        return served ? platform.signedAssetHashes?.get(served.asset.logicalPath) : undefined;
      },
    });
    if (findings.length === 0) return reply.status(204).send();
    const who =
      scope === 'shop'
        ? await inShop(platform, request, async ({ tenant, session }) => ({ tenantId: tenant.id as string | null, session }))
        : await inPlatformRequest(platform, request, async ({ session }) => ({ tenantId: null, session }));
    await raisePageIntegrityEvents(platform.database, parsed.data, findings, {
      tenantId: who.tenantId,
      page: reportedPageOf(request),
      sessionId: who.session?.id ?? null,
      principalId: who.session?.user_id ?? null,
      userAgent: String(request.headers['user-agent'] ?? ''),
      clientIp: request.ip,
    });
    request.log.warn({ event: 'security.page_integrity', page: reportedPageOf(request), findings: findings.map((f) => f.kind) }, 'page integrity deviation reported');
    return reply.status(204).send();
  });
}

export function platformPageIntegrityRoutes(app: FastifyInstance, platform: Platform) {
  return app.register(async (scoped) => pageIntegrity(scoped, platform, 'platform'));
}

export function shopPageIntegrityRoutes(app: FastifyInstance, platform: Platform) {
  pageIntegrity(app, platform, 'shop');
}
