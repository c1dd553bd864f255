/**
 * Who is looking at the catalog: the shop (filter only — RLS scopes every row), the member's rank
 * for prices, the user for favourites, and whether the salon's verification is current, which
 * decides whether 理美容師限定 (professional) products show their prices and can be ordered.
 */
export interface StorefrontViewer {
  tenantId: string;
  userId: string;
  rankId: string | null;
  verifiedProfessional: boolean;
}

export type ProductRestriction = 'none' | 'professional';

/**
 * Restriction tiers, decided once for every page: a professional-only product stays listed for
 * members whose verification is not current — marked 理美容師限定, with no price, no variant
 * choice and nothing to order — so a salon learns the product exists and that verification
 * unlocks it, while the price list (the shop's commercial secret) stays with verified salons.
 */
export function canSeePrice(viewer: StorefrontViewer, restriction: ProductRestriction): boolean {
  return restriction !== 'professional' || viewer.verifiedProfessional;
}
