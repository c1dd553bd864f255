import type { Tx } from '../../platform/db/tenant-scope.ts';
import { appendAudit } from '../audit/audit.service.ts';
import type { OrderActor } from '../orders/order-state.ts';

/** Staff and operator actions on orders go to the shop's audit chain; members' and the system's do not. */
export async function auditOrderAction(tx: Tx, actor: OrderActor, action: string, resourceId: string, detail: Record<string, unknown> = {}, reason = ''): Promise<void> {
  if (actor.type !== 'staff' && actor.type !== 'operator') return;
  await appendAudit(tx, {
    actorType: actor.type,
    actorId: actor.id ?? null,
    actorLabel: actor.label ?? '',
    action,
    resourceType: 'order',
    resourceId,
    result: 'success',
    sourceIp: actor.sourceIp,
    requestId: actor.requestId,
    reason,
    detail,
  });
}
