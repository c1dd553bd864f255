import type { FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import type { MembershipsTable } from '../../domains/accounts/accounts.tables.ts';
import { isVerificationCurrent } from '../../domains/accounts/salon-profile.service.ts';
import type { Config } from '../../platform/config/config.ts';
import { AuthRedirectError, safeNextPath, signInRequired } from '../../platform/http/auth-errors.ts';
import { loadSalonPrincipal, type SalonPrincipal } from '../../platform/http/auth-guard.ts';
import type { ShopScope } from '../../platform/http/request-scope.ts';

/**
 * The closed shop's door. Every member page calls this first, inside its `inShop` scope, before
 * loading anything of the catalog:
 *
 * - not signed in → 303 to the platform sign-in, `?shop=<slug>&next=<this page>` (the sign-in
 *   hands the session off to the shop's origin and comes back);
 * - signed in but not approved by THIS shop (never applied, applied, rejected, suspended) →
 *   303 to the salon's shop list on the platform (`/account/shops?shop=<slug>`), which shows the
 *   status with this shop highlighted and the application form. It is thrown as an
 *   AuthRedirectError (kind 'sign-in'), so a JSON client gets 401 with that location instead;
 * - approved → the principal, the membership with its rank, and whether the salon's verification
 *   is current (restricted products may require it; the gate itself does not).
 *
 * Pass `platform.config` so that, when shops have their own origins, the redirects reach the
 * platform origin; on the shared development host relative paths are right (and used without it).
 */

export type Membership = Pick<
  Selectable<MembershipsTable>,
  'id' | 'tenant_id' | 'account_id' | 'status' | 'rank_id' | 'customer_code' | 'invoice_terms_enabled' | 'credit_limit_yen' | 'closing_day' | 'payment_month_offset' | 'payment_day'
>;

export interface ApprovedMember {
  principal: SalonPrincipal;
  membership: Membership;
  rank: { id: string; code: string; name: string; rate: string } | null;
  verification: { current: boolean; expiresAt: string | null };
}

export class MembershipRequiredError extends AuthRedirectError {
  constructor(location: string, readonly membershipStatus: MembershipsTable['status'] | null) {
    super('sign-in', location, 'このショップの会員承認が必要です。');
  }
}

type PlatformUrls = Pick<Config, 'baseOrigin' | 'BASE_DOMAIN' | 'pathTenants'>;

/** The page's path as the shop sees it (without the development `/s/<slug>` prefix): the handoff's `next`. */
function pathOnShop(request: FastifyRequest): string {
  const url = request.originalUrl ?? request.url;
  return request.shopBase && url.startsWith(request.shopBase) ? url.slice(request.shopBase.length) || '/' : url;
}

export async function requireApprovedMember(scope: ShopScope, request: FastifyRequest, config?: PlatformUrls): Promise<ApprovedMember> {
  const slug = scope.tenant.slug;
  const onOwnOrigin = Boolean(config?.BASE_DOMAIN) && !config?.pathTenants;
  const origin = onOwnOrigin ? config!.baseOrigin : '';
  const principal = await loadSalonPrincipal(scope);
  if (!principal) {
    const q = new URLSearchParams({ shop: slug, next: safeNextPath(pathOnShop(request), '/') });
    throw signInRequired(`${origin}/account/sign-in?${q}`);
  }
  // Read in the request's setup round trip, in the shop's scope: the policy shows only this
  // shop's membership row for the salon (shop-member-preload.ts).
  const { membership, rank, salonAccount: profile } = scope.member;
  if (membership?.status !== 'approved' || scope.tenant.status === 'closed') {
    throw new MembershipRequiredError(`${origin}/account/shops?shop=${encodeURIComponent(slug)}#shop-${encodeURIComponent(slug)}`, membership?.status ?? null);
  }
  if (!profile) throw new Error('salon account not visible in its own member scope');
  return {
    principal,
    membership,
    rank,
    verification: { current: isVerificationCurrent(profile), expiresAt: profile.verification_expires_at },
  };
}
