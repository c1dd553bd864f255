import { cartSummary } from '../../../domains/cart/cart.service.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';

/**
 * For the shop navigation: `const count = await cartLineCount(scope.tx, tenant.id, userId)` in the
 * handler's scope, then `<CartLink base={request.shopBase} count={count} />` in the nav.
 */
export async function cartLineCount(tx: Tx, tenantId: string, userId: string): Promise<number> {
  return (await cartSummary(tx, tenantId, userId)).lines;
}

export function CartLink(props: { base: string; count: number }) {
  return (
    <a href={`${props.base}/cart`} class="cart-link">
      カート
      {props.count > 0 && (
        <span class="cart-link__count">
          {props.count}
          <span class="visually-hidden">品目</span>
        </span>
      )}
    </a>
  );
}
