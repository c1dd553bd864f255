import type { DemoAssortment, DemoBrand } from '../demo-catalog.ts';
import type { DemoImageKey } from '../demo-images.ts';
import {
  colorShampoos,
  giftSets,
  type HaircareSeries,
  haircareSeries,
  salonTreatmentSystem,
  samplePouches,
  scalpCare,
  stylingRange,
} from '../families/hair-care.families.ts';
import { refreshments } from '../families/refreshments.families.ts';
import type { SeededRandom } from '../seeded-random.ts';

const MAKER = '株式会社薫粧堂';

const BOTANICA: DemoBrand = {
  slug: 'kaoru-botanica',
  name: 'KAORU BOTANICA',
  code: 'KBT',
  maker: MAKER,
  description: '植物由来の洗浄成分と精油の香り。店販で選ばれるデイリーケア。',
};
const PROFESSIONAL: DemoBrand = {
  slug: 'kaoru-professional',
  name: 'KAORU PROFESSIONAL',
  code: 'KPR',
  maker: MAKER,
  description: 'サロンでしか手に入らない、高濃度補修のサロン専売ライン。',
};
const HOMME: DemoBrand = {
  slug: 'kaoru-homme',
  name: 'KAORU HOMME',
  code: 'KHM',
  maker: MAKER,
  description: 'メンズサロン・理容室のためのスカルプケアとスタイリング。',
};
const TEA: DemoBrand = {
  slug: 'kaoru-tea',
  name: '薫粧堂 ティーセレクション',
  code: 'KTE',
  maker: MAKER,
  description: 'ヘッドスパの後にお出しする、香りのよいお茶。',
};

type SeriesRow = [name: string, feel: string, concept: string, ingredient: string, scent: string, image: DemoImageKey, extras: string];

function series(rows: readonly SeriesRow[], professional: boolean): HaircareSeries[] {
  return rows.map(([name, feel, concept, ingredient, scent, image, extras]) => ({
    name,
    feel,
    concept,
    ingredient,
    scent,
    image,
    professional,
    mask: extras.includes('mask'),
    oil: extras.includes('oil'),
    mist: extras.includes('mist'),
  }));
}

const BOTANICA_SERIES = series(
  [
    ['ボタニカル モイスト', 'しっとり', '乾燥して広がる髪に。', 'ツバキ種子油', 'ホワイトフローラル', 'shampoo-pump-rose', 'mask oil'],
    ['ボタニカル スムース', 'さらさら', '細く絡まりやすい髪に。', 'シルクプロテイン', 'グリーンシトラス', 'shampoo-pump-sage', 'mist'],
    ['ボタニカル ボリューム', 'ふんわり', 'ぺたんとしやすい髪に。', 'ローズマリー葉エキス', 'ハーバルミント', 'shampoo-pump-sage', ''],
    ['ボタニカル カラーキープ', 'しっとり', 'カラー後の色落ちが気になる髪に。', 'ヒマワリ種子エキス', 'ローズ＆ゼラニウム', 'shampoo-pump-rose', 'mask'],
    ['ボタニカル センシティブ', 'やわらか', '頭皮が敏感な方に。', 'カモミールエキス', '無香料', 'shampoo-pump-sage', ''],
    ['ボタニカル ユズ', 'さらさら', '冬季限定の香り。', 'ユズ果皮油', 'ユズ', 'shampoo-pump-sage', 'oil'],
    ['ボタニカル サクラ', 'しっとり', '春季限定の香り。', 'サクラ葉エキス', 'サクラ', 'shampoo-pump-rose', 'mist'],
    ['ボタニカル ラベンダーナイト', 'しっとり', '夜のリラックスタイムに。', 'ラベンダー油', 'ラベンダー', 'shampoo-pump-rose', 'oil'],
    ['ボタニカル ホワイトティー', 'さらさら', '軽やかな使い心地。', '白茶エキス', 'ホワイトティー', 'shampoo-pump-sage', ''],
    ['ボタニカル シトラスミント', 'さらさら', '汗ばむ季節のすっきりケアに。', 'ペパーミント油', 'シトラスミント', 'shampoo-pump-sage', ''],
    ['ボタニカル ハニー', 'しっとり', 'パサつく毛先に。', 'ハチミツ', 'ハニーミルク', 'shampoo-pump-rose', 'mask'],
    ['ボタニカル グリーンティー', 'さらさら', 'べたつきやすい髪に。', '緑茶エキス', 'グリーンティー', 'shampoo-pump-sage', ''],
    ['ボタニカル キンモクセイ', 'しっとり', '秋季限定の香り。', 'キンモクセイ花エキス', 'キンモクセイ', 'shampoo-pump-rose', 'oil'],
    ['ボタニカル アンバーウッド', 'しっとり', '落ち着いた香りを楽しみたい方に。', 'アルガンオイル', 'アンバーウッド', 'shampoo-pump-navy', 'oil'],
  ],
  false,
);

