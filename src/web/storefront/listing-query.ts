import type { CardSort } from '../../domains/storefront/product-cards.queries.ts';

/** A listing's query string, read leniently: anything unknown falls back to the default. */

export const PAGE_SIZE = 24;
/** Deep pages cost an OFFSET scan; nobody pages a 200-product shop this far. */
const MAX_PAGE = 400;

export const SORT_OPTIONS: ReadonlyArray<{ value: CardSort; label: string }> = [
  { value: 'recommended', label: 'おすすめ順' },
  { value: 'newest', label: '新着順' },
  { value: 'price_asc', label: '価格の安い順' },
  { value: 'price_desc', label: '価格の高い順' },
  { value: 'name', label: '名前順' },
];

export const SEARCH_SORT_OPTIONS: ReadonlyArray<{ value: CardSort; label: string }> = [{ value: 'relevance', label: '関連度順' }, ...SORT_OPTIONS];

export interface ListingQuery {
  sort: CardSort;
  page: number;
  brands: string[];
  inStock: boolean;
}

const first = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
const all = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export function parseListingQuery(raw: unknown, allowed: ReadonlyArray<{ value: CardSort }> = SORT_OPTIONS): ListingQuery {
  const q = (raw ?? {}) as Record<string, unknown>;
  const sortValue = first(q.sort);
  const sort = allowed.find((o) => o.value === sortValue)?.value ?? allowed[0]!.value;
  const pageNumber = Number.parseInt(first(q.page), 10);
  const page = Number.isFinite(pageNumber) && pageNumber >= 1 ? Math.min(pageNumber, MAX_PAGE) : 1;
  const brands = [...new Set(all(q.brand).filter((b) => /^[a-z0-9][a-z0-9-]{0,60}$/.test(b)))].slice(0, 20);
  return { sort, page, brands, inStock: first(q.stock) === '1' };
}

/** The query string for a listing URL, with the page replaced. */
export function listingHref(path: string, query: ListingQuery & { q?: string }, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  params.set('sort', query.sort);
  for (const b of query.brands) params.append('brand', b);
  if (query.inStock) params.set('stock', '1');
  if (page > 1) params.set('page', String(page));
  return `${path}?${params}`;
}
