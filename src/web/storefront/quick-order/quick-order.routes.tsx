import type { FastifyInstance } from 'fastify';
import { MAX_QUICK_ORDER_CHARS } from '../../../domains/cart/quick-order.parse.ts';
import { addQuickOrderToCart, previewQuickOrder } from '../../../domains/cart/quick-order.service.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inShop } from '../../../platform/http/request-scope.ts';
import { requireShopBuyer } from '../cart/shop-buyer.ts';
import { QuickOrderPage } from './quick-order.view.tsx';

/** /quick-order: paste codes and quantities, check the preview, add every valid line to the cart. */
export function quickOrderRoutes(app: FastifyInstance, platform: Platform) {
  const stylesheetUrl = () => platform.assets.url('css/app.css');

  app.get('/quick-order', async (request, reply) => {
    const data = await inShop(platform, request, async (scope) => ({ tenant: scope.tenant, nav: (await requireShopBuyer(platform, scope, request)).nav }));
    return reply.page(
      <QuickOrderPage tenant={data.tenant} base={request.shopBase} stylesheetUrl={stylesheetUrl()} nav={data.nav} csrfToken={request.csrfToken()} text="" preview={null} />,
      { page: 'quick-order' },
    );
  });

  app.post('/quick-order', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = typeof body.lines === 'string' ? body.lines.slice(0, MAX_QUICK_ORDER_CHARS) : '';
    const add = body.action === 'add';
    const data = await inShop(platform, request, async (scope) => {
      const { buyer, nav } = await requireShopBuyer(platform, scope, request, { canOrder: add });
      if (!add) return { tenant: scope.tenant, nav, preview: await previewQuickOrder(scope.tx, buyer, text), added: 0, refused: [] };
      const result = await addQuickOrderToCart(scope.tx, buyer, text);
      return { tenant: scope.tenant, nav, ...result };
    });
    if (add && data.added > 0 && data.refused.length === 0) return reply.redirect(`${request.shopBase}/cart?done=added`, 303);
    return reply.page(
      <QuickOrderPage
        tenant={data.tenant}
        base={request.shopBase}
        stylesheetUrl={stylesheetUrl()}
        nav={data.nav}
        csrfToken={request.csrfToken()}
        text={text}
        preview={data.preview}
        refused={data.refused}
        error={add && data.added === 0 ? 'カートに追加できる行がありませんでした。各行のエラーをご確認ください。' : text.trim() === '' ? '品番またはJANと数量を入力してください。' : undefined}
      />,
      { page: 'quick-order', status: add && data.added === 0 ? 422 : 200 },
    );
  });
}
