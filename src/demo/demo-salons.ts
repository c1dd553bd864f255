import type { MembershipStatus, SalonUserRole } from '../domains/accounts/accounts.tables.ts';
import { corporateNumberCheckDigit } from '../domains/invoicing/registration-number.ts';
import type { DemoShopSlug } from './catalog/demo-shops.ts';

/**
 * The demo's salons: fictional companies, people, registrations and numbers (phones in 555,
 * mail under .example). Postal codes are real, and the seed takes prefecture, city and town from
 * Oroshi's own postal data, so every address is consistent with its code.
 */

export type DemoVerification = 'verified' | 'expiring' | 'pending' | 'unsubmitted';

export interface DemoMembership {
  status: MembershipStatus;
  /** Price rank code; approved and suspended members have one. */
  rank?: 'general' | 'silver' | 'gold' | 'agent';
  /** 掛け払い with this credit limit, on the shop's own closing terms. */
  creditLimitYen?: number;
  note?: string;
  /** Rejection or suspension reason, shown to the salon. */
  reason?: string;
}

export interface DemoSalonUser {
  email: string;
  name: string;
  role: SalonUserRole;
  /** Has turned on the optional two-step sign-in (the demo TOTP secret; `npm run demo:totp -- <email>`). */
  totp?: boolean;
}

export interface DemoLocation {
  label: string;
  recipient: string;
  postalCode: string;
  /** 番地 and building: the part after the town the postal code gives. */
  street: string;
  building?: string;
  phone: string;
}

export interface DemoSalon {
  /** Stable key: ids are derived from it, so a rerun never duplicates. */
  key: string;
  businessType: 'corporation' | 'sole_proprietor';
  companyName: string;
  companyNameKana: string;
  salonName: string;
  representative: string;
  manager: string;
  healthCenter: string;
  establishmentNumber: string;
  establishmentDate: string;
  postalCode: string;
  street: string;
  building?: string;
  phone: string;
  /** 12 base digits of a T-number; the check digit is computed. */
  registrationBase?: string;
  verification: DemoVerification;
  users: DemoSalonUser[];
  extraLocations?: DemoLocation[];
  memberships: Partial<Record<DemoShopSlug, DemoMembership>>;
  synthetic?: boolean;
}

export function registrationNumberOf(salon: DemoSalon): string | null {
  return salon.registrationBase ? `T${corporateNumberCheckDigit(salon.registrationBase)}${salon.registrationBase}` : null;
}

const approved = (rank: DemoMembership['rank'], creditLimitYen?: number): DemoMembership => ({ status: 'approved', rank, creditLimitYen });
const applied = (note = ''): DemoMembership => ({ status: 'applied', note });

