import { corporateNumberCheckDigit } from '../../domains/invoicing/registration-number.ts';
import type { TenantLegal } from '../../platform/db/schema.ts';

/**
 * The six shops of the demo platform, in the shape of the breached one: the operator's own supply
 * mall and five supplier shops on the same platform. Every company, person, address, number and
 * account here is fictional (phone numbers use 555, mail domains end in .example).
 */

export type DemoShopSlug =
  | 'mall'
  | 'ayame-color'
  | 'kiriha-tools'
  | 'shirotae-towel'
  | 'hanatsume-nail'
  | 'kaoru-haircare';

export interface DemoPriceRank {
  code: 'general' | 'silver' | 'gold' | 'agent';
  name: string;
  /** 掛け率: the member pays list price × rate (tax excluded). */
  rate: number;
}

export interface DemoRegionalSurcharge {
  label: string;
  prefectures: string[];
  feeYen: number;
}

export interface DemoShippingRules {
  /** Tax-excluded shipping fee per delivery address. */
  flatFeeYen: number;
  /** Shipping is free when the tax-excluded goods subtotal reaches this. */
  freeOverYen: number;
  /** Added on top of the flat fee, and charged even when shipping is otherwise free. */
  regionalSurcharges: DemoRegionalSurcharge[];
  /** Added for 離島 addresses, which a prefecture alone cannot identify. */
  remoteIslandSurchargeYen: number;
  /** 代引手数料 (tax excluded). */
  codFeeYen: number;
}

export interface DemoBankAccount {
  bankName: string;
  branchName: string;
  accountType: '普通' | '当座';
  accountNumber: string;
  /** 口座名義 in half-width katakana style as banks print it. */
  accountHolder: string;
}

export interface DemoInvoiceTerms {
  /** Day of month on which 掛け払い is closed; 31 means month end. */
  closingDay: number;
  /** Months after closing in which payment falls due. */
  paymentMonthOffset: number;
  /** Day of that month on which payment is due; 31 means month end. */
  paymentDay: number;
  label: string;
}

export interface DemoShop {
  slug: DemoShopSlug;
  kind: 'operator_mall' | 'supplier';
  displayName: string;
  companyName: string;
  tagline: string;
  legal: TenantLegal;
  /** 適格請求書発行事業者登録番号: T + 法人番号 (13 digits, first is the check digit). */
  registrationNumber: string;
  priceRanks: DemoPriceRank[];
  shipping: DemoShippingRules;
  bankAccount: DemoBankAccount;
  invoiceTerms: DemoInvoiceTerms;
  /** Regular days off; orders placed then ship on the next business day. */
  closedOn: string[];
  /** Seasonal closures, shown on the shop's notice board. */
  closedPeriods: string[];
  /** Seven digits that start every JAN this (fictional) maker assigns: 45 or 49 + five. */
  janCompanyPrefix: string;
  sortOrder: number;
}

function registrationNumberFor(corporateNumberBase: string): string {
  return `T${corporateNumberCheckDigit(corporateNumberBase)}${corporateNumberBase}`;
}

const STANDARD_RANKS: DemoPriceRank[] = [
  { code: 'general', name: '一般', rate: 0.85 },
  { code: 'silver', name: 'シルバー', rate: 0.75 },
  { code: 'gold', name: 'ゴールド', rate: 0.65 },
  { code: 'agent', name: '特約店', rate: 0.55 },
];

const MAINLAND_SURCHARGES = (hokkaido: number, okinawa: number): DemoRegionalSurcharge[] => [
  { label: '北海道', prefectures: ['北海道'], feeYen: hokkaido },
  { label: '沖縄県', prefectures: ['沖縄県'], feeYen: okinawa },
];

const CALENDAR_CLOSURES = ['年末年始（12月29日〜1月4日）', '夏季休業（8月13日〜8月16日）'];

