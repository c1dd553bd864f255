import type { FastifyInstance, FastifyRequest } from 'fastify';
import { searchTerms } from '../../domains/search/search-normalize.ts';
import { NotFoundError } from '../../domains/shared/domain-error.ts';
import { CatalogNavigationCache } from '../../domains/storefront/catalog-navigation.cache.ts';
import { findCategory } from '../../domains/storefront/catalog-navigation.queries.ts';
import { frequentlyBoughtProductIds, setFavourite } from '../../domains/storefront/favourites.service.ts';
import { loadProductCards } from '../../domains/storefront/product-cards.queries.ts';
import { loadProductPage } from '../../domains/storefront/product-page.queries.ts';
import type { StorefrontViewer } from '../../domains/storefront/storefront-viewer.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { inShop, type ShopScope } from '../../platform/http/request-scope.ts';
import { FavouritesPage, type ListingData, ListingPage, type MemberHomeData, MemberHomePage, type MemberPageFrame } from './catalog-pages.view.tsx';
import type { ImageUrls } from './catalog-parts.view.tsx';
import { PAGE_SIZE, parseListingQuery, SEARCH_SORT_OPTIONS, SORT_OPTIONS } from './listing-query.ts';
import { type MemberPageContext, requireMemberPage } from './member-context.ts';
import { ProductPage } from './product-page.view.tsx';

/**
 * The members' catalog: category listings, product pages, search and favourites. Every handler
 * starts with requireMemberPage; data is loaded inside the request's transaction and the page is
 * rendered after it committed.
 */

const HOME_SECTION_SIZE = 8;
const MAX_QUERY_LENGTH = 200;

export function imageUrls(platform: Platform, base: string): ImageUrls {
  return {
    demo: (key) => (/^[a-z0-9][a-z0-9-]{0,60}$/.test(key) ? (platform.assets.lookup(`/assets/demo/${key}.webp`) ? platform.assets.url(`demo/${key}.webp`) : null) : null),
    media: (hash, size) => `${base}/media/${hash}-${size}.webp`,
  };
}

function accountUrl(platform: Platform): string {
  const onOwnOrigin = Boolean(platform.config.BASE_DOMAIN) && !platform.config.pathTenants;
  return `${onOwnOrigin ? platform.config.baseOrigin : ''}/account`;
}

export function memberFrame(platform: Platform, request: FastifyRequest, scope: ShopScope, ctx: MemberPageContext, query?: string): MemberPageFrame {
  return {
    tenant: scope.tenant,
    base: request.shopBase,
    stylesheetUrl: platform.assets.url('css/app.css'),
    member: { memberName: ctx.member.principal.displayName, rankName: ctx.member.rank?.name ?? null, accountUrl: accountUrl(platform), query },
    images: imageUrls(platform, request.shopBase),
    verificationNotice: !ctx.viewer.verifiedProfessional,
  };
}

// One per database (tests run several in a process); entries are per shop and catalog version.
const navigationCaches = new WeakMap<Database, CatalogNavigationCache>();
/** The shop's category tree and brand facets, cached for the request's catalog version (shared: never mutate). */
export function catalogNavigation(platform: Platform, scope: ShopScope) {
  let c = navigationCaches.get(platform.database);
  if (!c) {
    c = new CatalogNavigationCache();
    navigationCaches.set(platform.database, c);
  }
  const cache = c;
  return {
    tree: () => cache.tree(scope.tx, scope.tenant.id, scope.catalogVersion),
    brandFacets: (categoryId: string | null) => cache.brandFacets(scope.tx, scope.tenant.id, scope.catalogVersion, categoryId),
  };
}

/** The member home's sections: a bounded number of queries whatever the catalog's size. */
export async function loadMemberHome(platform: Platform, scope: ShopScope, viewer: StorefrontViewer): Promise<MemberHomeData> {
  const tx = scope.tx;
  const tree = await catalogNavigation(platform, scope).tree();
  const newest = await loadProductCards(tx, viewer, { filter: {}, sort: 'newest', limit: HOME_SECTION_SIZE, withTotal: false });
  const featured = await loadProductCards(tx, viewer, { filter: { featuredOnly: true }, sort: 'recommended', limit: HOME_SECTION_SIZE, withTotal: false });
  const frequentIds = await frequentlyBoughtProductIds(tx, viewer, HOME_SECTION_SIZE);
  const frequent = frequentIds.length
    ? await loadProductCards(tx, viewer, { filter: { productIds: frequentIds }, sort: 'recommended', limit: HOME_SECTION_SIZE, withTotal: false })
    : { cards: [] };
  return { tree, newest: newest.cards, featured: featured.cards, frequent: frequent.cards };
}

export function renderMemberHome(platform: Platform, request: FastifyRequest, scope: ShopScope, ctx: MemberPageContext, data: MemberHomeData) {
  return <MemberHomePage frame={memberFrame(platform, request, scope, ctx)} data={data} />;
}

