/**
 * The product illustrations prepared in the repository (static/demo/<key>.webp), shared by the
 * catalog (which points products at them) and scripts/make-demo-images.ts (which draws them).
 */

export type DemoImageShape =
  | 'pump-bottle'
  | 'bottle'
  | 'refill-pouch'
  | 'jar'
  | 'tube'
  | 'dropper-bottle'
  | 'spray-bottle'
  | 'colour-box'
  | 'oxidant-bottle'
  | 'powder-bag'
  | 'tint-bowl'
  | 'perm-bottle'
  | 'perm-rods'
  | 'scissors'
  | 'thinning-scissors'
  | 'comb'
  | 'tail-comb'
  | 'round-brush'
  | 'paddle-brush'
  | 'dryer'
  | 'flat-iron'
  | 'curling-iron'
  | 'clips'
  | 'towel-stack'
  | 'cape'
  | 'apron'
  | 'gel-pot'
  | 'nail-bottle'
  | 'nail-file'
  | 'nail-lamp'
  | 'tea-box'
  | 'coffee-box';

export interface DemoImageSpec {
  key: string;
  shape: DemoImageShape;
  /** Printed under the illustration, so a buyer sees what kind of product it is. */
  caption: string;
  /** Main body colour of the product. */
  color: string;
  /** Accent colour (cap, label band, handle). */
  accent: string;
  /** Soft backdrop behind the product. */
  backdrop: string;
  /** A short mark printed on the product itself (1剤 / 2剤). */
  mark?: string;
}

