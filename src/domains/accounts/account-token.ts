import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { AuthTokenKind } from './accounts.tables.ts';

/**
 * Single-use, expiring link tokens for the salon side (salon user invitations, shop customer
 * invitations). The link carries 256 random bits; the database keeps only their SHA-256, so a
 * leaked table holds no usable link. auth_tokens is a platform table: readable in any scope.
 */

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function issueToken(
  tx: Tx,
  input: { kind: AuthTokenKind; userId?: string | null; subject: string; ttlSeconds: number },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await tx
    .insertInto('auth_tokens')
    .values({
      kind: input.kind,
      token_hash: hashToken(token),
      user_id: input.userId ?? null,
      subject: input.subject,
      expires_at: new Date(Date.now() + input.ttlSeconds * 1000),
    })
    .execute();
  return token;
}

export interface LiveToken {
  id: string;
  userId: string | null;
  subject: string;
  expiresAt: Date;
}

/** A token that is unused and unexpired, or null (malformed, unknown, used and expired look the same). */
export async function findLiveToken(tx: Tx, kind: AuthTokenKind, token: string): Promise<LiveToken | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await tx
    .selectFrom('auth_tokens')
    .select(['id', 'user_id', 'subject', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, subject: row.subject, expiresAt: new Date(row.expires_at) } : null;
}

/** Marks a token used; false when another request used it first (the caller must then give up). */
export async function consumeToken(tx: Tx, tokenId: string): Promise<boolean> {
  const result = await tx
    .updateTable('auth_tokens')
    .set({ used_at: sql`now()` })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
