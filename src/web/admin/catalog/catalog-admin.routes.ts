import type { FastifyInstance } from 'fastify';
import { parseMediaFileName, readRendition } from '../../../domains/media/media-store.ts';
import { shopUsesImage } from '../../../domains/media/product-image.service.ts';
import { DomainError } from '../../../domains/shared/domain-error.ts';
import type { RouteModule } from '../../../platform/http/app.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { sendRendition } from '../../media/media.routes.ts';
import { inAdmin } from '../admin-guard.ts';
import { STOCK_ROLES } from './catalog-admin.shared.ts';
import { adminCatalogCsvRoutes } from './catalog-csv.routes.tsx';
import { adminProductRoutes } from './products.routes.tsx';
import { adminStockRoutes } from './stock.routes.tsx';
import { adminTaxonomyRoutes } from './taxonomy.routes.tsx';

/**
 * Product images for the console: the staff origin serves only /admin, so thumbnails come through
 * this guarded route (the shop's own images only), not the shop origin's /media.
 */
function adminMediaRoutes(app: FastifyInstance, platform: Platform) {
  app.get<{ Params: { file: string } }>('/catalog/media/:file', { config: { staffRoles: STOCK_ROLES } }, async (request, reply) => {
    const name = parseMediaFileName(request.params.file);
    const used = await inAdmin(platform, request, STOCK_ROLES, async ({ tx }) => (name ? shopUsesImage(tx, name.contentHash) : false));
    const body = used ? await readRendition(platform.config.dataDir, request.params.file) : null;
    if (!body) throw new DomainError('not_found', '画像が見つかりません。');
    return sendRendition(reply, body, 'private');
  });
}

/** 商品管理 under /admin/:shop/catalog/…: products, categories, brands, stock, CSV and images. */
export const adminCatalogRoutes: RouteModule = async (app, platform) => {
  await app.register(
    async (shopApp) => {
      adminProductRoutes(shopApp, platform);
      adminTaxonomyRoutes(shopApp, platform);
      adminStockRoutes(shopApp, platform);
      adminCatalogCsvRoutes(shopApp, platform);
      adminMediaRoutes(shopApp, platform);
    },
    { prefix: '/admin/:shop' },
  );
};