const PROFESSIONAL_SERIES = series(
  [
    ['リペアリウム', 'しっとり', 'ハイダメージ毛の集中補修に。', 'ケラチンPPT', 'サボン', 'shampoo-pump-navy', 'mask oil'],
    ['リペアリウム ライト', 'さらさら', '細毛のダメージケアに。', '加水分解シルク', 'サボン', 'shampoo-pump-navy', 'mist'],
    ['シルキーグロス', 'つややか', 'ツヤが欲しい髪に。', 'セラミドNG', 'ピオニー', 'shampoo-pump-rose', 'mask oil'],
    ['クセケア ストレート', 'しっとり', 'うねり・広がりが気になる髪に。', 'γ-ドコサラクトン', 'ジャスミン', 'shampoo-pump-navy', 'mist'],
    ['ハイトーンケア', 'やわらか', 'ブリーチ毛の切れ毛・きしみに。', 'CMC', 'ベルガモット', 'shampoo-pump-rose', 'mask'],
    ['エイジングケア', 'ふんわり', 'ハリ・コシが気になる大人の髪に。', 'ヒト型セラミド', 'イランイラン', 'shampoo-pump-navy', 'oil'],
    ['ウルトラモイスト', 'しっとり', '硬くて広がる多毛に。', 'シアバター', 'バニラムスク', 'shampoo-pump-rose', 'mask'],
    ['プレミアム ブラック', 'しっとり', '白髪やうねりが増えた髪に。', 'ヘマチン', 'ブラックカラント', 'shampoo-pump-navy', 'mask oil'],
    ['ダメージリセット', 'やわらか', '縮毛矯正・パーマを繰り返した髪に。', 'ケラチンPPT', 'サボン', 'shampoo-pump-navy', 'mask'],
    ['ノンシリコン ピュア', 'さらさら', 'シリコンの重さが苦手な方に。', 'ダマスクバラ花水', 'ピュアローズ', 'shampoo-pump-rose', ''],
    ['ヘッドスパ クレンズ', 'さっぱり', 'ヘッドスパメニューのバックバーに。', '炭酸泡', 'ユーカリ', 'shampoo-pump-sage', 'mist'],
    ['アクアフレッシュ', 'さらさら', '汗をかく季節に。', 'ハマメリスエキス', 'アクアマリン', 'shampoo-pump-sage', 'mist'],
  ],
  true,
);

const HOMME_SERIES = series(
  [
    ['オム リフレッシュ', 'さっぱり', '皮脂の多い頭皮に。', 'メントール', 'シトラスウッド', 'shampoo-pump-navy', ''],
    ['オム スカルプ', 'さっぱり', '頭皮環境を整えたい方に。', 'センブリエキス', 'ハーバルミント', 'shampoo-pump-navy', 'mist'],
    ['オム ボリューム', 'ふんわり', 'トップがつぶれやすい髪に。', 'カフェイン', 'シトラスウッド', 'shampoo-pump-navy', ''],
    ['オム グレイケア', 'しっとり', '白髪が気になり始めた方に。', 'ヘマチン', 'ウッディ', 'shampoo-pump-navy', 'mist'],
    ['オム モイスト', 'しっとり', '乾燥しやすいメンズの髪に。', 'ホホバ種子油', 'ウッディ', 'shampoo-pump-navy', ''],
  ],
  false,
);

export function kaoruHaircareAssortment(rng: SeededRandom): DemoAssortment {
  const retail = [...BOTANICA_SERIES, ...HOMME_SERIES].map((s) => s.name);
  const salonOnly = PROFESSIONAL_SERIES.map((s) => s.name);
  return {
    brands: [BOTANICA, PROFESSIONAL, HOMME, TEA],
    drafts: [
      ...BOTANICA_SERIES.flatMap((s) => haircareSeries(rng, BOTANICA, s)),
      ...PROFESSIONAL_SERIES.flatMap((s) => haircareSeries(rng, PROFESSIONAL, s)),
      ...HOMME_SERIES.flatMap((s) => haircareSeries(rng, HOMME, s)),
      ...colorShampoos(rng, PROFESSIONAL, 'KAORU PROFESSIONAL'),
      ...salonTreatmentSystem(rng, PROFESSIONAL, 'リペアリウム システムトリートメント'),
      ...salonTreatmentSystem(rng, PROFESSIONAL, 'シルキーグロス 酸熱トリートメント'),
      ...salonTreatmentSystem(rng, PROFESSIONAL, 'ハイトーンケア ブリーチ前後処理'),
      ...scalpCare(rng, PROFESSIONAL, 'KAORU PROFESSIONAL ヘッドスパ', true),
      ...scalpCare(rng, BOTANICA, 'ボタニカル スキャルプ', false),
      ...scalpCare(rng, HOMME, 'オム', false),
      ...stylingRange(rng, BOTANICA, 'ボタニカル', [2, 4, 6]),
      ...stylingRange(rng, PROFESSIONAL, 'KAORU デザイン', [1, 3, 5, 7, 9]),
      ...stylingRange(rng, HOMME, 'オム', [4, 6, 8, 10]),
      ...colorShampoos(rng, BOTANICA, 'ボタニカル', 4),
      ...salonTreatmentSystem(rng, PROFESSIONAL, 'ダメージリセット 髪質改善トリートメント'),
      ...samplePouches(rng, BOTANICA, retail, false),
      ...samplePouches(rng, PROFESSIONAL, salonOnly, true),
      ...giftSets(rng, BOTANICA, retail),
      ...refreshments(rng, TEA, 4),
    ],
  };
}
