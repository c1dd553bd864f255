import type { StaffRole } from '../domains/accounts/accounts.tables.ts';
import { DEMO_SHOPS, type DemoShopSlug } from './catalog/demo-shops.ts';
import { DEMO_SALONS } from './demo-salons.ts';

/**
 * The demo's sign-ins (README, tests, `npm run demo:totp`). Every demo user has the same password,
 * hashed once at seed time; every staff member has TOTP enrolled with the same fixed secret, so
 * one authenticator entry (or `npm run demo:totp`) serves them all. Demo only: a production
 * start does not seed (SEED_DEMO defaults to false there).
 */
export const DEMO_PASSWORD = 'Oroshi-Demo-2025';

/** Base32 TOTP seed (RFC 6238, SHA-1, 6 digits, 30 s), sealed with SecretBox in the database. */
export const DEMO_TOTP_SECRET = 'OROSHIDEMOTOTPSECRETJBSWY3DPEHPK';

export interface DemoStaffLogin {
  email: string;
  displayName: string;
  role: StaffRole;
  /** null for operator staff. */
  shopSlug: DemoShopSlug | null;
}

export const DEMO_OPERATOR_STAFF: DemoStaffLogin[] = [
  { email: 'platform-admin@minase-shoji.example', displayName: '水瀬 玲奈', role: 'platform_admin', shopSlug: null },
  { email: 'security-officer@minase-shoji.example', displayName: '真田 剛', role: 'security_officer', shopSlug: null },
];

// Three people per shop, in DEMO_SHOPS order: admin, order clerk, catalog editor.
const SHOP_STAFF_NAMES: Record<DemoShopSlug, [string, string, string]> = {
  mall: ['小林 理恵', '井上 拓海', '林 千夏'],
  'ayame-color': ['斎藤 綾女', '清水 達也', '山崎 葵'],
  'kiriha-tools': ['桐葉 修一', '阿部 誠', '池田 美穂'],
  'shirotae-towel': ['白石 妙子', '橋本 剛志', '前田 結衣'],
  'hanatsume-nail': ['花岡 瞳', '藤井 智也', '岡本 莉子'],
  'kaoru-haircare': ['香川 薫', '後藤 大樹', '長谷川 楓'],
};

const SHOP_ROLES: { role: StaffRole; mailbox: string }[] = [
  { role: 'shop_admin', mailbox: 'admin' },
  { role: 'order_clerk', mailbox: 'orders' },
  { role: 'catalog_editor', mailbox: 'catalog' },
];

export const DEMO_SHOP_STAFF: DemoStaffLogin[] = DEMO_SHOPS.flatMap((shop) =>
  SHOP_ROLES.map(({ role, mailbox }, i) => ({
    email: `${mailbox}@${shop.slug}.example`,
    displayName: SHOP_STAFF_NAMES[shop.slug][i]!,
    role,
    shopSlug: shop.slug,
  })),
);

export const DEMO_STAFF: DemoStaffLogin[] = [...DEMO_OPERATOR_STAFF, ...DEMO_SHOP_STAFF];

/** `npm run demo:totp` without an argument: the first shop's admin. */
export const DEFAULT_TOTP_EMAIL = DEMO_SHOP_STAFF[0]!.email;

export interface DemoSalonLogin {
  email: string;
  displayName: string;
  role: string;
  salonName: string;
  synthetic: boolean;
  /** Two-step sign-in on: a code from `npm run demo:totp -- <email>` follows the password. */
  totp: boolean;
}

export const DEMO_SALON_LOGINS: DemoSalonLogin[] = DEMO_SALONS.flatMap((salon) =>
  salon.users.map((u) => ({ email: u.email, displayName: u.name, role: u.role, salonName: salon.salonName, synthetic: salon.synthetic ?? false, totp: u.totp ?? false })),
);
