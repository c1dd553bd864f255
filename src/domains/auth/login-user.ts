import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { type ScopeIdentity, type Tx, withPlatform } from '../../platform/db/tenant-scope.ts';

/**
 * A user found by email before anyone is signed in (through auth_find_login, the one SECURITY
 * DEFINER function), and the scope that acts as that user afterwards: their own credentials, and
 * for shop staff their shop's audit chain and mail.
 */

export type LoginKind = 'salon' | 'staff';

export interface LoginUser {
  kind: LoginKind;
  userId: string;
  /** A shop staff member's shop; null for salon users and operator staff. */
  tenantId: string | null;
  /** A salon user's account. */
  accountId: string | null;
  status: string;
  passwordHash: string;
  failedAttempts: number;
  lockedUntil: Date | null;
}

export async function findLoginUser(database: Database, kind: LoginKind, email: string): Promise<LoginUser | null> {
  const rows = await withPlatform(database, (tx) => findLoginUserIn(tx, kind, email));
  return rows;
}

export async function findLoginUserIn(tx: Tx, kind: LoginKind, email: string): Promise<LoginUser | null> {
  const normalized = email.trim();
  if (!normalized || normalized.length > 254) return null;
  const r = (
    await sql<{
      user_id: string;
      tenant_id: string | null;
      account_id: string | null;
      status: string;
      password_hash: string;
      failed_attempts: number;
      locked_until: Date | null;
    }>`SELECT * FROM auth_find_login(${kind}, ${normalized}::citext)`.execute(tx)
  ).rows[0];
  if (!r) return null;
  return {
    kind,
    userId: r.user_id,
    tenantId: r.tenant_id,
    accountId: r.account_id,
    status: r.status,
    passwordHash: r.password_hash,
    failedAttempts: Number(r.failed_attempts),
    lockedUntil: r.locked_until ? new Date(r.locked_until) : null,
  };
}

/** The identity a flow acting for this user runs as. */
export function identityOf(user: Pick<LoginUser, 'kind' | 'userId' | 'tenantId' | 'accountId'>): ScopeIdentity {
  if (user.kind === 'salon') return { principalId: user.userId, accountId: user.accountId, audience: 'salon' };
  return { tenantId: user.tenantId, principalId: user.userId, audience: user.tenantId ? 'staff' : 'operator' };
}
