import type { FastifyInstance } from 'fastify';
import { AuthRedirectError } from '../../platform/http/auth-errors.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { inShop } from '../../platform/http/request-scope.ts';
import { loadMemberHome, renderMemberHome } from './catalog.routes.tsx';
import { requireMemberPage } from './member-context.ts';
import { ClosedShopFrontPage, LegalPage } from './shop-front.view.tsx';

/**
 * The shop's front door: an approved member who is signed in gets the member home; everyone else
 * (anonymous, not yet approved, another audience) the closed front with its name and how to join.
 */
export function shopFrontRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/', async (request, reply) => {
    const result = await inShop(platform, request, async (scope) => {
      if (scope.session?.audience === 'salon') {
        try {
          const ctx = await requireMemberPage(platform, scope, request);
          return { scope, member: { ctx, data: await loadMemberHome(platform, scope, ctx.viewer) } };
        } catch (err) {
          // Not approved by this shop (or signed out meanwhile): the closed front, as for anyone.
          if (!(err instanceof AuthRedirectError)) throw err;
        }
      }
      return { scope, member: null };
    });
    if (result.member) {
      return reply.page(renderMemberHome(platform, request, result.scope, result.member.ctx, result.member.data), { page: 'shop-home' });
    }
    const tenant = result.scope.tenant;
    const platformOrigin = platform.config.pathTenants ? '' : platform.config.baseOrigin;
    const signInUrl = `${platformOrigin}/account/sign-in?shop=${encodeURIComponent(tenant.slug)}`;
    return reply.page(<ClosedShopFrontPage tenant={tenant} base={request.shopBase} signInUrl={signInUrl} stylesheetUrl={platform.assets.url('css/app.css')} />, {
      page: 'shop-front',
    });
  });

  app.get('/legal', async (request, reply) => {
    const { tenant } = await inShop(platform, request, async (scope) => scope);
    return reply.page(<LegalPage tenant={tenant} base={request.shopBase} stylesheetUrl={platform.assets.url('css/app.css')} />, {
      page: 'shop-legal',
    });
  });
}
