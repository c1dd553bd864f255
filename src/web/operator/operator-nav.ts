import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { OPERATOR_ROLES } from '../../platform/http/auth-guard.ts';

/**
 * The operator console's menu, in one list (later features add an entry here). Each entry's roles
 * are also the guard of its routes, so the menu never offers what the route refuses.
 */
export interface OperatorNavItem {
  id: string;
  label: string;
  path: string;
  roles: readonly StaffRole[];
}

const PLATFORM_ADMIN: readonly StaffRole[] = ['platform_admin'];

export const OPERATOR_NAV: OperatorNavItem[] = [
  { id: 'dashboard', label: 'ダッシュボード', path: '/operator', roles: OPERATOR_ROLES },
  { id: 'shops', label: 'ショップ', path: '/operator/shops', roles: PLATFORM_ADMIN },
  { id: 'verifications', label: 'サロン確認', path: '/operator/verifications', roles: PLATFORM_ADMIN },
  { id: 'mail', label: '送信メール', path: '/operator/mail', roles: PLATFORM_ADMIN },
  { id: 'sessions', label: 'セッション', path: '/operator/sessions', roles: OPERATOR_ROLES },
  { id: 'staff', label: '運営スタッフ', path: '/operator/staff', roles: PLATFORM_ADMIN },
  { id: 'audit', label: '監査ログ', path: '/operator/audit', roles: OPERATOR_ROLES },
  { id: 'network', label: '接続元制限', path: '/operator/network', roles: PLATFORM_ADMIN },
  { id: 'security', label: 'セキュリティ', path: '/operator/security', roles: OPERATOR_ROLES },
  { id: 'monitor', label: 'ブラウザー監視', path: '/operator/monitor', roles: OPERATOR_ROLES },
  { id: 'inventory', label: 'スクリプト台帳', path: '/operator/inventory', roles: OPERATOR_ROLES },
  { id: 'kill-switch', label: 'カード停止', path: '/operator/kill-switch', roles: OPERATOR_ROLES },
  { id: 'incidents', label: 'インシデント', path: '/operator/incidents', roles: OPERATOR_ROLES },
];

export function operatorNavRoles(id: string): readonly StaffRole[] {
  const item = OPERATOR_NAV.find((i) => i.id === id);
  if (!item) throw new Error(`no operator nav item ${id}`);
  return item.roles;
}
