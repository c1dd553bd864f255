import { sql } from 'kysely';
import type { SalonUserRole, StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { touchSession } from '../../domains/auth/session.service.ts';
import { ForbiddenError } from '../../domains/shared/domain-error.ts';
import type { Session } from '../db/schema.ts';
import type { Tx } from '../db/tenant-scope.ts';
import { mfaRequired, signInRequired, stepUpRequired } from './auth-errors.ts';
import type { ShopMemberRows } from './shop-member-preload.ts';

/**
 * Who is asking, checked on every route: the session found by the request's one-round-trip setup
 * is turned into a principal here, or the request is refused. Roles are checked per route
 * (least privilege); staff must have passed their second factor; staff routes honour the shop's
 * (or the operator's) IP allowlist.
 */

export interface SalonPrincipal {
  sessionId: string;
  userId: string;
  accountId: string;
  role: SalonUserRole;
  email: string;
  displayName: string;
  isSynthetic: boolean;
}

export interface StaffPrincipal {
  sessionId: string;
  userId: string;
  /** The staff member's shop; null for operator staff. */
  tenantId: string | null;
  role: StaffRole;
  email: string;
  displayName: string;
  locale: 'ja' | 'en';
  stepUpAt: Date | null;
}

export const SHOP_ROLES: readonly StaffRole[] = ['shop_admin', 'order_clerk', 'catalog_editor'];
export const OPERATOR_ROLES: readonly StaffRole[] = ['platform_admin', 'security_officer'];

interface GuardScope {
  tx: Tx;
  session: Session | null;
  /** The shop the request is for, when there is one: a session bound to another shop is not valid here. */
  tenant?: { id: string } | null;
  /** Shop requests read the salon user in their setup round trip (shop-member-preload.ts). */
  member?: Pick<ShopMemberRows, 'salonUser'>;
}

export async function loadSalonPrincipal(scope: GuardScope): Promise<SalonPrincipal | null> {
  const s = scope.session;
  if (!s || s.audience !== 'salon' || !s.account_id) return null;
  // A session handed off to one shop's origin never counts on another shop (in production the
  // browser already keeps it there; on the shared development host this check does).
  if (s.bound_tenant_id && scope.tenant && s.bound_tenant_id !== scope.tenant.id) return null;
  const user = scope.member
    ? scope.member.salonUser
    : await scope.tx
        .selectFrom('salon_users')
        .select(['id', 'account_id', 'role', 'email', 'display_name', 'status', 'is_synthetic'])
        .where('id', '=', s.user_id)
        .executeTakeFirst();
  if (!user || user.status !== 'active' || user.account_id !== s.account_id) return null;
  await touchSession(scope.tx, s);
  return {
    sessionId: s.id,
    userId: user.id,
    accountId: user.account_id,
    role: user.role,
    email: user.email,
    displayName: user.display_name,
    isSynthetic: user.is_synthetic,
  };
}

/** A signed-in salon user (optionally with one of `roles`), or a redirect to the platform sign-in. */
export async function requireSalon(scope: GuardScope, signInUrl: string, roles?: readonly SalonUserRole[]): Promise<SalonPrincipal> {
  const principal = await loadSalonPrincipal(scope);
  if (!principal) throw signInRequired(signInUrl);
  if (roles && !roles.includes(principal.role)) throw new ForbiddenError();
  return principal;
}

export interface StaffRequirement {
  roles: readonly StaffRole[];
  /** The shop the route acts on; staff of another shop are refused. Omit for operator routes. */
  tenantId?: string;
  clientIp: string;
  currentPath: string;
}

export async function requireStaff(scope: GuardScope, need: StaffRequirement): Promise<StaffPrincipal> {
  const s = scope.session;
  const next = encodeURIComponent(need.currentPath);
  if (!s || (s.audience !== 'staff' && s.audience !== 'operator')) throw signInRequired(`/admin/sign-in?next=${next}`);
  const staff = await scope.tx
    .selectFrom('staff_users')
    .select(['id', 'tenant_id', 'role', 'email', 'display_name', 'status', 'locale'])
    .where('id', '=', s.user_id)
    .executeTakeFirst();
  if (!staff || staff.status !== 'active') throw signInRequired(`/admin/sign-in?next=${next}`);
  if (!s.mfa_verified_at) throw mfaRequired(`/admin/mfa?next=${next}`);
  if (!need.roles.includes(staff.role)) throw new ForbiddenError();
  if (need.tenantId !== undefined ? staff.tenant_id !== need.tenantId : staff.tenant_id !== null) throw new ForbiddenError();
  await assertAllowedNetwork(scope.tx, staff.tenant_id, need.clientIp);
  await touchSession(scope.tx, s);
  return {
    sessionId: s.id,
    userId: staff.id,
    tenantId: staff.tenant_id,
    role: staff.role,
    email: staff.email,
    displayName: staff.display_name,
    locale: staff.locale,
    stepUpAt: s.step_up_at ? new Date(s.step_up_at) : null,
  };
}

/** Sensitive actions (payment settings, adding staff, exports, baselines) need a recent re-authentication. */
export function requireStepUp(principal: StaffPrincipal, currentPath: string, maxAgeSeconds = 5 * 60): void {
  const at = principal.stepUpAt?.getTime() ?? 0;
  if (Date.now() - at > maxAgeSeconds * 1000) throw stepUpRequired(`/admin/step-up?next=${encodeURIComponent(currentPath)}`);
}

/** With no entries the allowlist is open; with entries, the client address must fall in one. */
export async function assertAllowedNetwork(tx: Tx, tenantId: string | null, clientIp: string): Promise<void> {
  const row = await sql<{ entries: number; allowed: boolean }>`
    SELECT count(*)::int AS entries,
           coalesce(bool_or(${clientIp}::inet <<= cidr), false) AS allowed
      FROM staff_ip_allowlist WHERE tenant_id IS NOT DISTINCT FROM ${tenantId}::uuid`.execute(tx);
  const r = row.rows[0];
  if (r && r.entries > 0 && !r.allowed) throw new ForbiddenError('このネットワークからは管理画面にアクセスできません。');
}
