import type { ProductPageData, ProductVariantView } from '../../domains/storefront/product-page.queries.ts';
import { Breadcrumbs } from '../../platform/views/breadcrumbs.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { unsafeRawHtml } from '../../platform/views/raw-html.ts';
import { TableRegion } from '../../platform/views/table-region.tsx';
import type { MemberPageFrame } from './catalog-pages.view.tsx';
import { jstDate, PriceLine, ProductImage, RestrictedBadge, StockBadge, yen } from './catalog-parts.view.tsx';
import { ShopLayout } from './shop-layout.tsx';

/** The product page: variants as a server-rendered table (no script), prices per the member's rank. */

function quantityRule(v: ProductVariantView): string {
  const parts: string[] = [];
  if (v.minQuantity > 1) parts.push(`${v.minQuantity}個から`);
  if (v.orderMultiple > 1) parts.push(`${v.orderMultiple}個単位`);
  return parts.join('・') || '1個から';
}

function VariantPrice(props: { v: ProductVariantView }) {
  const p = props.v.price;
  if (!p) return <span class="muted">資格確認後に表示</span>;
  return (
    <>
      <span class="price">{yen(p.unitPriceYen)}</span>
      <span class="price__incl">税込 {yen(p.unitPriceInclTaxYen)}</span>
      {p.unitPriceYen < p.listPriceYen && (
        <span class="price__list">
          定価 <s>{yen(p.listPriceYen)}</s>
        </span>
      )}
      {p.saleEndsAt && (
        <span class="sale-note">
          <span class="badge badge--sale">セール</span> {jstDate(p.saleEndsAt)}まで
        </span>
      )}
    </>
  );
}

