import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addToCart, loadCart, removeFromCart, setCartQuantity } from '../../../domains/cart/cart.service.ts';
import { parseQuantity } from '../../../domains/cart/quantity-rules.ts';
import { DomainError, ValidationError } from '../../../domains/shared/domain-error.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inShop } from '../../../platform/http/request-scope.ts';
import { CartPage } from './cart.view.tsx';
import { requireShopBuyer, shopNextPath } from './shop-buyer.ts';

/**
 * The member's cart under /cart. The product page adds with
 *   POST {shopBase}/cart/items   variantId, quantity, _csrf, optional next (a path in the shop)
 * and the buyer lands on `next` (or the cart) with the item added, or on the cart with the reason
 * it was refused (quantity rules, 理美容師限定, unknown variant).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

function quantityFrom(body: unknown, allowZero: boolean): number {
  const raw = field(body, 'quantity');
  if (allowZero && typeof raw === 'string' && raw.normalize('NFKC').trim() === '0') return 0;
  const parsed = parseQuantity(raw);
  if (!parsed.ok) throw new ValidationError({ quantity: parsed.message }, parsed.message);
  return parsed.value;
}

function variantIdFrom(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new ValidationError({ variantId: '商品の指定が正しくありません。' }, '商品の指定が正しくありません。');
  return value.toLowerCase();
}

const NOTICES: Record<string, string> = {
  added: 'カートに追加しました。',
  updated: '数量を変更しました。',
  removed: 'カートから削除しました。',
};

export function cartRoutes(app: FastifyInstance, platform: Platform) {
  const render = async (request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; status?: number }) => {
    const data = await inShop(platform, request, async (scope) => {
      const { buyer, nav } = await requireShopBuyer(platform, scope, request);
      return { tenant: scope.tenant, nav, cart: await loadCart(scope.tx, buyer) };
    });
    return reply.page(
      <CartPage
        tenant={data.tenant}
        base={request.shopBase}
        stylesheetUrl={platform.assets.url('css/app.css')}
        nav={data.nav}
        csrfToken={request.csrfToken()}
        cart={data.cart}
        notice={extra.notice}
        error={extra.error}
      />,
      { page: 'cart', status: extra.status },
    );
  };

  /** Runs a change; a refused change re-renders the cart with the reason (nothing was changed). */
  const change = async (request: FastifyRequest, reply: FastifyReply, done: string, fn: Parameters<typeof inShop>[2], next?: string | null) => {
    try {
      await inShop(platform, request, fn);
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'validation_failed' || err.code === 'not_found')) {
        const message = Object.values(err.fieldErrors)[0] ?? err.message;
        return render(request, reply, { error: message, status: 422 });
      }
      throw err;
    }
    return reply.redirect(next ? `${request.shopBase}${next}` : `${request.shopBase}/cart?done=${done}`, 303);
  };

  app.get('/cart', async (request, reply) => {
    const done = (request.query as { done?: string }).done;
    return render(request, reply, { notice: done ? NOTICES[done] : undefined });
  });

  app.post('/cart/items', async (request, reply) =>
    change(
      request,
      reply,
      'added',
      async (scope) => {
        const { buyer } = await requireShopBuyer(platform, scope, request, { canOrder: true });
        await addToCart(scope.tx, buyer, { variantId: variantIdFrom(field(request.body, 'variantId')), quantity: quantityFrom(request.body, false) });
      },
      shopNextPath(field(request.body, 'next')),
    ),
  );

  app.post('/cart/items/:variantId', async (request, reply) =>
    change(request, reply, 'updated', async (scope) => {
      const { buyer } = await requireShopBuyer(platform, scope, request, { canOrder: true });
      const variantId = variantIdFrom((request.params as { variantId: string }).variantId);
      await setCartQuantity(scope.tx, buyer, { variantId, quantity: quantityFrom(request.body, true) });
    }),
  );

  app.post('/cart/items/:variantId/remove', async (request, reply) =>
    change(request, reply, 'removed', async (scope) => {
      const { buyer } = await requireShopBuyer(platform, scope, request, { canOrder: true });
      await removeFromCart(scope.tx, buyer, variantIdFrom((request.params as { variantId: string }).variantId));
    }),
  );
}
