import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';

/** The shop's category tree and the brands a listing can be filtered by. */

export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  children: { id: string; slug: string; name: string; productCount: number }[];
  productCount: number;
}

/**
 * Two levels, in the shop's order, with the number of listed products in each (active, with an
 * active variant: what the listing shows). Cached per catalog version (catalog-navigation.cache.ts).
 */
export async function loadCategoryTree(tx: Tx): Promise<CategoryNode[]> {
  const { rows } = await sql<{ id: string; parent_id: string | null; slug: string; name: string; products: number }>`
    SELECT c.id, c.parent_id, c.slug, c.name,
           (SELECT count(*)::int FROM products p
             WHERE p.tenant_id = c.tenant_id AND p.category_id = c.id AND p.status = 'active' AND p.has_active_variant) AS products
      FROM categories c
     ORDER BY c.sort_order, c.name`.execute(tx);
  const roots = new Map<string, CategoryNode>();
  for (const r of rows) if (!r.parent_id) roots.set(r.id, { id: r.id, slug: r.slug, name: r.name, children: [], productCount: Number(r.products) });
  for (const r of rows) {
    const parent = r.parent_id ? roots.get(r.parent_id) : undefined;
    if (!parent) continue;
    parent.children.push({ id: r.id, slug: r.slug, name: r.name, productCount: Number(r.products) });
    parent.productCount += Number(r.products);
  }
  return [...roots.values()].filter((c) => c.productCount > 0);
}

export function findCategory(tree: readonly CategoryNode[], slug: string): { category: { id: string; slug: string; name: string }; parent: CategoryNode | null; node: CategoryNode | null } | null {
  for (const root of tree) {
    if (root.slug === slug) return { category: root, parent: null, node: root };
    const child = root.children.find((c) => c.slug === slug);
    if (child) return { category: child, parent: root, node: null };
  }
  return null;
}

export interface BrandFacet {
  slug: string;
  name: string;
  productCount: number;
}

/** Brands with listed products in a category (and its sub-categories), or in the whole shop. */
export async function loadBrandFacets(tx: Tx, categoryId: string | null): Promise<BrandFacet[]> {
  const inCategory = categoryId
    ? sql`AND p.category_id IN (SELECT c.id FROM categories c WHERE c.id = ${categoryId}::uuid OR c.parent_id = ${categoryId}::uuid)`
    : sql``;
  const { rows } = await sql<{ slug: string; name: string; products: number }>`
    SELECT b.slug, b.name, count(*)::int AS products
      FROM products p JOIN brands b ON b.tenant_id = p.tenant_id AND b.id = p.brand_id
     WHERE p.status = 'active' AND p.has_active_variant ${inCategory}
     GROUP BY b.slug, b.name
     ORDER BY b.name`.execute(tx);
  return rows.map((r) => ({ slug: r.slug, name: r.name, productCount: Number(r.products) }));
}
