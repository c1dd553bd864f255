import type { BrandFacet, CategoryNode } from '../../domains/storefront/catalog-navigation.queries.ts';
import type { CardSort, ProductCard } from '../../domains/storefront/product-cards.queries.ts';
import type { Tenant } from '../../platform/db/schema.ts';
import { Breadcrumbs } from '../../platform/views/breadcrumbs.tsx';
import { type ImageUrls, Pager, ProductGrid } from './catalog-parts.view.tsx';
import { type ListingQuery, listingHref } from './listing-query.ts';
import { type MemberNav, ShopLayout } from './shop-layout.tsx';

/** Member home, category listing, search results and favourites. */

export interface MemberPageFrame {
  tenant: Pick<Tenant, 'display_name' | 'company_name' | 'tagline'>;
  base: string;
  stylesheetUrl: string;
  member: MemberNav;
  images: ImageUrls;
  /** Salon verification not current: 理美容師限定 products show no price. */
  verificationNotice: boolean;
}

function VerificationNotice(props: { show: boolean }) {
  if (!props.show) return null;
  return (
    <p class="alert alert--info">
      理美容師限定の商品は、美容所登録の確認が済んだサロン様に価格を表示し、ご注文をお受けしています。アカウントページから確認書類をご提出ください。
    </p>
  );
}

