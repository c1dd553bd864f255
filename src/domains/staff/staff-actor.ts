import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { StaffRole } from '../accounts/accounts.tables.ts';
import { type AuditEntry, appendAudit } from '../audit/audit.service.ts';

/** Who performs a staff or operator action, with what the audit log records about the request. */
export interface StaffActor {
  id: string;
  label: string;
  role: StaffRole;
  /** The staff member's shop; null for operator staff. */
  tenantId: string | null;
  sourceIp: string;
  requestId: string;
  sessionId: string;
}

export type StaffAuditEntry = Omit<AuditEntry, 'actorType' | 'actorId' | 'actorLabel' | 'sourceIp' | 'requestId'>;

/** Appends to the chain of the transaction's own scope (the shop, or the platform for operators). */
export function auditByStaff(tx: Tx, actor: StaffActor, entry: StaffAuditEntry) {
  return appendAudit(tx, {
    ...entry,
    actorType: actor.tenantId === null ? 'operator' : 'staff',
    actorId: actor.id,
    actorLabel: actor.label,
    sourceIp: actor.sourceIp,
    requestId: actor.requestId,
  });
}
