import type { Tx } from '../../platform/db/tenant-scope.ts';
import { appendAudit } from '../audit/audit.service.ts';

/** The staff member behind a catalog write: recorded on stock history and in the audit chain. */
export interface CatalogActor {
  userId: string;
  label: string;
  sourceIp?: string;
  requestId?: string;
}

export async function auditCatalog(
  tx: Tx,
  actor: CatalogActor,
  action: string,
  resource: { type: string; id: string },
  detail: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(tx, {
    actorType: 'staff',
    actorId: actor.userId,
    actorLabel: actor.label,
    action,
    resourceType: resource.type,
    resourceId: resource.id,
    result: 'success',
    sourceIp: actor.sourceIp,
    requestId: actor.requestId,
    detail,
  });
}
