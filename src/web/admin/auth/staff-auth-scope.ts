import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RequestContext } from '../../../domains/auth/auth-mail.ts';
import type { LoginUser } from '../../../domains/auth/login-user.ts';
import type { Session } from '../../../platform/db/schema.ts';
import { type Tx, withIdentity } from '../../../platform/db/tenant-scope.ts';
import { signInRequired } from '../../../platform/http/auth-errors.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inPlatformRequest } from '../../../platform/http/request-scope.ts';

/**
 * The staff member's own authentication pages (second factor, step-up) run as that staff member
 * and, for shop staff, in their shop's scope: MFA changes are audited in the shop's chain and
 * alert mails leave through the shop's outbox. The session is found first, then re-checked in
 * the scoped transaction.
 */

export interface StaffAuthScope {
  tx: Tx;
  session: Session;
  staff: { id: string; tenant_id: string | null; email: string; display_name: string; role: string };
  user: LoginUser;
}

export function staffContext(request: FastifyRequest): RequestContext {
  return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300), requestId: String(request.id) };
}

export async function inStaffAuthScope<T>(platform: Platform, request: FastifyRequest, fn: (scope: StaffAuthScope) => Promise<T>): Promise<T> {
  const next = encodeURIComponent(request.url.split('?')[0] === '/admin/mfa' ? String((request.query as { next?: string }).next ?? '') : '');
  const refuse = () => signInRequired(`/admin/sign-in${next ? `?next=${next}` : ''}`);
  const session = await inPlatformRequest(platform, request, async ({ session }) => session);
  if (!session || (session.audience !== 'staff' && session.audience !== 'operator')) throw refuse();
  return withIdentity(
    platform.database,
    { tenantId: session.bound_tenant_id, principalId: session.user_id, audience: session.audience },
    async (tx) => {
      const live = await tx
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', session.id)
        .where('revoked_at', 'is', null)
        .where('idle_expires_at', '>', sql<Date>`now()`)
        .where('absolute_expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst();
      const staff = await tx
        .selectFrom('staff_users')
        .select(['id', 'tenant_id', 'email', 'display_name', 'role', 'status'])
        .where('id', '=', session.user_id)
        .executeTakeFirst();
      if (!live || !staff || staff.status !== 'active') throw refuse();
      const user: LoginUser = {
        kind: 'staff',
        userId: staff.id,
        tenantId: staff.tenant_id,
        accountId: null,
        status: staff.status,
        passwordHash: '',
        failedAttempts: 0,
        lockedUntil: null,
      };
      return fn({ tx, session: live, staff, user });
    },
  );
}

/** The console home a staff member lands on: their shop's admin, or the operator console. */
export async function staffHome(tx: Tx, tenantId: string | null): Promise<string> {
  if (!tenantId) return '/operator/';
  const t = await tx.selectFrom('tenants').select('slug').where('id', '=', tenantId).executeTakeFirst();
  return t ? `/admin/${t.slug}/` : '/admin/sign-in';
}

export async function isLocked(tx: Tx, userId: string): Promise<boolean> {
  const row = await tx.selectFrom('user_credentials').select('locked_until').where('user_id', '=', userId).executeTakeFirst();
  return Boolean(row?.locked_until && new Date(row.locked_until).getTime() > Date.now());
}
