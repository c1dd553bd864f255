import { type KillSwitchHistoryRow, killSwitchHistory } from '../../../domains/payments/card-kill-switch.service.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';

/** Every shop's card switch and the platform-wide one, as the operator audience reads them (RLS admits it). */

export interface SwitchRow {
  /** null: the platform-wide switch. */
  tenantId: string | null;
  name: string;
  slug: string | null;
  engaged: boolean;
  automatic: boolean;
  reason: string;
  changedAt: Date | null;
}

export interface KillSwitchBoard {
  platform: SwitchRow;
  shops: SwitchRow[];
  history: (KillSwitchHistoryRow & { shopName: string; approverName: string | null })[];
}

export async function loadKillSwitchBoard(tx: Tx): Promise<KillSwitchBoard> {
  const tenants = await tx.selectFrom('tenants').select(['id', 'slug', 'display_name']).orderBy('sort_order').orderBy('display_name').execute();
  const switches = await tx.selectFrom('card_kill_switches').select(['tenant_id', 'engaged', 'automatic', 'reason', 'changed_at']).execute();
  const row = (tenantId: string | null, name: string, slug: string | null): SwitchRow => {
    const s = switches.find((w) => w.tenant_id === tenantId);
    const engaged = Boolean(s?.engaged);
    return { tenantId, name, slug, engaged, automatic: engaged && Boolean(s?.automatic), reason: engaged ? (s?.reason ?? '') : '', changedAt: engaged && s ? new Date(s.changed_at) : null };
  };
  const history = await killSwitchHistory(tx, null, 50);
  const approverIds = [...new Set(history.map((h) => h.approvedBy).filter((id): id is string => Boolean(id)))];
  const approvers = approverIds.length ? await tx.selectFrom('staff_users').select(['id', 'display_name']).where('id', 'in', approverIds).execute() : [];
  return {
    platform: row(null, '全ショップ（プラットフォーム全体）', null),
    shops: tenants.map((t) => row(t.id, t.display_name, t.slug)),
    history: history.map((h) => ({
      ...h,
      shopName: h.tenantId ? (tenants.find((t) => t.id === h.tenantId)?.display_name ?? h.tenantId) : '全ショップ',
      approverName: h.approvedBy ? (approvers.find((a) => a.id === h.approvedBy)?.display_name ?? '運営スタッフ') : null,
    })),
  };
}
