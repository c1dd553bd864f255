import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type BrandFacet, type CategoryNode, loadBrandFacets, loadCategoryTree } from './catalog-navigation.queries.ts';

/**
 * The category tree and the brand facets, kept per shop for one catalog version. The version
 * (catalog_versions, raised by triggers in the same transaction as any change the tree or the
 * facets show — migration 0023) arrives with the request's setup round trip, so a stale entry is
 * known without a query, on every instance: a request reads what its own snapshot would compute,
 * and only the first requests after a change pay for the counting. One cache per database.
 */
interface ShopEntry {
  version: number;
  tree?: CategoryNode[];
  facets: Map<string, BrandFacet[]>;
}

/** Shops kept at most; beyond that the least recently used goes. */
const MAX_SHOPS = 500;

export class CatalogNavigationCache {
  private readonly shops = new Map<string, ShopEntry>();

  /** The entry for this version, or null for a request on an older snapshot than the entry's. */
  private entry(tenantId: string, version: number): ShopEntry | null {
    const found = this.shops.get(tenantId);
    if (found && found.version > version) return null;
    const entry = found?.version === version ? found : { version, facets: new Map() };
    this.shops.delete(tenantId);
    this.shops.set(tenantId, entry);
    if (this.shops.size > MAX_SHOPS) this.shops.delete(this.shops.keys().next().value!);
    return entry;
  }

  async tree(tx: Tx, tenantId: string, version: number): Promise<CategoryNode[]> {
    const cached = this.entry(tenantId, version);
    if (cached?.tree) return cached.tree;
    const tree = await loadCategoryTree(tx);
    if (cached) cached.tree = tree;
    return tree;
  }

  async brandFacets(tx: Tx, tenantId: string, version: number, categoryId: string | null): Promise<BrandFacet[]> {
    const cached = this.entry(tenantId, version);
    const hit = cached?.facets.get(categoryId ?? '');
    if (hit) return hit;
    const facets = await loadBrandFacets(tx, categoryId);
    cached?.facets.set(categoryId ?? '', facets);
    return facets;
  }
}
