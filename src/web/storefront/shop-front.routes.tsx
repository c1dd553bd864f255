import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/http/platform.ts';
import { inShop } from '../../platform/http/request-scope.ts';
import { ClosedShopFrontPage, LegalPage } from './shop-front.view.tsx';

/** The parts of a shop anyone may see: its front door and its 特定商取引法 page. */
export function shopFrontRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/', async (request, reply) => {
    const { tenant } = await inShop(platform, request, async (scope) => scope);
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
