import type { MemberPrice } from '../../domains/pricing/member-price.ts';
import type { ProductCard, StockStatus } from '../../domains/storefront/product-cards.queries.ts';
import { STOCK_TONE, StatusBadge } from '../../platform/views/status-badge.tsx';

/** Pieces every catalog page shares: prices, stock, restriction marks, product cards, paging. */

export interface ImageUrls {
  /** A demo picture under static/ (image_key) → its hashed asset URL. */
  demo(imageKey: string): string | null;
  /** An uploaded picture by content hash and size. */
  media(hash: string, size: 160 | 480 | 960): string;
}

// One formatter for every price on the page: Number#toLocaleString builds a new one per call
// (a listing shows ~70 prices; it was a visible share of the page's CPU under load).
const YEN_DIGITS = new Intl.NumberFormat('ja-JP');
export const yen = (n: number) => `¥${YEN_DIGITS.format(n)}`;

const JST_DATE = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' });
export const jstDate = (d: Date) => JST_DATE.format(d);

const STOCK_LABEL: Record<StockStatus, string> = { in_stock: '在庫あり', low: '残りわずか', out: '在庫切れ' };

export function StockBadge(props: { stock: StockStatus }) {
  return <StatusBadge tone={STOCK_TONE[props.stock] ?? 'neutral'}>{STOCK_LABEL[props.stock]}</StatusBadge>;
}

export function RestrictedBadge() {
  return <span class="badge badge--pro">理美容師限定</span>;
}

export function PriceLine(props: { price: MemberPrice; from?: boolean }) {
  const p = props.price;
  const discounted = p.unitPriceYen < p.listPriceYen;
  return (
    <p class="price-line">
      <span class="price">
        {yen(p.unitPriceYen)}
        {props.from && '〜'}
        <span class="price__note">税抜</span>
      </span>
      <span class="price__incl">
        税込 {yen(p.unitPriceInclTaxYen)}
        {props.from && '〜'}
      </span>
      {discounted && (
        <span class="price__list">
          定価 <s>{yen(p.listPriceYen)}</s>
        </span>
      )}
      {p.source === 'sale' && <span class="badge badge--sale">セール</span>}
    </p>
  );
}

export function ProductImage(props: { card: { name: string; imageKey: string | null; imageHash: string | null }; images: ImageUrls; size: 160 | 480 | 960; eager?: boolean }) {
  const src = props.card.imageHash ? props.images.media(props.card.imageHash, props.size) : props.card.imageKey ? props.images.demo(props.card.imageKey) : null;
  if (!src) return <div class="product-image product-image--none" aria-hidden="true" />;
  return <img class="product-image" src={src} alt="" width={props.size} height={props.size} loading={props.eager ? 'eager' : 'lazy'} decoding="async" />;
}

export function ProductCardView(props: { card: ProductCard; base: string; images: ImageUrls }) {
  const c = props.card;
  const href = `${props.base}/p/${encodeURIComponent(c.code)}`;
  return (
    <li class="product-card">
      <a class="product-card__link" href={href}>
        <ProductImage card={c} images={props.images} size={480} />
        <span class="product-card__brand">{c.brandName ?? ''}</span>
        <span class="product-card__name">{c.name}</span>
      </a>
      <div class="product-card__badges">
        {c.restriction === 'professional' && <RestrictedBadge />}
        <StockBadge stock={c.stock} />
        {c.isFavourite && <span class="badge">お気に入り</span>}
      </div>
      {c.price ? <PriceLine price={c.price} from={c.priceFrom} /> : <p class="price-line price-line--hidden">資格確認済みのサロン様に価格を表示します</p>}
      <p class="product-card__code">品番 {c.code}</p>
    </li>
  );
}

export function ProductGrid(props: { cards: ProductCard[]; base: string; images: ImageUrls; empty?: string }) {
  if (props.cards.length === 0) return <p class="empty-note">{props.empty ?? '該当する商品はありません。'}</p>;
  return (
    <ul class="product-grid">
      {props.cards.map((card) => (
        <ProductCardView key={card.id} card={card} base={props.base} images={props.images} />
      ))}
    </ul>
  );
}

/** Page links that keep the rest of the query string. */
export function Pager(props: { page: number; pageCount: number; hrefFor: (page: number) => string }) {
  if (props.pageCount <= 1) return null;
  const pages: number[] = [];
  for (let p = Math.max(1, props.page - 2); p <= Math.min(props.pageCount, props.page + 2); p++) pages.push(p);
  return (
    <nav class="pager" aria-label="ページ送り">
      {props.page > 1 && (
        <a href={props.hrefFor(props.page - 1)} rel="prev">
          前へ
        </a>
      )}
      {pages.map((p) =>
        p === props.page ? (
          <span key={p} aria-current="page">
            {p}
          </span>
        ) : (
          <a key={p} href={props.hrefFor(p)}>
            {p}
          </a>
        ),
      )}
      {props.page < props.pageCount && (
        <a href={props.hrefFor(props.page + 1)} rel="next">
          次へ
        </a>
      )}
    </nav>
  );
}
