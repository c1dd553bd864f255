import type { FastifyRequest } from 'fastify';
import type { Buyer } from '../../../domains/cart/buyer.ts';
import { ForbiddenError } from '../../../domains/shared/domain-error.ts';
import { safeNextPath } from '../../../platform/http/auth-errors.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import type { ShopScope } from '../../../platform/http/request-scope.ts';
import { type ApprovedMember, requireApprovedMember } from '../member-gate.ts';
import type { MemberNav } from '../shop-layout.tsx';

/** The cart, quick-order and checkout pages' door: an approved member, as the Buyer the domain takes. */
export interface ShopBuyer {
  member: ApprovedMember;
  buyer: Buyer;
  nav: MemberNav;
}

function accountUrl(platform: Platform): string {
  const onOwnOrigin = Boolean(platform.config.BASE_DOMAIN) && !platform.config.pathTenants;
  return `${onOwnOrigin ? platform.config.baseOrigin : ''}/account`;
}

/** `canOrder`: refuse salon users whose role only lets them look (viewer). */
export async function requireShopBuyer(platform: Platform, scope: ShopScope, request: FastifyRequest, options: { canOrder?: boolean } = {}): Promise<ShopBuyer> {
  const member = await requireApprovedMember(scope, request, platform.config);
  const p = member.principal;
  if (options.canOrder && p.role === 'viewer') throw new ForbiddenError('閲覧専用のユーザーはご注文いただけません。サロンのオーナーにご相談ください。');
  const m = member.membership;
  return {
    member,
    buyer: {
      tenantId: scope.tenant.id,
      userId: p.userId,
      accountId: p.accountId,
      email: p.email,
      displayName: p.displayName,
      isSynthetic: p.isSynthetic,
      membershipId: m.id,
      rankId: m.rank_id,
      invoiceTermsEnabled: m.invoice_terms_enabled,
      creditLimitYen: m.credit_limit_yen,
      closingDay: m.closing_day,
      paymentMonthOffset: m.payment_month_offset,
      paymentDay: m.payment_day,
      professionalVerified: member.verification.current,
    },
    nav: { memberName: p.displayName, rankName: member.rank?.name ?? null, accountUrl: accountUrl(platform) },
  };
}

/** A `next` inside this shop only (relative path, no scheme, no //). */
export function shopNextPath(next: unknown): string | null {
  if (typeof next === 'string' && next.length > 300) return null;
  return safeNextPath(next, '') || null;
}
