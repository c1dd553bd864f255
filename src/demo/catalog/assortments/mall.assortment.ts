import type { DemoAssortment, DemoBrand } from '../demo-catalog.ts';
import {
  bleaches,
  colorCreams,
  colorSupplies,
  FASHION_SHADES,
  GRAY_SHADES,
  oxidants,
  permLotions,
  permSupplies,
  straighteners,
} from '../families/color-perm.families.ts';
import { colorShampoos, haircareSeries, scalpCare, stylingRange } from '../families/hair-care.families.ts';
import { aprons, capes, cutCloths, disposables, shampooCloths, TOWEL_COLORS, towels } from '../families/linen.families.ts';
import { baseTopGels, colorGels, nailFiles, nailRemovers, nailTools } from '../families/nail.families.ts';
import { refreshments } from '../families/refreshments.families.ts';
import { brushes, combs, cutScissors, dryers, irons, thinningScissors, toolAccessories } from '../families/tools.families.ts';
import type { SeededRandom } from '../seeded-random.ts';

/** The operator's mall carries its own private label and a handful of other (fictional) makers. */
const SELECT: DemoBrand = {
  slug: 'minase-select',
  name: 'ミナセセレクト',
  code: 'MNS',
  maker: '株式会社ミナセ商事',
  description: 'ミナセ商事のプライベートブランド。毎日使う消耗品をお求めやすく。',
};
const SOIREE: DemoBrand = {
  slug: 'soiree-luxe',
  name: 'ソワレリュクス',
  code: 'SWL',
  maker: '株式会社ソワレ化粧品',
  description: '香りで選ぶサロン専売ヘアケア。',
};
const TOWA: DemoBrand = {
  slug: 'towa-color',
  name: 'トワカラー',
  code: 'TWC',
  maker: '東和化学工業株式会社',
  description: '染まりの確かさで選ばれるロングセラーのカラー・パーマ剤。',
};
const SHINJIN: DemoBrand = {
  slug: 'shinjin',
  name: '信刃',
  code: 'SJN',
  maker: '有限会社信刃工房',
  description: '手頃な価格で本格的な切れ味のシザーと道具。',
};
const PETIA: DemoBrand = {
  slug: 'petia-nail',
  name: 'ペティアネイル',
  code: 'PTA',
  maker: '株式会社ペティア',
  description: 'サロンの定番色をそろえたジェルネイル。',
};

