import type { FastifyInstance } from 'fastify';
import { revokeSession, SESSION_LIFETIMES } from '../../domains/auth/session.service.ts';
import { redeemHandoff } from '../../domains/auth/session-handoff.service.ts';
import type { Config } from '../../platform/config/config.ts';
import { safeNextPath } from '../../platform/http/auth-errors.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { inShop } from '../../platform/http/request-scope.ts';
import { clearSessionCookie, setSessionCookie } from '../../platform/http/session-cookie.ts';

/**
 * The shop origin's end of the salon sign-in: `/session/handoff?token=…&next=…` spends the
 * platform's single-use token (60 s, bound to this shop) and opens this origin's own session,
 * bound to the shop. No cookie is shared across shop origins. `/session/sign-out` ends it.
 */

/**
 * Where a shop page sends a salon that must sign in: the platform's sign-in page, which hands the
 * salon back to `nextOnShop` (a path on the shop, without the development /s/{slug} prefix).
 * Use it as requireSalon's signInUrl.
 */
export function salonSignInUrl(config: Pick<Config, 'baseOrigin' | 'BASE_DOMAIN' | 'pathTenants'>, shopSlug: string, nextOnShop: string): string {
  const q = new URLSearchParams({ shop: shopSlug, next: safeNextPath(nextOnShop, '/') });
  const onOwnOrigin = Boolean(config.BASE_DOMAIN) && !config.pathTenants;
  return `${onOwnOrigin ? config.baseOrigin : ''}/account/sign-in?${q}`;
}

export function sessionHandoffRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/session/handoff', async (request, reply) => {
    const q = request.query as { token?: string; next?: string };
    const token = String(q.token ?? '').slice(0, 200);
    const next = safeNextPath(q.next, '/');
    const { created, tenant } = await inShop(platform, request, async ({ tx, tenant }) => ({
      tenant,
      created: await redeemHandoff(tx, token, tenant.id, { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') }),
    }));
    if (!created) {
      // Spent, expired or meant for another shop: start over at the platform's sign-in.
      return reply.redirect(salonSignInUrl(platform.config, tenant.slug, next), 303);
    }
    setSessionCookie(reply, platform.config, created.token, SESSION_LIFETIMES.salon.absoluteSeconds);
    return reply.redirect(`${request.shopBase}${next}`, 303);
  });

  app.post('/session/sign-out', async (request, reply) => {
    await inShop(platform, request, async ({ tx, session }) => {
      if (session) await revokeSession(tx, session.id, 'sign_out');
    });
    clearSessionCookie(reply, platform.config);
    return reply.redirect(`${request.shopBase}/`, 303);
  });
}
