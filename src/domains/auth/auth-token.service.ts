import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { AuthTokenKind } from '../accounts/accounts.tables.ts';

/**
 * Single-use, expiring tokens (password reset, email verification, origin handoff, WebAuthn
 * challenges, the salon's password-passed-awaiting-TOTP step). Only the SHA-256 is stored; a token
 * is spent by one conditional UPDATE, so two concurrent redemptions cannot both succeed.
 */

/** 'mfa_pending' was added by migration 0004. */
export type TokenKind = AuthTokenKind | 'mfa_pending';

export const TOKEN_TTL_SECONDS: Record<TokenKind, number> = {
  password_reset: 30 * 60,
  email_verify: 3 * 24 * 3600,
  salon_invite: 14 * 24 * 3600,
  staff_invite: 3 * 24 * 3600,
  customer_invite: 30 * 24 * 3600,
  handoff: 60,
  webauthn_challenge: 5 * 60,
  mfa_pending: 5 * 60,
};

export function hashAuthToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IssuedToken {
  token: string;
  id: string;
  expiresAt: Date;
}

export async function issueAuthToken(
  tx: Tx,
  kind: TokenKind,
  options: { userId?: string | null; subject?: string; ttlSeconds?: number; token?: string } = {},
): Promise<IssuedToken> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const ttl = options.ttlSeconds ?? TOKEN_TTL_SECONDS[kind];
  const row = await tx
    .insertInto('auth_tokens')
    .values({
      kind: kind as AuthTokenKind,
      token_hash: hashAuthToken(token),
      user_id: options.userId ?? null,
      subject: options.subject ?? '',
      expires_at: sql<Date>`now() + make_interval(secs => ${ttl})`,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { token, id: row.id, expiresAt: new Date(row.expires_at) };
}

export interface SpentToken {
  id: string;
  userId: string | null;
  subject: string;
}

/** Spends a token of `kind` if it exists, is unused and unexpired; otherwise null. */
export async function consumeAuthToken(tx: Tx, kind: TokenKind, token: string, subject?: string): Promise<SpentToken | null> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(token)) return null;
  let q = tx
    .updateTable('auth_tokens')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', hashAuthToken(token))
    .where('kind', '=', kind as AuthTokenKind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`);
  if (subject !== undefined) q = q.where('subject', '=', subject);
  const row = await q.returning(['id', 'user_id', 'subject']).executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, subject: row.subject } : null;
}

/** Reads an unspent token without spending it (a form shown before the token is used). */
export async function peekAuthToken(tx: Tx, kind: TokenKind, token: string): Promise<SpentToken | null> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(token)) return null;
  const row = await tx
    .selectFrom('auth_tokens')
    .select(['id', 'user_id', 'subject'])
    .where('token_hash', '=', hashAuthToken(token))
    .where('kind', '=', kind as AuthTokenKind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, subject: row.subject } : null;
}

/** Voids every unspent token of a kind for a user (a new reset link voids the old ones). */
export async function voidUserTokens(tx: Tx, userId: string, kind: TokenKind): Promise<void> {
  await tx
    .updateTable('auth_tokens')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('kind', '=', kind as AuthTokenKind)
    .where('used_at', 'is', null)
    .execute();
}
