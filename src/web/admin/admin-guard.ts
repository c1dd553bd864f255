import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import type { StaffActor } from '../../domains/staff/staff-actor.ts';
import type { Tenant } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { requireStaff, type StaffPrincipal } from '../../platform/http/auth-guard.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { inShop } from '../../platform/http/request-scope.ts';
import type { AdminPageFrame } from './admin-layout.tsx';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The staff roles a console route admits (read by the route-crawling tests). */
    staffRoles?: readonly StaffRole[];
  }
}

export interface AdminScope {
  tx: Tx;
  tenant: Tenant;
  principal: StaffPrincipal;
  actor: StaffActor;
}

export function actorOf(principal: StaffPrincipal, request: FastifyRequest): StaffActor {
  return {
    id: principal.userId,
    label: `${principal.displayName} <${principal.email}>`,
    role: principal.role,
    tenantId: principal.tenantId,
    sourceIp: request.ip,
    requestId: String(request.id),
    sessionId: principal.sessionId,
  };
}

/**
 * Every shop console handler enters here: the shop from the URL, the session, and a staff member
 * of THAT shop with one of `roles` (MFA passed, IP allowlist honoured), all in the shop's scope.
 */
export function inAdmin<T>(platform: Platform, request: FastifyRequest, roles: readonly StaffRole[], fn: (scope: AdminScope) => Promise<T>): Promise<T> {
  return inShop(platform, request, async ({ tx, tenant, session }) => {
    const principal = await requireStaff({ tx, session }, { roles, tenantId: tenant.id, clientIp: request.ip, currentPath: request.url });
    return fn({ tx, tenant, principal, actor: actorOf(principal, request) });
  });
}

export function frameOf(platform: Platform, request: FastifyRequest, scope: { tenant: Tenant; principal: StaffPrincipal }): AdminPageFrame {
  return {
    shop: { slug: scope.tenant.slug, display_name: scope.tenant.display_name },
    staff: { displayName: scope.principal.displayName, role: scope.principal.role },
    csrfToken: request.csrfToken(),
    stylesheetUrl: platform.assets.url('css/app.css'),
  };
}

/** Form bodies as flat strings (repeated fields keep the last value). */
export function formBody(request: FastifyRequest): Record<string, string> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}
