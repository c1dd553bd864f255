import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Session } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';

/**
 * Server-side sessions. The browser holds a random 256-bit token; the database holds only its
 * SHA-256, so a database leak yields no usable session. A session is created only after a
 * successful sign-in (a fresh token every time: no fixation), and every request re-reads it, so
 * a revocation takes effect on every process at once.
 */

export type SessionAudience = Session['audience'];

/** Idle and absolute lifetimes: staff consoles time out quickly, salon buyers stay signed in on their shop PC. */
export const SESSION_LIFETIMES: Record<SessionAudience, { idleSeconds: number; absoluteSeconds: number }> = {
  salon: { idleSeconds: 24 * 3600, absoluteSeconds: 30 * 24 * 3600 },
  staff: { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 },
  operator: { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 },
};

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewSessionInput {
  audience: SessionAudience;
  userId: string;
  accountId?: string | null;
  boundTenantId?: string | null;
  mfaVerified?: boolean;
  ip?: string | null;
  userAgent?: string | null;
}

export async function createSession(tx: Tx, input: NewSessionInput): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const life = SESSION_LIFETIMES[input.audience];
  const now = Date.now();
  const session = await tx
    .insertInto('sessions')
    .values({
      token_hash: hashSessionToken(token),
      audience: input.audience,
      user_id: input.userId,
      account_id: input.accountId ?? null,
      bound_tenant_id: input.boundTenantId ?? null,
      idle_expires_at: new Date(now + life.idleSeconds * 1000),
      absolute_expires_at: new Date(now + life.absoluteSeconds * 1000),
      mfa_verified_at: input.mfaVerified ? new Date(now) : null,
      step_up_at: input.mfaVerified ? new Date(now) : null,
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, session };
}

/** Extends the idle deadline, but writes only when less than half of the idle window is left. */
export async function touchSession(tx: Tx, session: Session): Promise<void> {
  const life = SESSION_LIFETIMES[session.audience];
  const remaining = new Date(session.idle_expires_at).getTime() - Date.now();
  if (remaining > (life.idleSeconds * 1000) / 2) return;
  await tx
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()`, idle_expires_at: sql`least(now() + make_interval(secs => ${life.idleSeconds}), absolute_expires_at)` })
    .where('id', '=', session.id)
    .execute();
}

export async function markMfaVerified(tx: Tx, sessionId: string): Promise<void> {
  await tx.updateTable('sessions').set({ mfa_verified_at: sql`now()`, step_up_at: sql`now()` }).where('id', '=', sessionId).execute();
}

export async function markSteppedUp(tx: Tx, sessionId: string): Promise<void> {
  await tx.updateTable('sessions').set({ step_up_at: sql`now()` }).where('id', '=', sessionId).execute();
}

export async function revokeSession(tx: Tx, sessionId: string, reason: string): Promise<void> {
  await tx.updateTable('sessions').set({ revoked_at: sql`now()`, revoked_reason: reason }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

/** Sign out everywhere (optionally keeping the current session). */
export async function revokeUserSessions(tx: Tx, userId: string, reason: string, exceptSessionId?: string): Promise<number> {
  let q = tx.updateTable('sessions').set({ revoked_at: sql`now()`, revoked_reason: reason }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '<>', exceptSessionId);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface LiveSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** The shop origin a handed-off session is bound to; null on the platform origin. */
  boundTenantId: string | null;
}

/** A user's sessions that still work (not revoked, neither timeout passed), newest first. */
export async function listLiveSessions(tx: Tx, userId: string): Promise<LiveSession[]> {
  const rows = await tx
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent', 'bound_tenant_id'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('idle_expires_at', '>', sql<Date>`now()`)
    .where('absolute_expires_at', '>', sql<Date>`now()`)
    .orderBy('last_seen_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: new Date(r.created_at),
    lastSeenAt: new Date(r.last_seen_at),
    ip: r.ip ?? null,
    userAgent: r.user_agent ?? null,
    boundTenantId: r.bound_tenant_id ?? null,
  }));
}

/** Signs out one of the user's own sessions; false if it is not theirs or already ended. */
export async function revokeOwnSession(tx: Tx, userId: string, sessionId: string, reason: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(sessionId)) return false;
  const r = await tx
    .updateTable('sessions')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Every session bound to a shop: its staff and salon sessions handed off to its origin. */
export async function revokeShopSessions(tx: Tx, tenantId: string, reason: string): Promise<number> {
  const result = await tx
    .updateTable('sessions')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('bound_tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Incident response: everyone, everywhere (optionally only one audience). */
export async function revokeAllSessions(tx: Tx, reason: string, audience?: SessionAudience): Promise<number> {
  let q = tx.updateTable('sessions').set({ revoked_at: sql`now()`, revoked_reason: reason }).where('revoked_at', 'is', null);
  if (audience) q = q.where('audience', '=', audience);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
