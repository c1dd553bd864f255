import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../../domains/shared/domain-error.ts';
import type { Session, Tenant } from '../db/schema.ts';
import { type TenantKey, type Tx, withRequestScope } from '../db/tenant-scope.ts';
import type { Platform } from './platform.ts';
import { SHOP_MEMBER_PRELOAD, type ShopMemberRows, shopMemberRowsOf } from './shop-member-preload.ts';

/**
 * Handlers reach the database only through these: the request's shop (from the route prefix the
 * origin router chose) and session are looked up and the transaction is scoped in one round trip.
 * Handlers return data; the reply is sent after the transaction commits.
 */

export interface ShopScope {
  tx: Tx;
  tenant: Tenant;
  session: Session | null;
  /** The member gate's rows, read in the setup round trip (empty unless a salon is signed in). */
  member: ShopMemberRows;
  /** The shop's catalog version (migration 0023): what cached navigation is valid for. */
  catalogVersion: number;
  /** The setup row as read, with the columns of inShop's `preload` (e.g. the shop's settings). */
  preloaded: Record<string, unknown>;
}

// Read with the member rows: cached catalog navigation knows it is current without a query.
const SHOP_PRELOAD = `${SHOP_MEMBER_PRELOAD},
  (SELECT cv.version FROM catalog_versions cv WHERE cv.tenant_id = t.id) AS catalog_version`;

export interface PlatformScope {
  tx: Tx;
  session: Session | null;
}

export function sessionTokenHash(token: string | undefined): string | null {
  if (!token || !/^[A-Za-z0-9_-]{32,128}$/.test(token)) return null;
  return createHash('sha256').update(token).digest('hex');
}

export function tenantKeyOf(request: FastifyRequest): TenantKey {
  const params = request.params as { shop?: string; host?: string };
  if (params.shop !== undefined) return { slug: params.shop };
  if (params.host !== undefined) return { host: params.host };
  return null;
}

/**
 * `preload`: a constant select list read in the setup round trip with the member rows (a route
 * that always needs the shop's settings reads them there instead of in a query of its own); its
 * columns come back in `scope.preloaded`. Same rules as withRequestScope's: never request text.
 */
export async function inShop<T>(platform: Platform, request: FastifyRequest, fn: (scope: ShopScope) => Promise<T>, preload?: string): Promise<T> {
  const key = tenantKeyOf(request);
  if (!key) throw new NotFoundError();
  // Malformed slugs and hosts are simply unknown shops.
  const valid = 'slug' in key ? /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(key.slug) : /^[a-z0-9.-]{1,253}$/.test(key.host);
  if (!valid) throw new NotFoundError();
  return withRequestScope(
    platform.database,
    key,
    request.sessionTokenHash,
    async ({ tx, tenant, session, preloaded }) => {
      if (!tenant || tenant.status === 'closed') throw new NotFoundError('このショップは見つかりませんでした。');
      request.tenantId = tenant.id;
      const row = preloaded ?? {};
      return fn({ tx, tenant, session, member: shopMemberRowsOf(row), catalogVersion: Number(row.catalog_version ?? 0), preloaded: row });
    },
    preload ? `${SHOP_PRELOAD},\n${preload}` : SHOP_PRELOAD,
  );
}

export function inPlatformRequest<T>(platform: Platform, request: FastifyRequest, fn: (scope: PlatformScope) => Promise<T>): Promise<T> {
  return withRequestScope(platform.database, null, request.sessionTokenHash, ({ tx, session }) => fn({ tx, session }));
}
