import type { StaffRole } from '../../../domains/accounts/accounts.tables.ts';
import type { CatalogActor } from '../../../domains/catalog/catalog-actor.ts';
import type { StaffActor } from '../../../domains/staff/staff-actor.ts';

/** Who may do what in the catalog console: editors edit, order clerks see and adjust stock only. */
export const CATALOG_EDIT_ROLES: readonly StaffRole[] = ['shop_admin', 'catalog_editor'];
export const STOCK_ROLES: readonly StaffRole[] = ['shop_admin', 'catalog_editor', 'order_clerk'];

export function catalogActor(actor: StaffActor): CatalogActor {
  return { userId: actor.id, label: actor.label, sourceIp: actor.sourceIp, requestId: actor.requestId };
}

export function catalogBase(slug: string): string {
  return `/admin/${slug}/catalog`;
}

/** Thumbnails in the console come from the staff origin, through the guarded console route. */
export function adminMediaUrl(slug: string, contentHash: string, size: 160 | 480 | 960): string {
  return `${catalogBase(slug)}/media/${contentHash}-${size}.webp`;
}

export const STATUS_LABELS: Record<string, string> = { draft: '下書き', active: '公開', archived: 'アーカイブ' };
export const RESTRICTION_LABELS: Record<string, string> = { none: '制限なし', professional: '理美容師限定' };

export function pageNumber(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : 1;
}