export function catalogRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/c/:slug', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const query = parseListingQuery(request.query);
    const page = await inShop(platform, request, async (scope) => {
      const ctx = await requireMemberPage(platform, scope, request);
      const navigation = catalogNavigation(platform, scope);
      const found = findCategory(await navigation.tree(), slug);
      if (!found) throw new NotFoundError('カテゴリが見つかりませんでした。');
      const brands = await navigation.brandFacets(found.category.id);
      const { cards, total } = await loadProductCards(scope.tx, ctx.viewer, {
        filter: { categoryId: found.category.id, brandSlugs: query.brands, inStockOnly: query.inStock },
        sort: query.sort,
        limit: PAGE_SIZE,
        offset: (query.page - 1) * PAGE_SIZE,
      });
      const data: ListingData = {
        title: found.category.name,
        path: `${request.shopBase}/c/${found.category.slug}`,
        breadcrumbs: found.parent ? [{ href: `${request.shopBase}/c/${found.parent.slug}`, label: found.parent.name }] : [],
        subcategories: found.node ? found.node.children.filter((c) => c.productCount > 0) : [],
        brands,
        sortOptions: SORT_OPTIONS,
        query,
        cards,
        total,
        pageCount: Math.ceil(total / PAGE_SIZE),
      };
      return { frame: memberFrame(platform, request, scope, ctx), data };
    });
    return reply.page(<ListingPage frame={page.frame} data={page.data} />, { page: 'shop-category' });
  });

  app.get('/search', async (request, reply) => {
    const raw = (request.query ?? {}) as { q?: unknown };
    const q = (typeof raw.q === 'string' ? raw.q : Array.isArray(raw.q) ? String(raw.q[0] ?? '') : '').slice(0, MAX_QUERY_LENGTH);
    const query = { ...parseListingQuery(request.query, SEARCH_SORT_OPTIONS), q };
    const terms = searchTerms(q);
    const page = await inShop(platform, request, async (scope) => {
      const ctx = await requireMemberPage(platform, scope, request);
      const brands = terms.length ? await catalogNavigation(platform, scope).brandFacets(null) : [];
      const { cards, total } = terms.length
        ? await loadProductCards(scope.tx, ctx.viewer, {
            filter: { terms, brandSlugs: query.brands, inStockOnly: query.inStock },
            sort: query.sort,
            limit: PAGE_SIZE,
            offset: (query.page - 1) * PAGE_SIZE,
          })
        : { cards: [], total: 0 };
      const data: ListingData = {
        title: q.trim() ? `「${q.trim().slice(0, 60)}」の検索結果` : '商品検索',
        path: `${request.shopBase}/search`,
        breadcrumbs: [],
        subcategories: [],
        brands,
        sortOptions: SEARCH_SORT_OPTIONS,
        query,
        cards,
        total,
        pageCount: Math.ceil(total / PAGE_SIZE),
        searchHint: terms.length ? undefined : '商品名・ブランド名・品番・JANコードを入力してください。',
      };
      return { frame: memberFrame(platform, request, scope, ctx, q), data };
    });
    return reply.page(<ListingPage frame={page.frame} data={page.data} />, { page: 'shop-search' });
  });

  app.get('/p/:code', async (request, reply) => {
    const { code } = request.params as { code: string };
    const page = await inShop(platform, request, async (scope) => {
      const ctx = await requireMemberPage(platform, scope, request);
      const product = await loadProductPage(scope.tx, ctx.viewer, code);
      return { frame: memberFrame(platform, request, scope, ctx), product, rankName: ctx.member.rank?.name ?? null };
    });
    return reply.page(<ProductPage frame={page.frame} product={page.product} rankName={page.rankName} csrfToken={request.csrfToken()} />, {
      page: 'shop-product',
    });
  });

  app.post('/p/:code/favourite', async (request, reply) => {
    const { code } = request.params as { code: string };
    const body = (request.body ?? {}) as { favourite?: unknown };
    const favourite = body.favourite !== '0';
    await inShop(platform, request, async (scope) => {
      const ctx = await requireMemberPage(platform, scope, request);
      await setFavourite(scope.tx, ctx.viewer, code, favourite);
    });
    return reply.redirect(`${request.shopBase}/p/${encodeURIComponent(code)}`, 303);
  });

  app.get('/favourites', async (request, reply) => {
    const page = await inShop(platform, request, async (scope) => {
      const ctx = await requireMemberPage(platform, scope, request);
      const { cards } = await loadProductCards(scope.tx, ctx.viewer, { filter: { favouritesOnly: true }, sort: 'name', limit: 200, withTotal: false });
      return { frame: memberFrame(platform, request, scope, ctx), cards };
    });
    return reply.page(<FavouritesPage frame={page.frame} cards={page.cards} />, { page: 'shop-favourites' });
  });
}