function legalText(input: {
  seller: string;
  representative: string;
  postal_code: string;
  address: string;
  phone: string;
  email: string;
  hours: string;
  shipping: DemoShippingRules;
  payments: string;
  deliveryDays: string;
  returnsNote: string;
}): TenantLegal {
  const s = input.shipping;
  return {
    seller: input.seller,
    representative: input.representative,
    postal_code: input.postal_code,
    address: input.address,
    phone: input.phone,
    email: input.email,
    business_hours: input.hours,
    prices:
      '各商品ページに会員ランク別の卸価格を税抜・税込で表示しています。ご注文確定画面の金額が最終のお支払金額です。',
    extra_fees:
      `送料 ${s.flatFeeYen.toLocaleString('ja-JP')}円（税抜）、税抜${s.freeOverYen.toLocaleString('ja-JP')}円以上のご注文で無料。` +
      s.regionalSurcharges.map((r) => `${r.label}は${r.feeYen.toLocaleString('ja-JP')}円`).join('、') +
      `、離島は${s.remoteIslandSurchargeYen.toLocaleString('ja-JP')}円を別途加算します。` +
      `代金引換手数料 ${s.codFeeYen}円（税抜）。銀行振込手数料はお客様のご負担となります。`,
    payment_methods: input.payments,
    payment_timing:
      'クレジットカード：ご注文時に決済（3Dセキュア認証あり）。銀行振込：ご注文から7日以内の前払い。代金引換：商品お受け取り時。掛け払い：ご契約の締め日・支払日による請求書払い。',
    delivery_timing: input.deliveryDays,
    returns: input.returnsNote,
    members_only:
      '本ショップは理容室・美容室など業務用のお客様を対象とした会員制卸サイトです。会員登録後、美容所登録の確認と審査を経てご購入いただけます。理美容師限定商品は資格の確認が済んだ会員様のみご購入いただけます。',
  };
}

const STANDARD_RETURNS =
  '商品到着後8日以内にご連絡のうえ、未開封・未使用品に限り返品を承ります（お客様都合の送料はお客様負担）。初期不良・誤配送は当社負担で交換いたします。理美容師限定品・開封済みの薬剤は返品をお受けできません。';

function shop(
  input: Omit<DemoShop, 'registrationNumber' | 'legal'> & {
    corporateNumberBase: string;
    legal: Omit<Parameters<typeof legalText>[0], 'shipping'>;
  },
): DemoShop {
  const { corporateNumberBase, legal, ...rest } = input;
  return {
    ...rest,
    registrationNumber: registrationNumberFor(corporateNumberBase),
    legal: legalText({ ...legal, shipping: input.shipping }),
  };
}

