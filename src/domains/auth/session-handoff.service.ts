import type { Session } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { consumeAuthToken, issueAuthToken } from './auth-token.service.ts';
import { createSession } from './session.service.ts';

/**
 * Carrying a salon's sign-in from the platform origin to a shop origin without a cookie shared
 * across origins: the platform issues a single-use token valid 60 seconds and bound to one shop;
 * the shop origin redeems it for that origin's own session (bound to the shop).
 */

export async function issueHandoff(tx: Tx, salonSession: Pick<Session, 'user_id' | 'account_id' | 'audience'>, tenantId: string): Promise<string> {
  if (salonSession.audience !== 'salon' || !salonSession.account_id) throw new Error('only salon sessions are handed off');
  const issued = await issueAuthToken(tx, 'handoff', { userId: salonSession.user_id, subject: `${tenantId}:${salonSession.account_id}` });
  return issued.token;
}

/** Spends a handoff token for this shop and opens the shop origin's session; null if invalid. */
export async function redeemHandoff(
  tx: Tx,
  token: string,
  tenantId: string,
  client: { ip: string; userAgent: string },
): Promise<{ token: string; session: Session } | null> {
  const spent = await consumeAuthToken(tx, 'handoff', token);
  if (!spent?.userId) return null;
  const [boundTo, accountId] = spent.subject.split(':');
  // A token issued for another shop is spent but refused: it was meant for one origin only.
  if (boundTo !== tenantId || !accountId) return null;
  return createSession(tx, {
    audience: 'salon',
    userId: spent.userId,
    accountId,
    boundTenantId: tenantId,
    ip: client.ip,
    userAgent: client.userAgent,
  });
}
