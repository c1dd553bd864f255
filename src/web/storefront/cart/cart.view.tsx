import type { CartLine, CartView } from '../../../domains/cart/cart.service.ts';
import { variantDisplayName } from '../../../domains/cart/variant-snapshot.ts';
import { formatYen } from '../../../domains/orders/order-format.ts';
import type { Tenant } from '../../../platform/db/schema.ts';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { type MemberNav, ShopLayout } from '../shop-layout.tsx';
import { TaxTotals, UnitPrice } from './money.view.tsx';

export interface CartPageProps {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  stylesheetUrl: string;
  nav: MemberNav;
  csrfToken: string;
  cart: CartView;
  notice?: string;
  error?: string;
}

function PriceChange(props: { line: CartLine }) {
  const { line } = props;
  if (!line.priceChange) return null;
  return (
    <p class="cart-line__change">
      <span class={`badge ${line.priceChange === 'up' ? 'badge--warn' : 'badge--ok'}`}>{line.priceChange === 'up' ? '値上がり' : '値下がり'}</span> カートに入れた時の単価{' '}
      {formatYen(line.seenUnitPriceYen)} → 現在 {formatYen(line.price.unitPriceYen)}（税抜）
    </p>
  );
}

function CartRow(props: { line: CartLine; base: string; csrfToken: string }) {
  const { line, base } = props;
  const s = line.snapshot;
  const name = variantDisplayName(s);
  return (
    <tr>
      <td>
        <a href={`${base}/p/${encodeURIComponent(s.productCode)}`} class="cart-line__name">
          {name}
        </a>
        <div class="muted mono">
          品番 {s.sku}
          {s.janCode ? ` / JAN ${s.janCode}` : ''}
        </div>
        {s.restricted && <span class="badge badge--pro">理美容師限定</span>}
        {(s.minQuantity > 1 || s.orderMultiple > 1) && (
          <div class="muted">
            {s.minQuantity > 1 ? `${s.minQuantity}個から` : ''}
            {s.orderMultiple > 1 ? ` ${s.orderMultiple}個単位` : ''}
          </div>
        )}
        <PriceChange line={line} />
        {line.problems.map((p) => (
          <p class="field__error" role="alert">
            {p}
          </p>
        ))}
      </td>
      <td class="num" data-label="単価（税抜）">
        <UnitPrice excl={line.price.unitPriceYen} incl={line.price.unitPriceInclTaxYen} />
        {line.price.taxRate === 8 && <div class="muted">軽減税率8%</div>}
        {line.price.tierMinQuantity && <div class="muted">{line.price.tierMinQuantity}個以上の価格</div>}
      </td>
      <td data-label="数量">
        <form method="post" action={`${base}/cart/items/${line.variantId}`} class="cart-qty">
          <CsrfField token={props.csrfToken} />
          <label class="visually-hidden" for={`qty-${line.variantId}`}>
            {name} の数量
          </label>
          <input id={`qty-${line.variantId}`} type="number" name="quantity" value={line.quantity} min={0} max={100000} step={s.orderMultiple} inputMode="numeric" />
          <button type="submit" class="button--secondary">
            変更
          </button>
        </form>
        <form method="post" action={`${base}/cart/items/${line.variantId}/remove`}>
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="link-button">
            削除<span class="visually-hidden">（{name}）</span>
          </button>
        </form>
      </td>
      <td class="num" data-label="小計（税抜）">{formatYen(line.lineTotalExclTax)}</td>
    </tr>
  );
}

export function CartPage(props: CartPageProps) {
  const { cart, base } = props;
  const changed = cart.lines.filter((l) => l.priceChange);
  return (
    <ShopLayout tenant={props.tenant} base={base} title="カート" stylesheetUrl={props.stylesheetUrl} member={props.nav}>
      <h1>カート</h1>
      {props.notice && (
        <p class="alert alert--ok" role="status">
          {props.notice}
        </p>
      )}
      {props.error && (
        <p class="alert alert--error" role="alert">
          {props.error}
        </p>
      )}
      {changed.length > 0 && (
        <div class="alert alert--warn" role="status">
          <p>カートに入れた後に価格が変わった商品があります。現在の価格でご注文いただけます。</p>
          <ul>
            {changed.map((l) => (
              <li>
                {variantDisplayName(l.snapshot)}: {formatYen(l.seenUnitPriceYen)} → {formatYen(l.price.unitPriceYen)}（税抜）
              </li>
            ))}
          </ul>
        </div>
      )}
      {cart.removedCount > 0 && <p class="alert alert--warn">取り扱いが終了した商品 {cart.removedCount} 点はカートに表示していません。</p>}
      {cart.lines.length === 0 ? (
        <div class="panel">
          <p>カートに商品はありません。</p>
          <p>
            <a href={`${base}/`}>商品を探す</a> ／ <a href={`${base}/quick-order`}>品番・JANでまとめて注文（クイックオーダー）</a>
          </p>
        </div>
      ) : (
        <>
          <div class="table-wrap cart-table" tabindex={0} role="region" aria-label="カートの商品一覧">
            <table class="stack-table">
              <caption class="visually-hidden">カートの商品</caption>
              <thead>
                <tr>
                  <th scope="col">商品</th>
                  <th scope="col" class="num">
                    単価（税抜）
                  </th>
                  <th scope="col">数量</th>
                  <th scope="col" class="num">
                    小計（税抜）
                  </th>
                </tr>
              </thead>
              <tbody>
                {cart.lines.map((line) => (
                  <CartRow line={line} base={base} csrfToken={props.csrfToken} />
                ))}
              </tbody>
            </table>
          </div>
          <div class="cart-summary panel">
            <TaxTotals tax={cart.tax} totalLabel="商品合計（税込）" />
            <p class="muted">送料・手数料はご注文手続きの画面で計算します。消費税は税率ごとに合計してから計算しています。</p>
            <div class="cart-summary__actions">
              {cart.canCheckout ? (
                <a class="button" href={`${base}/checkout`}>
                  ご注文手続きへ進む
                </a>
              ) : (
                <p class="alert alert--error">ご注文いただけない商品があります。数量を変更するか、カートから削除してください。</p>
              )}
              <a class="button button--secondary" href={`${base}/quick-order`}>
                クイックオーダー
              </a>
            </div>
          </div>
        </>
      )}
    </ShopLayout>
  );
}
