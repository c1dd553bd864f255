/**
 * The two-level category tree every demo shop draws from. A shop shows only the branches its
 * products use, in this order.
 */

export interface DemoCategoryDef {
  slug: string;
  name: string;
  /** Two letters used inside product codes (e.g. SH in KAO-SH-0012). */
  code: string;
}

export interface DemoCategoryGroup extends DemoCategoryDef {
  children: DemoCategoryDef[];
}

export const CATEGORY_TREE: readonly DemoCategoryGroup[] = [
  {
    slug: 'hair-care',
    name: 'ヘアケア',
    code: 'HC',
    children: [
      { slug: 'shampoo', name: 'シャンプー', code: 'SH' },
      { slug: 'treatment', name: 'トリートメント', code: 'TR' },
      { slug: 'out-bath', name: 'アウトバストリートメント', code: 'OB' },
      { slug: 'salon-treatment', name: 'サロントリートメント', code: 'ST' },
      { slug: 'scalp-care', name: 'スキャルプケア・ヘッドスパ', code: 'SC' },
      { slug: 'styling', name: 'スタイリング剤', code: 'SY' },
    ],
  },
  {
    slug: 'hair-color',
    name: 'ヘアカラー',
    code: 'CL',
    children: [
      { slug: 'color-cream', name: 'ヘアカラー剤（1剤）', code: 'C1' },
      { slug: 'gray-color', name: 'グレイカラー（白髪染め・1剤）', code: 'GC' },
      { slug: 'oxidant', name: 'オキシ（2剤）', code: 'OX' },
      { slug: 'bleach', name: 'ブリーチ・ライトナー', code: 'BL' },
      { slug: 'color-supplies', name: 'カラー周辺用品', code: 'CS' },
    ],
  },
  {
    slug: 'perm',
    name: 'パーマ・縮毛矯正',
    code: 'PM',
    children: [
      { slug: 'perm-lotion-1', name: 'パーマ液 1剤', code: 'P1' },
      { slug: 'perm-lotion-2', name: 'パーマ液 2剤', code: 'P2' },
      { slug: 'straightening', name: '縮毛矯正剤', code: 'SS' },
      { slug: 'perm-supplies', name: 'パーマ用品', code: 'PS' },
    ],
  },
  {
    slug: 'tools',
    name: '理美容器具',
    code: 'TL',
    children: [
      { slug: 'scissors', name: 'シザー', code: 'SZ' },
      { slug: 'thinning', name: 'セニングシザー', code: 'TH' },
      { slug: 'comb', name: 'コーム', code: 'CB' },
      { slug: 'brush', name: 'ブラシ', code: 'BR' },
      { slug: 'dryer', name: 'ドライヤー', code: 'DR' },
      { slug: 'iron', name: 'ヘアアイロン', code: 'IR' },
      { slug: 'tool-accessories', name: 'クリップ・小物', code: 'AC' },
    ],
  },
  {
    slug: 'linen',
    name: 'タオル・クロス',
    code: 'LN',
    children: [
      { slug: 'towel', name: 'タオル', code: 'TW' },
      { slug: 'cut-cloth', name: 'カットクロス', code: 'CC' },
      { slug: 'shampoo-cloth', name: 'シャンプークロス', code: 'SP' },
      { slug: 'cape', name: 'カラー・パーマケープ', code: 'CP' },
      { slug: 'apron', name: 'エプロン・ユニフォーム', code: 'AP' },
      { slug: 'disposables', name: 'ネックペーパー・使い捨て用品', code: 'DS' },
    ],
  },
  {
    slug: 'nail',
    name: 'ネイル',
    code: 'NL',
    children: [
      { slug: 'color-gel', name: 'カラージェル', code: 'NG' },
      { slug: 'base-top', name: 'ベース・トップジェル', code: 'BT' },
      { slug: 'remover', name: 'リムーバー・クリーナー', code: 'RM' },
      { slug: 'nail-file', name: 'ファイル・バッファー', code: 'NF' },
      { slug: 'nail-tools', name: 'ネイル機器・ブラシ', code: 'NT' },
    ],
  },
  {
    slug: 'salon-goods',
    name: 'サロン用品',
    code: 'SG',
    children: [{ slug: 'refreshments', name: '待合室のお飲み物', code: 'RF' }],
  },
];