export const DEMO_IMAGES = [
  // hair care
  { key: 'shampoo-pump-rose', shape: 'pump-bottle', caption: 'シャンプー', color: '#e9c6c2', accent: '#9c5a58', backdrop: '#fbf1ef' },
  { key: 'shampoo-pump-sage', shape: 'pump-bottle', caption: 'シャンプー', color: '#c9d8c5', accent: '#55705a', backdrop: '#f1f6ef' },
  { key: 'shampoo-pump-navy', shape: 'pump-bottle', caption: 'シャンプー', color: '#2f3f5c', accent: '#c7a86b', backdrop: '#eef1f6' },
  { key: 'treatment-pump-cream', shape: 'pump-bottle', caption: 'トリートメント', color: '#f1e6d2', accent: '#a88a5c', backdrop: '#faf6ee' },
  { key: 'refill-pouch', shape: 'refill-pouch', caption: '詰替用', color: '#dfe7ee', accent: '#4f6b84', backdrop: '#f2f6f9' },
  { key: 'treatment-jar', shape: 'jar', caption: 'ヘアマスク', color: '#f4ece4', accent: '#b08a6e', backdrop: '#fbf6f1' },
  { key: 'treatment-tube', shape: 'tube', caption: 'トリートメント', color: '#eadcf0', accent: '#7e5a92', backdrop: '#f7f2f9' },
  { key: 'hair-oil', shape: 'dropper-bottle', caption: 'ヘアオイル', color: '#d8a24a', accent: '#3d3a36', backdrop: '#fbf3e6' },
  { key: 'hair-mist', shape: 'spray-bottle', caption: 'ヘアミスト', color: '#cfe3e6', accent: '#3f7780', backdrop: '#eff7f8' },
  { key: 'scalp-serum', shape: 'dropper-bottle', caption: 'スキャルプ', color: '#b9d3c0', accent: '#2f5d45', backdrop: '#eef6f0' },
  { key: 'styling-wax', shape: 'jar', caption: 'ワックス', color: '#3b3b3b', accent: '#c9a46a', backdrop: '#f3f1ee' },
  { key: 'styling-spray', shape: 'spray-bottle', caption: 'スプレー', color: '#5b6475', accent: '#e2e4ea', backdrop: '#f1f2f5' },
  { key: 'color-shampoo', shape: 'bottle', caption: 'カラーシャンプー', color: '#a78cc7', accent: '#4c3a66', backdrop: '#f4f0f9' },
  // colour
  { key: 'color-box-brown', shape: 'colour-box', caption: 'ヘアカラー 1剤', color: '#8a5a3c', accent: '#f3e9df', backdrop: '#f8f1ea' },
  { key: 'color-box-ash', shape: 'colour-box', caption: 'ヘアカラー 1剤', color: '#8e969c', accent: '#f1f3f4', backdrop: '#f1f3f5' },
  { key: 'color-box-pink', shape: 'colour-box', caption: 'ヘアカラー 1剤', color: '#d58aa0', accent: '#fbeff3', backdrop: '#fcf2f5' },
  { key: 'color-box-violet', shape: 'colour-box', caption: 'ヘアカラー 1剤', color: '#7f6aa6', accent: '#f1edf8', backdrop: '#f4f1f9' },
  { key: 'color-box-vivid', shape: 'colour-box', caption: 'ヘアカラー 1剤', color: '#e0703f', accent: '#fff1e8', backdrop: '#fdf2ec' },
  { key: 'color-box-grey', shape: 'colour-box', caption: 'グレイカラー', color: '#5e5149', accent: '#efe6dc', backdrop: '#f5f0eb' },
  { key: 'oxidant-bottle', shape: 'oxidant-bottle', caption: 'オキシ 2剤', color: '#f4f6f8', accent: '#3a6ea5', backdrop: '#eef3f8', mark: '2' },
  { key: 'bleach-powder', shape: 'powder-bag', caption: 'ブリーチ', color: '#eef0f5', accent: '#5a63a8', backdrop: '#f1f2f9' },
  { key: 'tint-bowl', shape: 'tint-bowl', caption: 'カラー用品', color: '#3c3c3c', accent: '#d9d9d9', backdrop: '#f3f3f3' },
  // perm
  { key: 'perm-lotion-1', shape: 'perm-bottle', caption: 'パーマ液 1剤', color: '#f2f2ee', accent: '#2e7d6b', backdrop: '#eef6f3', mark: '1' },
  { key: 'perm-lotion-2', shape: 'perm-bottle', caption: 'パーマ液 2剤', color: '#f2f2ee', accent: '#c2573c', backdrop: '#f9efeb', mark: '2' },
  { key: 'straightener-cream', shape: 'tube', caption: '縮毛矯正剤', color: '#f3f3f6', accent: '#3e4f88', backdrop: '#eff1f8' },
  { key: 'perm-rods', shape: 'perm-rods', caption: 'パーマ用品', color: '#e58fa1', accent: '#6fb3c9', backdrop: '#f7f2f4' },
  // tools
  { key: 'scissors-silver', shape: 'scissors', caption: 'シザー', color: '#b8bec6', accent: '#3a3f46', backdrop: '#f0f2f4' },
  { key: 'scissors-gold', shape: 'scissors', caption: 'シザー', color: '#cbb27a', accent: '#2f2a22', backdrop: '#f7f3ea' },
  { key: 'scissors-black', shape: 'scissors', caption: 'シザー', color: '#4a4d52', accent: '#b99b61', backdrop: '#eeeeef' },
  { key: 'thinning-scissors', shape: 'thinning-scissors', caption: 'セニング', color: '#b8bec6', accent: '#3a3f46', backdrop: '#f0f2f4' },
  { key: 'comb-cut', shape: 'comb', caption: 'カットコーム', color: '#2d2d2d', accent: '#2d2d2d', backdrop: '#f2f1ef' },
  { key: 'comb-wood', shape: 'comb', caption: 'つげコーム', color: '#d6ad6a', accent: '#a97f3f', backdrop: '#f9f3e8' },
  { key: 'comb-tail', shape: 'tail-comb', caption: 'テールコーム', color: '#474b53', accent: '#474b53', backdrop: '#f0f1f3' },
  { key: 'brush-round', shape: 'round-brush', caption: 'ロールブラシ', color: '#8c5f3c', accent: '#2b2b2b', backdrop: '#f6f0ea' },
  { key: 'brush-paddle', shape: 'paddle-brush', caption: 'ブラシ', color: '#2f2f33', accent: '#c7a86b', backdrop: '#f1f0ee' },
  { key: 'dryer-white', shape: 'dryer', caption: 'ドライヤー', color: '#f5f5f3', accent: '#8f98a3', backdrop: '#eef1f4' },
  { key: 'dryer-black', shape: 'dryer', caption: 'ドライヤー', color: '#303236', accent: '#c9a46a', backdrop: '#efefef' },
  { key: 'iron-straight', shape: 'flat-iron', caption: 'ストレートアイロン', color: '#3a3c40', accent: '#d8a7a0', backdrop: '#f4efee' },
  { key: 'iron-curl', shape: 'curling-iron', caption: 'カールアイロン', color: '#3a3c40', accent: '#c9a46a', backdrop: '#f4f1ec' },
  { key: 'hair-clips', shape: 'clips', caption: 'ダッカール', color: '#3c3f45', accent: '#e2a1a8', backdrop: '#f3f0f1' },
  // towels and cloths
  { key: 'towel-white', shape: 'towel-stack', caption: 'タオル', color: '#fbfbf9', accent: '#dcdad3', backdrop: '#eef0ee' },
  { key: 'towel-brown', shape: 'towel-stack', caption: 'タオル', color: '#8b6a52', accent: '#6c503c', backdrop: '#f5efe9' },
  { key: 'towel-grey', shape: 'towel-stack', caption: 'タオル', color: '#a9adb1', accent: '#8a8e93', backdrop: '#f0f2f3' },
  { key: 'towel-pastel', shape: 'towel-stack', caption: 'タオル', color: '#e8c9cf', accent: '#c9d8e4', backdrop: '#f8f2f3' },
  { key: 'cut-cloth', shape: 'cape', caption: 'カットクロス', color: '#2f3440', accent: '#c9ccd3', backdrop: '#eff0f3' },
  { key: 'shampoo-cloth', shape: 'cape', caption: 'シャンプークロス', color: '#9fc3d3', accent: '#ffffff', backdrop: '#eef5f8' },
  { key: 'apron', shape: 'apron', caption: 'エプロン', color: '#6d6a63', accent: '#c9b79c', backdrop: '#f3f1ed' },
  // nail
  { key: 'gel-pink', shape: 'gel-pot', caption: 'カラージェル', color: '#ef9fb4', accent: '#3a3a3a', backdrop: '#fcf1f4' },
  { key: 'gel-red', shape: 'gel-pot', caption: 'カラージェル', color: '#b8283b', accent: '#3a3a3a', backdrop: '#f9eeef' },
  { key: 'gel-nude', shape: 'gel-pot', caption: 'カラージェル', color: '#d9b49a', accent: '#3a3a3a', backdrop: '#faf4ef' },
  { key: 'gel-blue', shape: 'gel-pot', caption: 'カラージェル', color: '#6f92c8', accent: '#3a3a3a', backdrop: '#eff3fa' },
  { key: 'gel-clear', shape: 'gel-pot', caption: 'クリアジェル', color: '#e6eef2', accent: '#c7a86b', backdrop: '#f2f5f7' },
  { key: 'nail-base', shape: 'nail-bottle', caption: 'ベースジェル', color: '#f3dbe0', accent: '#3a3a3a', backdrop: '#fbf2f4' },
  { key: 'nail-top', shape: 'nail-bottle', caption: 'トップジェル', color: '#e9eef2', accent: '#c7a86b', backdrop: '#f1f4f6' },
  { key: 'nail-remover', shape: 'bottle', caption: 'リムーバー', color: '#d9ecf2', accent: '#3f7fa0', backdrop: '#eef6f9' },
  { key: 'nail-file', shape: 'nail-file', caption: 'ファイル', color: '#3a3a3a', accent: '#f0a3b5', backdrop: '#f6f1f3' },
  { key: 'nail-lamp', shape: 'nail-lamp', caption: 'LEDライト', color: '#fafafa', accent: '#b9a0d8', backdrop: '#f3f1f8' },
  // waiting-room refreshments (reduced tax rate)
  { key: 'herb-tea', shape: 'tea-box', caption: 'ハーブティー', color: '#a9c49a', accent: '#4f6b3f', backdrop: '#f1f6ee' },
  { key: 'drip-coffee', shape: 'coffee-box', caption: 'ドリップコーヒー', color: '#6b4a35', accent: '#e6d3bd', backdrop: '#f6f0ea' },
] as const satisfies readonly DemoImageSpec[];

export type DemoImageKey = (typeof DEMO_IMAGES)[number]['key'];

export const DEMO_IMAGE_DIR = 'static/demo';

export function demoImagePath(key: DemoImageKey): string {
  return `${DEMO_IMAGE_DIR}/${key}.webp`;
}
