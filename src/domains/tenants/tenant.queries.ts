import type { Tx } from '../../platform/db/tenant-scope.ts';

/** Shops listed on the platform's public face: name and company only, never catalog data. */
export function listPublicTenants(tx: Tx) {
  return tx
    .selectFrom('tenants')
    .select(['id', 'slug', 'kind', 'display_name', 'company_name', 'tagline', 'custom_host', 'status'])
    .where('status', '=', 'active')
    .orderBy('sort_order')
    .orderBy('display_name')
    .execute();
}

export function getPlatformOperator(tx: Tx) {
  return tx.selectFrom('platform_operator').selectAll().executeTakeFirst();
}
