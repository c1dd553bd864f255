import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import type { StaffActor } from '../../domains/staff/staff-actor.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { requireStaff, type StaffPrincipal } from '../../platform/http/auth-guard.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { inPlatformRequest } from '../../platform/http/request-scope.ts';
import type { OperatorPageFrame } from './operator-layout.tsx';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The staff roles a console route admits (read by the route-crawling tests). */
    staffRoles?: readonly StaffRole[];
  }
}

export interface OperatorScope {
  tx: Tx;
  principal: StaffPrincipal;
  actor: StaffActor;
}

/**
 * Every operator console handler enters here: an operator session (app.audience = 'operator',
 * which RLS honours for salon data and staff), one of `roles`, MFA passed, the operator IP
 * allowlist. No shop is set: shop-owned rows stay invisible here; cross-shop reads go through
 * unsafeAcrossTenants with a reason.
 */
export function inOperator<T>(platform: Platform, request: FastifyRequest, roles: readonly StaffRole[], fn: (scope: OperatorScope) => Promise<T>): Promise<T> {
  return inPlatformRequest(platform, request, async ({ tx, session }) => {
    const principal = await requireStaff({ tx, session }, { roles, clientIp: request.ip, currentPath: request.url });
    const actor: StaffActor = {
      id: principal.userId,
      label: `${principal.displayName} <${principal.email}>`,
      role: principal.role,
      tenantId: null,
      sourceIp: request.ip,
      requestId: String(request.id),
      sessionId: principal.sessionId,
    };
    return fn({ tx, principal, actor });
  });
}

export function operatorFrame(platform: Platform, request: FastifyRequest, principal: StaffPrincipal): OperatorPageFrame {
  return {
    staff: { displayName: principal.displayName, role: principal.role },
    csrfToken: request.csrfToken(),
    stylesheetUrl: platform.assets.url('css/app.css'),
  };
}

export function operatorFormBody(request: FastifyRequest): Record<string, string> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
