import type { Database } from '../../platform/db/database.ts';
import { withIdentity } from '../../platform/db/tenant-scope.ts';
import { mailPasswordReset } from '../auth/auth-mail.ts';
import { issueAuthToken, voidUserTokens } from '../auth/auth-token.service.ts';
import { revokeUserSessions } from '../auth/session.service.ts';
import { asOperator, auditIncident, type IncidentActor } from './incident-actor.ts';
import type { ShopScope } from './incident-scope.query.ts';

/**
 * One action for the credential set of a shop: every listed user's password stops working (the
 * stored hash is replaced by a marker no password verifies against), every session is revoked
 * and a reset link is mailed. Each user is changed in their own identity scope (credentials are
 * visible only to their owner); the whole action is audited in the platform chain.
 */
export async function forceCredentialReset(
  database: Database,
  actor: IncidentActor,
  incident: { id: string; number: string },
  scope: ShopScope,
  linkFor: (kind: 'salon' | 'staff', token: string) => string,
): Promise<{ users: number; sessionsRevoked: number }> {
  let sessionsRevoked = 0;
  const done: string[] = [];
  for (const person of scope.credentialExposed) {
    if (!person.userId || done.includes(person.userId)) continue;
    const kind = person.kind;
    const identity = kind === 'salon' ? { principalId: person.userId, accountId: person.accountId, audience: 'salon' as const } : // No shop set: the reset mail is a platform mail (as in self-service reset).
          { principalId: person.userId, audience: 'staff' as const };
    sessionsRevoked += await withIdentity(database, identity, async (tx) => {
      await tx
        .updateTable('user_credentials')
        .set({ password_hash: `incident-reset:${incident.number}` })
        .where('user_id', '=', person.userId!)
        .execute();
      const revoked = await revokeUserSessions(tx, person.userId!, `incident ${incident.number}: credentials possibly exposed`);
      await voidUserTokens(tx, person.userId!, 'password_reset');
      const subject = `${kind}:${kind === 'salon' ? (person.accountId ?? '') : scope.tenantId}`;
      // Longer than a self-service reset link: the person may read the incident mail days later.
      const issued = await issueAuthToken(tx, 'password_reset', { userId: person.userId!, subject, ttlSeconds: 72 * 3600 });
      if (person.email) await mailPasswordReset(tx, { email: person.email }, linkFor(kind, issued.token));
      return revoked;
    });
    done.push(person.userId);
  }
  await asOperator(database, actor, (tx) =>
    auditIncident(tx, actor, {
      action: 'incident.credentials_reset',
      resourceType: 'incident',
      resourceId: incident.id,
      result: 'success',
      detail: { tenantId: scope.tenantId, users: done, sessionsRevoked },
    }),
  );
  return { users: done.length, sessionsRevoked };
}