function CategoryTiles(props: { tree: CategoryNode[]; base: string }) {
  return (
    <ul class="category-tiles">
      {props.tree.map((c) => (
        <li key={c.id} class="category-tile">
          <a class="category-tile__name" href={`${props.base}/c/${c.slug}`}>
            {c.name}
            <span class="category-tile__count">{c.productCount}点</span>
          </a>
          <ul class="category-tile__children">
            {c.children
              .filter((child) => child.productCount > 0)
              .map((child) => (
                <li key={child.id}>
                  <a href={`${props.base}/c/${child.slug}`}>{child.name}</a>
                </li>
              ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function Section(props: { id: string; title: string; more?: { href: string; label: string }; cards: ProductCard[]; frame: MemberPageFrame; empty: string }) {
  return (
    <section class="shop-section" aria-labelledby={props.id}>
      <div class="shop-section__head">
        <h2 id={props.id}>{props.title}</h2>
        {props.more && <a href={props.more.href}>{props.more.label}</a>}
      </div>
      <ProductGrid cards={props.cards} base={props.frame.base} images={props.frame.images} empty={props.empty} />
    </section>
  );
}

export interface MemberHomeData {
  tree: CategoryNode[];
  newest: ProductCard[];
  featured: ProductCard[];
  frequent: ProductCard[];
}

export function MemberHomePage(props: { frame: MemberPageFrame; data: MemberHomeData }) {
  const { frame, data } = props;
  const firstCategory = data.tree[0];
  return (
    <ShopLayout tenant={frame.tenant} base={frame.base} title="ホーム" stylesheetUrl={frame.stylesheetUrl} member={frame.member}>
      <section class="member-hero">
        <h1>{frame.tenant.display_name}</h1>
        <p>{frame.tenant.tagline}</p>
      </section>
      <VerificationNotice show={frame.verificationNotice} />
      <Section
        id="frequent"
        title="よく買う商品"
        cards={data.frequent}
        frame={frame}
        more={{ href: `${frame.base}/favourites`, label: 'お気に入り一覧' }}
        empty="よく買う商品・お気に入りに登録した商品がここに並びます。商品ページの「お気に入りに追加」からどうぞ。"
      />
      <Section id="featured" title="おすすめ" cards={data.featured} frame={frame} empty="おすすめ商品は準備中です。" />
      <Section
        id="newest"
        title="新着商品"
        cards={data.newest}
        frame={frame}
        more={firstCategory ? { href: `${frame.base}/c/${firstCategory.slug}?sort=newest`, label: '新着順で見る' } : undefined}
        empty="新着商品はありません。"
      />
      <section class="shop-section" id="categories" aria-labelledby="categories-title">
        <h2 id="categories-title">カテゴリから探す</h2>
        <CategoryTiles tree={data.tree} base={frame.base} />
      </section>
    </ShopLayout>
  );
}

export interface ListingData {
  title: string;
  path: string;
  breadcrumbs: { href: string; label: string }[];
  subcategories: { slug: string; name: string }[];
  brands: BrandFacet[];
  sortOptions: ReadonlyArray<{ value: CardSort; label: string }>;
  query: ListingQuery & { q?: string };
  cards: ProductCard[];
  total: number;
  pageCount: number;
  /** Search: the query could not be used (empty or only symbols). */
  searchHint?: string;
}

function ListingFilters(props: { data: ListingData }) {
  const { data } = props;
  return (
    <form class="listing-filters" method="get" action={data.path}>
      {data.query.q !== undefined && <input type="hidden" name="q" value={data.query.q} />}
      <div class="listing-filters__row">
        <label for="listing-sort">並び替え</label>
        <select id="listing-sort" name="sort">
          {data.sortOptions.map((o) => (
            <option key={o.value} value={o.value} selected={o.value === data.query.sort}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <label class="check">
        <input type="checkbox" name="stock" value="1" checked={data.query.inStock} />
        在庫ありのみ
      </label>
      {data.brands.length > 0 && (
        <fieldset class="listing-filters__brands">
          <legend>ブランド</legend>
          {data.brands.map((b) => (
            <label key={b.slug} class="check">
              <input type="checkbox" name="brand" value={b.slug} checked={data.query.brands.includes(b.slug)} />
              {b.name}
              <span class="muted">（{b.productCount}）</span>
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit">この条件で表示</button>
    </form>
  );
}

export function ListingPage(props: { frame: MemberPageFrame; data: ListingData }) {
  const { frame, data } = props;
  const from = data.total === 0 ? 0 : (data.query.page - 1) * 24 + 1;
  const to = Math.min(data.total, data.query.page * 24);
  return (
    <ShopLayout tenant={frame.tenant} base={frame.base} title={data.title} stylesheetUrl={frame.stylesheetUrl} member={frame.member}>
      <Breadcrumbs items={[{ label: 'ホーム', href: `${frame.base}/` }, ...data.breadcrumbs, { label: data.title }]} />
      <h1>{data.title}</h1>
      <VerificationNotice show={frame.verificationNotice} />
      {data.subcategories.length > 0 && (
        <ul class="chip-list">
          {data.subcategories.map((c) => (
            <li key={c.slug}>
              <a class="chip" href={`${frame.base}/c/${c.slug}`}>
                {c.name}
              </a>
            </li>
          ))}
        </ul>
      )}
      <div class="listing">
        <aside class="listing__side">
          <ListingFilters data={data} />
        </aside>
        <div class="listing__main">
          {data.searchHint ? (
            <p class="empty-note">{data.searchHint}</p>
          ) : (
            <>
              <p class="listing__count" aria-live="polite">
                {data.total}件中 {from}〜{to}件を表示
              </p>
              <ProductGrid cards={data.cards} base={frame.base} images={frame.images} />
              <Pager page={data.query.page} pageCount={data.pageCount} hrefFor={(p) => listingHref(data.path, data.query, p)} />
            </>
          )}
        </div>
      </div>
    </ShopLayout>
  );
}

export function FavouritesPage(props: { frame: MemberPageFrame; cards: ProductCard[] }) {
  const { frame } = props;
  return (
    <ShopLayout tenant={frame.tenant} base={frame.base} title="お気に入り" stylesheetUrl={frame.stylesheetUrl} member={frame.member}>
      <h1>お気に入り</h1>
      <ProductGrid cards={props.cards} base={frame.base} images={frame.images} empty="お気に入りに登録した商品はまだありません。商品ページの「お気に入りに追加」で登録できます。" />
    </ShopLayout>
  );
}