export const DEMO_SALONS: DemoSalon[] = [
  {
    key: 'lumiere',
    businessType: 'corporation',
    companyName: '株式会社ルミエール',
    companyNameKana: 'カブシキガイシャルミエール',
    salonName: 'Hair Salon Lumière 神宮前',
    representative: '代表取締役 高橋 美咲',
    manager: '高橋 美咲',
    healthCenter: '渋谷区保健所',
    establishmentNumber: '渋保生第 5512 号',
    establishmentDate: '2016-04-01',
    postalCode: '1500001',
    street: '5丁目28番3号',
    building: 'ルミエール表参道ビル2階',
    phone: '03-5555-0121',
    registrationBase: '301055500121',
    verification: 'verified',
    users: [
      { email: 'owner@lumiere-salon.example', name: '高橋 美咲', role: 'owner' },
      { email: 'buyer@lumiere-salon.example', name: '村上 彩', role: 'buyer' },
      { email: 'staff@lumiere-salon.example', name: '青木 奈々', role: 'viewer' },
    ],
    extraLocations: [
      { label: '恵比寿店', recipient: 'Lumière 恵比寿店 御中', postalCode: '1500013', street: '1丁目12番5号', building: '恵比寿サンライズ3階', phone: '03-5555-0122' },
    ],
    memberships: {
      mall: approved('gold', 500_000),
      'ayame-color': approved('gold', 300_000),
      'kaoru-haircare': approved('silver'),
      'hanatsume-nail': applied('ネイルメニューを新設するため、取引を希望します。'),
    },
  },
  {
    key: 'hanamizuki',
    businessType: 'corporation',
    companyName: '有限会社はなみずき美容室',
    companyNameKana: 'ユウゲンガイシャハナミズキビヨウシツ',
    salonName: '美容室はなみずき 梅田店',
    representative: '取締役 西村 和子',
    manager: '西村 和子',
    healthCenter: '大阪市北区保健福祉センター',
    establishmentNumber: '大市北第 2087 号',
    establishmentDate: '2009-09-15',
    postalCode: '5300012',
    street: '2丁目7番18号',
    phone: '06-5555-0140',
    registrationBase: '412055500140',
    verification: 'verified',
    users: [
      { email: 'owner@hanamizuki-hair.example', name: '西村 和子', role: 'owner' },
      { email: 'order@hanamizuki-hair.example', name: '松田 亮', role: 'buyer' },
    ],
    memberships: {
      mall: approved('silver'),
      'ayame-color': approved('silver', 300_000),
      'kiriha-tools': approved('general'),
      'shirotae-towel': { status: 'rejected', reason: '配送先が卸売対象地域外のため、今回はお取引を見合わせます。' },
    },
  },
  {
    key: 'sakae-mode',
    businessType: 'corporation',
    companyName: '株式会社サカエモード',
    companyNameKana: 'カブシキガイシャサカエモード',
    salonName: 'SAKAE MODE hair',
    representative: '代表取締役 伊藤 直樹',
    manager: '加藤 真由美',
    healthCenter: '名古屋市中保健センター',
    establishmentNumber: '中保生第 3391 号',
    establishmentDate: '2012-06-20',
    postalCode: '4600008',
    street: '3丁目15番6号',
    building: '栄ミナミビル5階',
    phone: '052-555-0163',
    registrationBase: '218055500163',
    verification: 'verified',
    users: [
      { email: 'owner@sakae-mode.example', name: '伊藤 直樹', role: 'owner', totp: true },
      { email: 'buyer@sakae-mode.example', name: '加藤 真由美', role: 'buyer' },
    ],
    extraLocations: [
      { label: '倉庫（一括受取）', recipient: 'サカエモード 物流担当', postalCode: '4200852', street: '8番地の3', phone: '054-555-0164' },
    ],
    memberships: {
      mall: approved('general'),
      'kiriha-tools': approved('gold', 1_000_000),
      'shirotae-towel': approved('silver'),
    },
  },
  {
    key: 'tenjin-nail',
    businessType: 'sole_proprietor',
    companyName: '天神ネイル＆ヘア 中島 優子',
    companyNameKana: 'テンジンネイルアンドヘア ナカジマユウコ',
    salonName: '天神ネイル＆ヘア',
    representative: '中島 優子',
    manager: '',
    healthCenter: '福岡市中央保健所',
    establishmentNumber: '福中保第 1186 号',
    establishmentDate: '2019-02-01',
    postalCode: '8100001',
    street: '2丁目4番11号',
    phone: '092-555-0175',
    verification: 'verified',
    users: [{ email: 'yuko@tenjin-nail.example', name: '中島 優子', role: 'owner' }],
    memberships: {
      mall: approved('general'),
      'hanatsume-nail': approved('gold'),
      'kaoru-haircare': applied(),
    },
  },
  {
    key: 'kitanoniwa',
    businessType: 'corporation',
    companyName: '株式会社北の庭',
    companyNameKana: 'カブシキガイシャキタノニワ',
    salonName: 'hair & spa 北の庭',
    representative: '代表取締役 佐々木 健太',
    manager: '佐々木 由美',
    healthCenter: '札幌市中央区保健センター',
    establishmentNumber: '札中保第 4420 号',
    establishmentDate: '2011-11-11',
    postalCode: '0600061',
    street: '3丁目10番地',
    building: 'ノースガーデンビル1階',
    phone: '011-555-0188',
    registrationBase: '543055500188',
    verification: 'verified',
    users: [
      { email: 'owner@kitanoniwa.example', name: '佐々木 健太', role: 'owner' },
      { email: 'purchase@kitanoniwa.example', name: '佐々木 由美', role: 'buyer' },
    ],
    memberships: {
      mall: approved('silver'),
      'ayame-color': approved('agent', 2_000_000),
      'kaoru-haircare': approved('gold', 500_000),
    },
  },
  {
    key: 'aoba',
    businessType: 'corporation',
    companyName: '合同会社アオバビューティー',
    companyNameKana: 'ゴウドウガイシャアオバビューティー',
    salonName: 'AOBA beauty',
    representative: '代表社員 菅原 恵',
    manager: '菅原 恵',
    healthCenter: '仙台市青葉区保健福祉センター',
    establishmentNumber: '青保第 0772 号',
    establishmentDate: '2015-03-09',
    postalCode: '9800021',
    street: '2丁目9番27号',
    phone: '022-555-0190',
    // Verification runs out within 30 days: the re-verification reminder goes to this salon.
    verification: 'expiring',
    users: [{ email: 'owner@aoba-beauty.example', name: '菅原 恵', role: 'owner' }],
    memberships: {
      mall: approved('general'),
      'shirotae-towel': approved('general'),
      'kaoru-haircare': { status: 'suspended', rank: 'general', reason: 'お支払期日を過ぎたご請求があるため、ご入金確認までお取引を一時停止しています。' },
    },
  },
  {
    key: 'minatomirai',
    businessType: 'corporation',
    companyName: '株式会社ミナトヘアデザイン',
    companyNameKana: 'カブシキガイシャミナトヘアデザイン',
    salonName: 'MINATO hair design',
    representative: '代表取締役 山口 翔',
    manager: '森 さくら',
    healthCenter: '横浜市西区福祉保健センター',
    establishmentNumber: '西福保第 6003 号',
    establishmentDate: '2018-07-01',
    postalCode: '2200011',
    street: '2丁目14番9号',
    building: 'ベイサイド高島ビル4階',
    phone: '045-555-0131',
    registrationBase: '620055500131',
    verification: 'verified',
    users: [
      { email: 'owner@minato-hair.example', name: '山口 翔', role: 'owner' },
      { email: 'buyer@minato-hair.example', name: '森 さくら', role: 'buyer' },
      { email: 'viewer@minato-hair.example', name: '石井 陽菜', role: 'viewer' },
    ],
    extraLocations: [
      { label: '山下町店', recipient: 'MINATO 山下町店 御中', postalCode: '2310023', street: '25番地', building: '山下パークサイド1階', phone: '045-555-0132' },
    ],
    memberships: {
      mall: approved('gold'),
      'ayame-color': approved('general'),
      'hanatsume-nail': approved('silver'),
      'kiriha-tools': applied('シザーの研ぎ直しサービスも利用したいです。'),
    },
  },
  {
    key: 'kyo-kamiyui',
    businessType: 'sole_proprietor',
    companyName: '京髪結 吉田 千尋',
    companyNameKana: 'キョウカミユイ ヨシダチヒロ',
    salonName: '京髪結',
    representative: '吉田 千尋',
    manager: '',
    healthCenter: '京都市下京区保健福祉センター',
    establishmentNumber: '下保第 2218 号',
    establishmentDate: '2021-10-01',
    postalCode: '6008216',
    street: '721番地の1',
    phone: '075-555-0147',
    // Submitted, waiting for the operator's check.
    verification: 'pending',
    users: [{ email: 'chihiro@kyo-kamiyui.example', name: '吉田 千尋', role: 'owner' }],
    memberships: {
      mall: applied(),
      'ayame-color': applied('開業準備中です。カラー剤の取引を希望します。'),
    },
  },
  {
    key: 'hondori',
    businessType: 'corporation',
    companyName: '株式会社本通ビューティーラボ',
    companyNameKana: 'カブシキガイシャホンドオリビューティーラボ',
    salonName: 'Beauty Lab 本通',
    representative: '代表取締役 岡田 大輔',
    manager: '岡田 真理',
    healthCenter: '広島市中区厚生部地域支えあい課',
    establishmentNumber: '',
    establishmentDate: '2024-12-01',
    postalCode: '7300035',
    street: '6番11号',
    phone: '082-555-0152',
    // Signed up, has not submitted the 美容所 registration yet.
    verification: 'unsubmitted',
    users: [{ email: 'owner@hondori-lab.example', name: '岡田 大輔', role: 'owner' }],
    memberships: { mall: applied() },
  },
  {
    key: 'sannomiya',
    businessType: 'corporation',
    companyName: '株式会社三宮リュバン',
    companyNameKana: 'カブシキガイシャサンノミヤリュバン',
    salonName: 'Ruban 三宮',
    representative: '代表取締役 藤田 亜希',
    manager: '藤田 亜希',
    healthCenter: '神戸市保健所',
    establishmentNumber: '神保第 3807 号',
    establishmentDate: '2014-05-20',
    postalCode: '6500021',
    street: '1丁目9番1号',
    building: '三宮センタービル6階',
    phone: '078-555-0158',
    registrationBase: '714055500158',
    verification: 'verified',
    users: [
      { email: 'owner@ruban-kobe.example', name: '藤田 亜希', role: 'owner' },
      { email: 'order@ruban-kobe.example', name: '小川 拓也', role: 'buyer' },
    ],
    memberships: {
      mall: approved('silver'),
      'kiriha-tools': approved('silver'),
      'shirotae-towel': approved('general', 200_000),
    },
  },
  {
    key: 'urawa',
    businessType: 'sole_proprietor',
    companyName: 'ヘアルーム浦和 田村 聡',
    companyNameKana: 'ヘアルームウラワ タムラサトシ',
    salonName: 'HAIR ROOM 浦和',
    representative: '田村 聡',
    manager: '',
    healthCenter: 'さいたま市保健所',
    establishmentNumber: 'さ保第 1935 号',
    establishmentDate: '2020-01-15',
    postalCode: '3300063',
    street: '2丁目3番20号',
    phone: '048-555-0166',
    verification: 'verified',
    users: [{ email: 'satoshi@hairroom-urawa.example', name: '田村 聡', role: 'owner' }],
    memberships: {
      mall: approved('general'),
      'hanatsume-nail': approved('general'),
    },
  },
  {
    key: 'kumoji',
    businessType: 'corporation',
    companyName: '株式会社くもじ美粧',
    companyNameKana: 'カブシキガイシャクモジビショウ',
    salonName: '美粧室くもじ',
    representative: '代表取締役 比嘉 さおり',
    manager: '宮城 愛',
    healthCenter: '那覇市保健所',
    establishmentNumber: '那保第 0641 号',
    establishmentDate: '2013-08-08',
    postalCode: '9000015',
    street: '3丁目1番5号',
    phone: '098-555-0179',
    verification: 'verified',
    users: [
      { email: 'owner@kumoji-bisho.example', name: '比嘉 さおり', role: 'owner' },
      { email: 'buyer@kumoji-bisho.example', name: '宮城 愛', role: 'buyer' },
    ],
    memberships: {
      mall: approved('general'),
      'kaoru-haircare': approved('general'),
      'ayame-color': applied(),
    },
  },
  {
    key: 'monitor',
    businessType: 'corporation',
    companyName: '株式会社ミナセ商事（監視用）',
    companyNameKana: 'カブシキガイシャミナセショウジ',
    salonName: 'Oroshi 監視用サロン',
    representative: '代表取締役 水瀬 隆之',
    manager: '水瀬 隆之',
    healthCenter: '高崎市保健所',
    establishmentNumber: '高保第 0001 号',
    establishmentDate: '2020-04-01',
    postalCode: '3700841',
    street: '1番地',
    phone: '027-555-0199',
    verification: 'verified',
    // The protection issue's browser walks sign in as this user; it is never a real buyer.
    synthetic: true,
    users: [{ email: 'monitor@minase-shoji.example', name: '監視 ボット', role: 'owner' }],
    memberships: {
      mall: approved('general'),
      'ayame-color': approved('general'),
      'kiriha-tools': approved('general'),
      'shirotae-towel': approved('general'),
      'hanatsume-nail': approved('general'),
      'kaoru-haircare': approved('general'),
    },
  },
];

/**
 * A shop's invitations to existing customers (as a customer CSV import makes them), still open:
 * one to a demo salon user who can accept it (signed in with that address), one to an address
 * with no account yet. Each has its emailed link in the outbox (operator console, 送信メール).
 */
export interface DemoCustomerInvitation {
  shop: DemoShopSlug;
  company: string;
  contact: string;
  email: string;
  customerCode: string;
  rank: 'general' | 'silver' | 'gold' | 'agent';
  creditLimitYen?: number;
}

export const DEMO_CUSTOMER_INVITATIONS: DemoCustomerInvitation[] = [
  { shop: 'kaoru-haircare', company: '有限会社はなみずき美容室', contact: '西村 和子', email: 'owner@hanamizuki-hair.example', customerCode: 'KAO-2001', rank: 'silver', creditLimitYen: 200_000 },
  { shop: 'kaoru-haircare', company: 'ヘアサロン椿', contact: '椿 美和', email: 'miwa@tsubaki-hair.example', customerCode: 'KAO-2002', rank: 'general' },
];
