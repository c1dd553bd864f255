import type { Database } from '../../platform/db/database.ts';
import type { AuditActorType } from '../../platform/db/schema.ts';
import { type Tx, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface AcrossTenantsRequest {
  actor: { type: Extract<AuditActorType, 'operator' | 'system'>; id?: string | null; label: string };
  /** Why the operator looks across shops; stored in the platform audit chain. */
  reason: string;
  tenantIds: readonly string[] | 'all';
}

/**
 * The only path that touches more than one shop. There is no RLS bypass behind it: it records
 * who, why and which shops in the platform audit chain first, then runs `fn` once per shop, each
 * in that shop's own scoped transaction, one after another.
 *
 * Shops already processed stay committed when a later shop fails; the failure is audited too.
 */
export async function unsafeAcrossTenants<T>(
  database: Database,
  request: AcrossTenantsRequest,
  fn: (tenantId: string, tx: Tx) => Promise<T>,
): Promise<Map<string, T>> {
  const reason = request.reason.trim();
  if (!reason) throw new ValidationError({ reason: '複数ショップにまたがる操作には理由が必要です。' });
  if (request.tenantIds !== 'all' && request.tenantIds.length === 0) {
    throw new ValidationError({ tenantIds: '対象のショップを選んでください。' });
  }
  const requested = request.tenantIds;
  if (requested !== 'all' && !requested.every((id) => UUID.test(id))) {
    throw new ValidationError({ tenantIds: 'ショップの指定が正しくありません。' });
  }

  const tenantIds = await withPlatform(database, async (tx) => {
    let query = tx.selectFrom('tenants').select('id').orderBy('sort_order').orderBy('created_at');
    if (requested !== 'all') query = query.where('id', 'in', [...new Set(requested)]);
    const ids = (await query.execute()).map((r) => r.id);
    if (requested !== 'all' && ids.length !== new Set(requested).size) throw new NotFoundError('指定されたショップが見つかりません。');
    await appendAudit(tx, {
      actorType: request.actor.type,
      actorId: request.actor.id ?? null,
      actorLabel: request.actor.label,
      action: 'operator.across_tenants',
      resourceType: 'tenant',
      resourceId: requested === 'all' ? 'all' : ids.join(','),
      result: 'success',
      reason,
      detail: { tenantIds: ids, scope: requested === 'all' ? 'all' : 'selected' },
    });
    return ids;
  });

  const results = new Map<string, T>();
  for (const tenantId of tenantIds) {
    try {
      results.set(tenantId, await withTenant(database, tenantId, (tx) => fn(tenantId, tx)));
    } catch (err) {
      await withPlatform(database, (tx) =>
        appendAudit(tx, {
          actorType: request.actor.type,
          actorId: request.actor.id ?? null,
          actorLabel: request.actor.label,
          action: 'operator.across_tenants.failed',
          resourceType: 'tenant',
          resourceId: tenantId,
          result: 'failure',
          reason,
          detail: { completed: [...results.keys()], error: err instanceof Error ? err.name : 'unknown' },
        }),
      );
      throw err;
    }
  }
  return results;
}
