import type { FastifyInstance } from 'fastify';
import { getPlatformOperator, listPublicTenants } from '../../domains/tenants/tenant.queries.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { inPlatformRequest } from '../../platform/http/request-scope.ts';
import { shopHomeUrl } from '../../platform/http/shop-urls.ts';
import { PlatformHomePage } from './platform-home.view.tsx';

export function platformHomeRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/', async (request, reply) => {
    const { operator, shops } = await inPlatformRequest(platform, request, async ({ tx }) => ({
      operator: await getPlatformOperator(tx),
      shops: await listPublicTenants(tx),
    }));
    return reply.page(
      <PlatformHomePage
        stylesheetUrl={platform.assets.url('css/app.css')}
        operator={operator}
        shops={shops.map((s) => ({ ...s, href: shopHomeUrl(platform.config, s) }))}
      />,
      { page: 'platform-home' },
    );
  });

  app.get('/healthz', async (request, reply) => {
    await inPlatformRequest(platform, request, async ({ tx }) => tx.selectFrom('tenants').select('id').limit(1).execute());
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });
}
