import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { SHOP_ROLES } from '../../platform/http/auth-guard.ts';

/**
 * The shop console's menu, in one list. A later feature (商品, 受注, …) adds its entry here; the
 * layout shows each entry only to the roles that may open it, so the menu and the route guards
 * state the same least privilege.
 */
export interface ConsoleNavItem {
  id: string;
  label: string;
  /** Path below /admin/:shop ('' is the dashboard). */
  path: string;
  roles: readonly StaffRole[];
}

const ADMIN_ONLY: readonly StaffRole[] = ['shop_admin'];

export const ADMIN_NAV: ConsoleNavItem[] = [
  { id: 'dashboard', label: 'ダッシュボード', path: '', roles: SHOP_ROLES },
  { id: 'catalog', label: '商品', path: '/catalog/products', roles: ['shop_admin', 'catalog_editor'] },
  { id: 'catalog-stock', label: '在庫', path: '/catalog/stock', roles: SHOP_ROLES },
  { id: 'orders', label: '受注', path: '/orders', roles: ['shop_admin', 'order_clerk'] },
  { id: 'receivables', label: '売掛金', path: '/receivables', roles: ['shop_admin', 'order_clerk'] },
  { id: 'statements', label: '月次請求書', path: '/statements', roles: ['shop_admin', 'order_clerk'] },
  { id: 'applications', label: '会員申請', path: '/applications', roles: ADMIN_ONLY },
  { id: 'members', label: '会員一覧', path: '/members', roles: ADMIN_ONLY },
  { id: 'customer-import', label: '顧客インポート', path: '/customers/import', roles: ADMIN_ONLY },
  { id: 'ranks', label: '価格ランク', path: '/ranks', roles: ADMIN_ONLY },
  { id: 'payments', label: '決済', path: '/payments', roles: ADMIN_ONLY },
  { id: 'invoice-issuer', label: '請求書の発行者', path: '/settings/invoice-issuer', roles: ADMIN_ONLY },
  { id: 'staff', label: 'スタッフ', path: '/staff', roles: ADMIN_ONLY },
  { id: 'incidents', label: 'インシデント', path: '/incidents', roles: ADMIN_ONLY },
  { id: 'audit', label: '監査ログ', path: '/audit', roles: ADMIN_ONLY },
  { id: 'network', label: '接続元制限', path: '/network', roles: ADMIN_ONLY },
];

/** Roles of each console area, used by the route guards (so the menu and the routes agree). */
export function navRoles(id: string): readonly StaffRole[] {
  const item = ADMIN_NAV.find((i) => i.id === id);
  if (!item) throw new Error(`no admin nav item ${id}`);
  return item.roles;
}
