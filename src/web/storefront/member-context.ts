import type { FastifyRequest } from 'fastify';
import type { StorefrontViewer } from '../../domains/storefront/storefront-viewer.ts';
import type { Platform } from '../../platform/http/platform.ts';
import type { ShopScope } from '../../platform/http/request-scope.ts';
import { type ApprovedMember, requireApprovedMember } from './member-gate.ts';

/** The catalog pages' door: requireApprovedMember, turned into the viewer the catalog queries take. */
export interface MemberPageContext {
  member: ApprovedMember;
  viewer: StorefrontViewer;
}

/** Every member page calls this first. */
export async function requireMemberPage(platform: Platform, scope: ShopScope, request: FastifyRequest): Promise<MemberPageContext> {
  const member = await requireApprovedMember(scope, request, platform.config);
  return {
    member,
    viewer: {
      tenantId: scope.tenant.id,
      userId: member.principal.userId,
      rankId: member.rank?.id ?? null,
      verifiedProfessional: member.verification.current,
    },
  };
}
