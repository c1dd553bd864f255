import type { Database } from '../../platform/db/database.ts';
import { type Tx, withIdentity } from '../../platform/db/tenant-scope.ts';
import { type AuditEntry, appendAudit } from '../audit/audit.service.ts';

/** Who acts on an incident: an operator staff member, or the system (automatic opening). */
export interface IncidentActor {
  type: 'operator' | 'system';
  id: string | null;
  label: string;
  sourceIp?: string;
  requestId?: string;
}

export const SYSTEM_ACTOR: IncidentActor = { type: 'system', id: null, label: 'incident-automation' };

/** Incidents are read and changed in the operator audience, with no shop set (platform audit chain). */
export function asOperator<T>(database: Database, actor: IncidentActor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withIdentity(database, { audience: 'operator', principalId: actor.id }, fn);
}

export function auditIncident(tx: Tx, actor: IncidentActor, entry: Omit<AuditEntry, 'actorType' | 'actorId' | 'actorLabel' | 'sourceIp' | 'requestId'>) {
  return appendAudit(tx, {
    ...entry,
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    sourceIp: actor.sourceIp ?? '',
    requestId: actor.requestId ?? '',
  });
}