export const DEMO_SHOPS: readonly DemoShop[] = [
  shop({
    slug: 'mall',
    kind: 'operator_mall',
    displayName: 'ミナセ サロンサプライモール',
    companyName: '株式会社ミナセ商事',
    tagline: 'シャンプーからタオル、ネイルまで。サロンの消耗品がまとめて揃う業務用モール',
    corporateNumberBase: '010001255501',
    legal: {
      seller: '株式会社ミナセ商事',
      representative: '代表取締役 水瀬 隆之',
      postal_code: '103-0022',
      address: '東京都中央区日本橋室町9丁目5番5号 ミナセ日本橋ビル6階',
      phone: '03-5555-0142',
      email: 'support@minase-shoji.example',
      hours: '平日 9:00〜18:00（土日祝・年末年始を除く）',
      payments: 'クレジットカード（VISA / Mastercard / JCB / AMEX）、銀行振込（前払い）、代金引換、掛け払い（審査制）',
      deliveryDays: '平日15時までのご注文は当日出荷、それ以降は翌営業日に出荷します。配達日時のご指定も承ります。',
      returnsNote: STANDARD_RETURNS,
    },
    priceRanks: STANDARD_RANKS,
    shipping: {
      flatFeeYen: 880,
      freeOverYen: 11000,
      regionalSurcharges: MAINLAND_SURCHARGES(550, 1100),
      remoteIslandSurchargeYen: 1650,
      codFeeYen: 330,
    },
    bankAccount: {
      bankName: '東都中央銀行',
      branchName: '日本橋支店',
      accountType: '普通',
      accountNumber: '5550142',
      accountHolder: 'カ）ミナセシヨウジ',
    },
    invoiceTerms: { closingDay: 31, paymentMonthOffset: 1, paymentDay: 31, label: '月末締め翌月末払い' },
    closedOn: ['土曜日', '日曜日', '祝日'],
    closedPeriods: CALENDAR_CLOSURES,
    janCompanyPrefix: '4595501',
    sortOrder: 0,
  }),
  shop({
    slug: 'ayame-color',
    kind: 'supplier',
    displayName: 'あやめ化研 業務用オンラインショップ',
    companyName: '株式会社あやめ化研',
    tagline: '色持ちと髪へのやさしさを両立する、サロン専売のカラー・パーマ剤メーカー',
    corporateNumberBase: '120001555302',
    legal: {
      seller: '株式会社あやめ化研',
      representative: '代表取締役社長 菖蒲 恵理子',
      postal_code: '542-0081',
      address: '大阪府大阪市中央区南船場9丁目12番55号',
      phone: '06-5555-0318',
      email: 'order@ayame-kaken.example',
      hours: '平日 9:30〜17:30（土日祝・当社休業日を除く）',
      payments: 'クレジットカード（VISA / Mastercard / JCB）、銀行振込（前払い）、代金引換、掛け払い（特約店のみ）',
      deliveryDays: '平日14時までのご注文は当日出荷。薬剤はロット番号を記録して出荷します。',
      returnsNote:
        '薬剤の性質上、お客様都合による返品はお受けできません。初期不良・誤配送の場合は商品到着後7日以内にご連絡ください。ロット番号をお知らせいただければ、品質の確認と交換を行います。',
    },
    priceRanks: [
      { code: 'general', name: '一般', rate: 0.8 },
      { code: 'silver', name: 'シルバー', rate: 0.7 },
      { code: 'gold', name: 'ゴールド', rate: 0.62 },
      { code: 'agent', name: '特約店', rate: 0.55 },
    ],
    shipping: {
      flatFeeYen: 990,
      freeOverYen: 15000,
      regionalSurcharges: MAINLAND_SURCHARGES(660, 1320),
      remoteIslandSurchargeYen: 1980,
      codFeeYen: 330,
    },
    bankAccount: {
      bankName: 'なにわ商工銀行',
      branchName: '船場支店',
      accountType: '当座',
      accountNumber: '0555318',
      accountHolder: 'カ）アヤメカケン',
    },
    invoiceTerms: { closingDay: 20, paymentMonthOffset: 1, paymentDay: 31, label: '20日締め翌月末払い' },
    closedOn: ['土曜日', '日曜日', '祝日'],
    closedPeriods: CALENDAR_CLOSURES,
    janCompanyPrefix: '4955531',
    sortOrder: 1,
  }),
  shop({
    slug: 'kiriha-tools',
    kind: 'supplier',
    displayName: '切羽刃物製作所 プロショップ',
    companyName: '株式会社切羽刃物製作所',
    tagline: '一丁ずつ刃付けするシザーと、毎日使う道具の専門メーカー',
    corporateNumberBase: '180001555407',
    legal: {
      seller: '株式会社切羽刃物製作所',
      representative: '代表取締役 切羽 宗一郎',
      postal_code: '460-0008',
      address: '愛知県名古屋市中区栄9丁目8番55号 切羽ビル',
      phone: '052-555-0407',
      email: 'shop@kiriha-hamono.example',
      hours: '平日 9:00〜17:00（土日祝を除く）',
      payments: 'クレジットカード（VISA / Mastercard / JCB / AMEX / Diners）、銀行振込（前払い）、代金引換、掛け払い（審査制）',
      deliveryDays:
        '在庫品は平日13時までのご注文で当日出荷。シザーは検品・刃合わせのうえ2〜3営業日で出荷します。名入れ品は約3週間です。',
      returnsNote:
        '未使用品に限り到着後8日以内に返品を承ります。シザーは試し切り後の返品不可。刃こぼれ等の初期不良は無償で研ぎ直し・交換いたします。名入れ品は返品できません。',
    },
    priceRanks: STANDARD_RANKS,
    shipping: {
      flatFeeYen: 770,
      freeOverYen: 10000,
      regionalSurcharges: MAINLAND_SURCHARGES(440, 990),
      remoteIslandSurchargeYen: 1540,
      codFeeYen: 440,
    },
    bankAccount: {
      bankName: '中部ひのき銀行',
      branchName: '栄町支店',
      accountType: '普通',
      accountNumber: '1555407',
      accountHolder: 'カ）キリハハモノセイサクシヨ',
    },
    invoiceTerms: { closingDay: 25, paymentMonthOffset: 1, paymentDay: 25, label: '25日締め翌月25日払い' },
    closedOn: ['土曜日', '日曜日', '祝日'],
    closedPeriods: CALENDAR_CLOSURES,
    janCompanyPrefix: '4955540',
    sortOrder: 2,
  }),
  shop({
    slug: 'shirotae-towel',
    kind: 'supplier',
    displayName: '白妙タオル 業務用ストア',
    companyName: '白妙タオル株式会社',
    tagline: '吸水・速乾・乾きやすさ。サロンのためのタオルとクロス',
    corporateNumberBase: '120001555623',
    legal: {
      seller: '白妙タオル株式会社',
      representative: '代表取締役 白石 妙子',
      postal_code: '530-0001',
      address: '大阪府大阪市北区梅田9丁目9番55号 梅田テキスタイル館4階',
      phone: '0120-555-623',
      email: 'info@shirotae-towel.example',
      hours: '平日 9:00〜17:30／土曜 10:00〜15:00（日祝を除く）',
      payments: 'クレジットカード（VISA / Mastercard / JCB）、銀行振込（前払い）、代金引換、掛け払い（審査制）',
      deliveryDays: '平日15時・土曜12時までのご注文は当日出荷。ケース単位のご注文は2〜4営業日で出荷します。',
      returnsNote:
        '未開封品に限り到着後8日以内に返品を承ります（送料はお客様負担）。色違い・サイズ違いの交換も承ります。名入れ刺繍品は返品できません。',
    },
    priceRanks: [
      { code: 'general', name: '一般', rate: 0.9 },
      { code: 'silver', name: 'シルバー', rate: 0.8 },
      { code: 'gold', name: 'ゴールド', rate: 0.7 },
      { code: 'agent', name: '特約店', rate: 0.6 },
    ],
    shipping: {
      flatFeeYen: 990,
      freeOverYen: 12000,
      regionalSurcharges: MAINLAND_SURCHARGES(880, 1540),
      remoteIslandSurchargeYen: 2200,
      codFeeYen: 330,
    },
    bankAccount: {
      bankName: 'なにわ商工銀行',
      branchName: '梅田支店',
      accountType: '普通',
      accountNumber: '2555623',
      accountHolder: 'シロタエタオル（カ',
    },
    invoiceTerms: { closingDay: 31, paymentMonthOffset: 1, paymentDay: 31, label: '月末締め翌月末払い' },
    closedOn: ['日曜日', '祝日'],
    closedPeriods: CALENDAR_CLOSURES,
    janCompanyPrefix: '4555562',
    sortOrder: 3,
  }),
  shop({
    slug: 'hanatsume-nail',
    kind: 'supplier',
    displayName: 'ハナツメ ネイルプロ',
    companyName: '株式会社ハナツメコスメティクス',
    tagline: 'サロンワークの持ちとスピードを考えた、国内製造のジェルネイル',
    corporateNumberBase: '011001555784',
    legal: {
      seller: '株式会社ハナツメコスメティクス',
      representative: '代表取締役 花園 つぐみ',
      postal_code: '150-0001',
      address: '東京都渋谷区神宮前9丁目55番5号 ハナツメビル3階',
      phone: '03-5555-0784',
      email: 'pro@hanatsume.example',
      hours: '平日 10:00〜18:00（土日祝を除く）',
      payments: 'クレジットカード（VISA / Mastercard / JCB / AMEX）、銀行振込（前払い）、代金引換',
      deliveryDays: '平日14時までのご注文は当日出荷。新色の予約商品は発売日に出荷します。',
      returnsNote:
        '未開封品に限り到着後8日以内に返品を承ります（送料はお客様負担）。開封済みのジェル・リムーバーは衛生上返品をお受けできません。機器の初期不良は到着後30日以内に交換いたします。',
    },
    priceRanks: [
      { code: 'general', name: '一般', rate: 0.85 },
      { code: 'silver', name: 'シルバー', rate: 0.78 },
      { code: 'gold', name: 'ゴールド', rate: 0.7 },
      { code: 'agent', name: '特約店', rate: 0.6 },
    ],
    shipping: {
      flatFeeYen: 660,
      freeOverYen: 8000,
      regionalSurcharges: MAINLAND_SURCHARGES(440, 880),
      remoteIslandSurchargeYen: 1320,
      codFeeYen: 330,
    },
    bankAccount: {
      bankName: '東都中央銀行',
      branchName: '原宿支店',
      accountType: '普通',
      accountNumber: '3555784',
      accountHolder: 'カ）ハナツメコスメテイクス',
    },
    invoiceTerms: { closingDay: 31, paymentMonthOffset: 1, paymentDay: 31, label: '月末締め翌月末払い' },
    closedOn: ['土曜日', '日曜日', '祝日'],
    closedPeriods: CALENDAR_CLOSURES,
    janCompanyPrefix: '4955578',
    sortOrder: 4,
  }),
  shop({
    slug: 'kaoru-haircare',
    kind: 'supplier',
    displayName: 'KAORU PROFESSIONAL 会員ストア',
    companyName: '株式会社薫粧堂',
    tagline: '植物の香りと補修成分で仕上げる、サロン専売ヘアケア',
    corporateNumberBase: '290001555905',
    legal: {
      seller: '株式会社薫粧堂',
      representative: '代表取締役 香山 直人',
      postal_code: '812-0011',
      address: '福岡県福岡市博多区博多駅前9丁目55番1号',
      phone: '092-555-0905',
      email: 'salon@kunshodo.example',
      hours: '平日 9:00〜18:00（土日祝を除く）',
      payments: 'クレジットカード（VISA / Mastercard / JCB / AMEX）、銀行振込（前払い）、代金引換、掛け払い（審査制）',
      deliveryDays: '平日15時までのご注文は当日出荷、それ以降は翌営業日に出荷します。',
      returnsNote: STANDARD_RETURNS,
    },
    priceRanks: STANDARD_RANKS,
    shipping: {
      flatFeeYen: 880,
      freeOverYen: 11000,
      regionalSurcharges: MAINLAND_SURCHARGES(550, 990),
      remoteIslandSurchargeYen: 1650,
      codFeeYen: 330,
    },
    bankAccount: {
      bankName: '玄海みらい銀行',
      branchName: '博多駅前支店',
      accountType: '普通',
      accountNumber: '4555905',
      accountHolder: 'カ）クンシヨウドウ',
    },
    invoiceTerms: { closingDay: 20, paymentMonthOffset: 1, paymentDay: 20, label: '20日締め翌月20日払い' },
    closedOn: ['土曜日', '日曜日', '祝日'],
    closedPeriods: CALENDAR_CLOSURES,
    janCompanyPrefix: '4595590',
    sortOrder: 5,
  }),
];

export function demoShop(slug: DemoShopSlug): DemoShop {
  const found = DEMO_SHOPS.find((candidate) => candidate.slug === slug);
  if (!found) throw new Error(`unknown demo shop: ${slug}`);
  return found;
}
