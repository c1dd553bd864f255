import type { FastifyRequest } from 'fastify';
import type { SalonUserRole } from '../../domains/accounts/accounts.tables.ts';
import { requireSalon, type SalonPrincipal } from '../../platform/http/auth-guard.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { inPlatformRequest, type PlatformScope } from '../../platform/http/request-scope.ts';

/** Everyone signed in to the salon account may look; viewers change nothing; only owners manage users. */
export const CAN_EDIT: readonly SalonUserRole[] = ['owner', 'buyer'];
export const CAN_MANAGE_USERS: readonly SalonUserRole[] = ['owner'];

export function signInUrlFor(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '/account/';
  return `/account/sign-in?next=${encodeURIComponent(request.method === 'GET' ? request.url : path)}`;
}

/** The request's platform scope with a signed-in salon user (of `roles`), or a redirect to sign in. */
export function inSalonAccount<T>(
  platform: Platform,
  request: FastifyRequest,
  roles: readonly SalonUserRole[] | undefined,
  fn: (scope: PlatformScope & { principal: SalonPrincipal }) => Promise<T>,
): Promise<T> {
  return inPlatformRequest(platform, request, async (scope) => {
    const principal = await requireSalon(scope, signInUrlFor(request), roles);
    return fn({ ...scope, principal });
  });
}

/** One-word outcome codes carried in the redirect after a successful POST (no session flash). */
export function doneCode(request: FastifyRequest): string | undefined {
  const done = (request.query as { done?: unknown } | undefined)?.done;
  return typeof done === 'string' && /^[a-z-]{1,30}$/.test(done) ? done : undefined;
}