export function mallAssortment(rng: SeededRandom): DemoAssortment {
  return {
    brands: [SELECT, SOIREE, TOWA, SHINJIN, PETIA],
    drafts: [
      // hair care
      ...haircareSeries(rng, SOIREE, { name: 'ソワレ ローズ', feel: 'しっとり', concept: '乾燥毛に。', ingredient: 'ローズヒップ油', scent: 'ダマスクローズ', image: 'shampoo-pump-rose', professional: true, mask: true, oil: true }),
      ...haircareSeries(rng, SOIREE, { name: 'ソワレ ネロリ', feel: 'さらさら', concept: '軟毛に。', ingredient: '加水分解シルク', scent: 'ネロリ', image: 'shampoo-pump-sage', professional: true, mist: true }),
      ...haircareSeries(rng, SOIREE, { name: 'ソワレ ウード', feel: 'つややか', concept: 'ツヤが欲しい髪に。', ingredient: 'アルガンオイル', scent: 'ウード＆アンバー', image: 'shampoo-pump-navy', professional: true, mask: true, oil: true }),
      ...haircareSeries(rng, SOIREE, { name: 'ソワレ ミュゲ', feel: 'ふんわり', concept: 'ボリュームが欲しい髪に。', ingredient: 'ケラチンPPT', scent: 'ミュゲ', image: 'shampoo-pump-rose', professional: true }),
      ...haircareSeries(rng, SELECT, { name: 'ミナセセレクト バックバー', feel: 'さらさら', concept: 'シャンプー台での業務用に。', ingredient: 'アミノ酸系洗浄成分', scent: 'ほのかなグリーン', image: 'shampoo-pump-sage', professional: false }),
      ...haircareSeries(rng, SELECT, { name: 'ミナセセレクト モイスト', feel: 'しっとり', concept: '業務用のコストを抑えたい方に。', ingredient: 'セラミド', scent: 'フローラル', image: 'shampoo-pump-rose', professional: false }),
      ...colorShampoos(rng, SOIREE, 'ソワレ', 4),
      ...scalpCare(rng, SOIREE, 'ソワレ ヘッドスパ', true),
      ...stylingRange(rng, SELECT, 'ミナセセレクト', [3, 5, 7]),
      // colour and perm
      ...colorCreams(rng, TOWA, 'トワカラー', FASHION_SHADES.slice(0, 6), [6, 7, 8, 9, 10, 11]),
      ...colorCreams(rng, TOWA, 'トワカラー グレイ', GRAY_SHADES.slice(0, 4), [4, 5, 6, 7, 8], { gray: true }),
      ...oxidants(rng, TOWA, 'トワカラー'),
      ...bleaches(rng, TOWA, 'トワ'),
      ...colorSupplies(rng, SELECT),
      ...permLotions(rng, TOWA, 'トワ ウェーブ', ['システイン', 'チオグリコール酸']),
      ...straighteners(rng, TOWA, 'トワ'),
      ...permSupplies(rng, SELECT, [8, 10, 12, 14, 16, 18, 20, 22]),
      // tools
      ...cutScissors(rng, SHINJIN, [
        { name: '信刃 スタンダード カットシザー', steel: 'ステンレス刃物鋼', feature: '初めての一丁に', image: 'scissors-silver', sizes: ['5.5', '6.0'], priceMin: 20000, priceMax: 24000, lefty: true },
        { name: '信刃 プロ カットシザー', steel: '高硬度ステンレス', feature: '切れ味が長持ち', image: 'scissors-black', sizes: ['5.5', '6.0', '6.5'], priceMin: 28000, priceMax: 36000 },
        { name: '信刃 プロ ストロークシザー', steel: '高硬度ステンレス', feature: 'スライドカットに', image: 'scissors-black', sizes: ['6.0', '6.5'], priceMin: 30000, priceMax: 38000 },
        { name: '信刃 極 カットシザー', steel: 'コバルト基合金', feature: 'フラッグシップモデル', image: 'scissors-gold', sizes: ['5.5', '6.0', '6.5'], priceMin: 48000, priceMax: 58000 },
      ]),
      ...thinningScissors(rng, SHINJIN, [
        { name: '信刃 セニング', teeth: 30, cutRate: '15%', feature: '質感調整に', priceMin: 25000, priceMax: 30000 },
        { name: '信刃 セニング', teeth: 25, cutRate: '30%', feature: '量感調整に', priceMin: 25000, priceMax: 30000 },
        { name: '信刃 プロ セニング', teeth: 30, cutRate: '20%', feature: '万能タイプ', priceMin: 32000, priceMax: 40000 },
      ]),
      ...combs(rng, SHINJIN, '信刃', [
        { number: '1', kind: 'カットコーム', lengthMm: 180, material: 'カーボン樹脂', image: 'comb-cut', priceMin: 500, priceMax: 900 },
        { number: '2', kind: 'ワイドカットコーム', lengthMm: 210, material: 'カーボン樹脂', image: 'comb-cut', priceMin: 600, priceMax: 1000 },
        { number: '3', kind: 'メンズカットコーム', lengthMm: 195, material: '耐熱ナイロン', image: 'comb-cut', priceMin: 500, priceMax: 900 },
        { number: '5', kind: 'テールコーム', lengthMm: 215, material: 'カーボン樹脂', image: 'comb-tail', priceMin: 400, priceMax: 800 },
        { number: '8', kind: 'つげ 解かし櫛', lengthMm: 160, material: 'つげ', image: 'comb-wood', priceMin: 1800, priceMax: 2400 },
      ]),
      ...brushes(rng, SELECT, 'ミナセセレクト'),
      ...dryers(rng, SELECT, [
        { name: 'ミナセセレクト サロンドライヤー 1200', watts: 1200, feature: 'コストを抑えた業務用', colors: ['ホワイト', 'ブラック'], priceMin: 12000, priceMax: 14000 },
        { name: 'ミナセセレクト サロンドライヤー 1500', watts: 1500, feature: '大風量モデル', colors: ['ブラック'], priceMin: 16000, priceMax: 19000 },
      ]),
      ...irons(rng, SELECT, 'ミナセセレクト'),
      ...toolAccessories(rng, SELECT),
      // towels and cloths
      ...towels(rng, SELECT, 'ミナセセレクト', [
        { name: 'フェイスタオル 220匁', size: '34×85cm', weight: '220匁', feature: '業務用の定番', priceMin: 3000, priceMax: 3600 },
        { name: 'カラー対応タオル', size: '34×85cm', weight: '240匁', feature: 'カラー剤が目立ちにくい濃色', priceMin: 3400, priceMax: 4400 },
      ], TOWEL_COLORS.slice(0, 8)),
      ...cutCloths(rng, SELECT, [
        { name: 'ミナセセレクト カットクロス', size: '130×150cm', feature: '軽くて乾きやすい', colors: ['ブラック', 'ネイビー', 'グレー'], priceMin: 2000, priceMax: 2600 },
        { name: 'ミナセセレクト カットクロス 袖付き', size: '140×150cm', feature: '袖付きで快適', colors: ['ブラック'], priceMin: 3400, priceMax: 4200 },
      ]),
      ...shampooCloths(rng, SELECT, [
        { name: 'ミナセセレクト シャンプークロス', size: '90×110cm', feature: '撥水加工', colors: ['ブラック', 'ベージュ'], priceMin: 1200, priceMax: 1600 },
      ]),
      ...capes(rng, SELECT, [
        { name: 'ミナセセレクト カラーケープ', size: '130×150cm', feature: '薬剤をはじくコーティング', colors: ['ブラック', 'ブラウン'], priceMin: 2200, priceMax: 2800 },
      ]),
      ...aprons(rng, SELECT, [
        { name: 'ミナセセレクト ロングエプロン', size: 'フリー', feature: '撥水加工', colors: ['ブラック', 'カーキ'], priceMin: 2800, priceMax: 3600 },
      ]),
      ...disposables(rng, SELECT),
      // nail
      ...colorGels(rng, PETIA, 'ペティアジェル', ['クリーム'], 30),
      ...baseTopGels(rng, PETIA, 'ペティア'),
      ...nailRemovers(rng, SELECT, 'ミナセセレクト'),
      ...nailFiles(rng, SELECT, 'ミナセセレクト'),
      ...nailTools(rng, PETIA, 'ペティア'),
      // waiting room
      ...refreshments(rng, SELECT),
    ],
  };
}