function VariantTable(props: { product: ProductPageData; base: string; csrfToken: string }) {
  const { product } = props;
  return (
    <TableRegion label="規格と価格">
      <table class="variant-table">
        <caption class="visually-hidden">規格と価格</caption>
        <thead>
          <tr>
            <th scope="col">規格</th>
            <th scope="col">品番 / JAN</th>
            <th scope="col">在庫</th>
            <th scope="col" class="num">
              会員価格（税抜）
            </th>
            {product.orderable && <th scope="col">数量</th>}
          </tr>
        </thead>
        <tbody>
          {product.variants.map((v) => (
            <tr key={v.id}>
              <th scope="row" class="variant-table__label">
                {v.label || product.name}
                {v.capacity && v.capacity !== v.label && <span class="muted"> {v.capacity}</span>}
                {v.packSize > 1 && <span class="muted"> （{v.packSize}個入）</span>}
                <span class="variant-table__rule">{quantityRule(v)}</span>
              </th>
              <td>
                <span class="mono">{v.sku}</span>
                {v.janCode && (
                  <span class="mono muted">
                    <br />
                    JAN {v.janCode}
                  </span>
                )}
              </td>
              <td>
                <StockBadge stock={v.stock} />
              </td>
              <td class="num variant-table__price">
                <VariantPrice v={v} />
              </td>
              {product.orderable && (
                <td>
                  {v.stock === 'out' ? (
                    <span class="muted">入荷待ち</span>
                  ) : (
                    <form method="post" action={`${props.base}/cart/items`} class="add-to-cart">
                      <CsrfField token={props.csrfToken} />
                      <input type="hidden" name="variantId" value={v.id} />
                      <label class="visually-hidden" for={`qty-${v.id}`}>
                        {v.label || product.name} の数量
                      </label>
                      <input id={`qty-${v.id}`} type="number" name="quantity" min={v.minQuantity} step={v.orderMultiple} value={v.minQuantity} inputMode="numeric" />
                      <button type="submit">カートに入れる</button>
                    </form>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** The member's price at a glance beside the name: the lowest variant price, 〜 when variants differ. */
function SummaryPrice(props: { product: ProductPageData }) {
  const prices = props.product.variants.flatMap((v) => (v.price ? [v.price] : []));
  const lowest = prices.reduce<(typeof prices)[number] | undefined>((min, p) => (!min || p.unitPriceYen < min.unitPriceYen ? p : min), undefined);
  if (!lowest) return null;
  const varies = prices.some((p) => p.unitPriceYen !== lowest.unitPriceYen);
  return (
    <div class="product__price">
      <PriceLine price={lowest} from={varies} />
    </div>
  );
}

function TierTable(props: { product: ProductPageData }) {
  const rows = props.product.variants.filter((v) => v.price && v.price.tiers.length > 0);
  if (rows.length === 0) return null;
  return (
    <section class="tier-section" aria-labelledby="tiers-title">
      <h2 id="tiers-title">まとめ買い価格</h2>
      <TableRegion label="まとめ買い価格">
        <table>
          <thead>
            <tr>
              <th scope="col">規格</th>
              <th scope="col">数量</th>
              <th scope="col" class="num">
                単価（税抜）
              </th>
              <th scope="col" class="num">
                単価（税込）
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.flatMap((v) =>
              v.price!.tiers.map((t) => (
                <tr key={`${v.id}-${t.minQuantity}`}>
                  <td>{v.label || props.product.name}</td>
                  <td>
                    {t.minQuantity}個以上（{Math.round(t.discountRate * 1000) / 10}%引）
                  </td>
                  <td class="num">{yen(t.unitPriceYen)}</td>
                  <td class="num">{yen(t.unitPriceInclTaxYen)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

export function ProductPage(props: { frame: MemberPageFrame; product: ProductPageData; rankName: string | null; csrfToken: string }) {
  const { frame, product } = props;
  const mainImage = product.images[0];
  return (
    <ShopLayout tenant={frame.tenant} base={frame.base} title={product.name} stylesheetUrl={frame.stylesheetUrl} member={frame.member}>
      <Breadcrumbs
        items={[
          { label: 'ホーム', href: `${frame.base}/` },
          ...(product.category.parent ? [{ label: product.category.parent.name, href: `${frame.base}/c/${product.category.parent.slug}` }] : []),
          { label: product.category.name, href: `${frame.base}/c/${product.category.slug}` },
          { label: product.name },
        ]}
      />
      <article class="product">
        <div class="product__media">
          <ProductImage
            card={{ name: product.name, imageKey: product.imageKey, imageHash: mainImage?.hash ?? null }}
            images={frame.images}
            size={960}
            eager
          />
        </div>
        <div class="product__summary">
          {product.brand && <p class="product__brand">{product.brand.name}</p>}
          <h1 class="product__name">{product.name}</h1>
          <p class="product__meta">
            <span class="mono">品番 {product.code}</span>
            {product.restriction === 'professional' && <RestrictedBadge />}
            <span class="badge">消費税{product.taxRate}%{product.taxRate === 8 ? '（軽減税率）' : ''}</span>
            {product.lotTracked && <span class="badge">ロット管理品</span>}
          </p>
          {product.orderable && <SummaryPrice product={product} />}
          {product.orderable ? (
            <p class="muted">{props.rankName ? `${props.rankName}ランクの会員価格を表示しています。` : '会員価格を表示しています。'}価格は税抜、税込価格は参考表示です。</p>
          ) : (
            <p class="alert alert--warn">
              この商品は理美容師限定です。美容所登録の確認が済んだサロン様に価格を表示し、ご注文をお受けします。アカウントページから確認書類をご提出ください。
            </p>
          )}
          <form method="post" action={`${frame.base}/p/${encodeURIComponent(product.code)}/favourite`} class="favourite-form">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="favourite" value={product.isFavourite ? '0' : '1'} />
            <button type="submit" class="button--secondary" aria-pressed={product.isFavourite ? 'true' : 'false'}>
              {product.isFavourite ? '★ お気に入りから外す' : '☆ お気に入りに追加'}
            </button>
          </form>
        </div>
      </article>
      <section aria-labelledby="variants-title" class="product__variants">
        <h2 id="variants-title">規格・価格</h2>
        <VariantTable product={product} base={frame.base} csrfToken={props.csrfToken} />
      </section>
      <TierTable product={product} />
      {product.descriptionHtml && (
        <section class="product__description" aria-labelledby="description-title">
          <h2 id="description-title">商品説明</h2>
          <div class="rich-text">{unsafeRawHtml(product.descriptionHtml, 'sanitized-description')}</div>
        </section>
      )}
    </ShopLayout>
  );
}
