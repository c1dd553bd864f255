import type { DemoAssortment, DemoBrand } from '../demo-catalog.ts';
import {
  aprons,
  type ClothModel,
  capes,
  cutCloths,
  disposables,
  shampooCloths,
  TOWEL_COLORS,
  type TowelType,
  towels,
} from '../families/linen.families.ts';
import type { SeededRandom } from '../seeded-random.ts';

const MAKER = '白妙タオル株式会社';

const SHIROTAE: DemoBrand = {
  slug: 'shirotae',
  name: '白妙',
  code: 'SRT',
  maker: MAKER,
  description: '綿100%、サロンの毎日の洗濯に耐える業務用タオル。',
};
const DRYFEEL: DemoBrand = {
  slug: 'dryfeel',
  name: 'ドライフィール',
  code: 'DRF',
  maker: MAKER,
  description: '乾きやすさを追求したマイクロファイバーと速乾パイル。',
};
const CLOTHMATE: DemoBrand = {
  slug: 'clothmate',
  name: 'クロスメイト',
  code: 'CLM',
  maker: MAKER,
  description: 'カットクロス・シャンプークロス・ケープ・エプロン。',
};

type ClothRow = [name: string, size: string, feature: string, colors: string[], priceMin: number, priceMax: number];

function clothModels(prefix: string, rows: readonly ClothRow[]): ClothModel[] {
  return rows.map(([name, size, feature, colors, priceMin, priceMax]) => ({
    name: `${prefix}${name}`,
    size,
    feature,
    colors,
    priceMin,
    priceMax,
  }));
}

const COTTON_TYPES: readonly TowelType[] = [
  { name: 'フェイスタオル 220匁', size: '34×85cm', weight: '220匁', feature: '薄手で乾きやすい、シャンプー台の定番', priceMin: 3000, priceMax: 3800 },
  { name: 'フェイスタオル 260匁', size: '34×85cm', weight: '260匁', feature: 'ほどよい厚みで吸水性の高いスタンダード', priceMin: 3600, priceMax: 4600 },
  { name: 'フェイスタオル 300匁 ホテル仕様', size: '34×85cm', weight: '300匁', feature: 'ふっくらと厚手、ヘッドスパや高級店に', priceMin: 4600, priceMax: 6000 },
  { name: 'スリムタオル', size: '28×100cm', weight: '200匁', feature: '首に巻きやすい細長タイプ', priceMin: 3200, priceMax: 4200 },
  { name: 'カラー対応タオル', size: '34×85cm', weight: '240匁', feature: 'カラー剤がついても目立ちにくい濃色染め', priceMin: 3600, priceMax: 4800 },
  { name: 'フェイスタオル 240匁', size: '34×85cm', weight: '240匁', feature: '吸水性と乾きやすさのバランスがよい中厚手', priceMin: 3400, priceMax: 4200 },
  { name: 'ロングフェイスタオル', size: '34×100cm', weight: '280匁', feature: '首に巻いてもずれにくい長め丈', priceMin: 4200, priceMax: 5400 },
  { name: 'ウォッシュタオル', size: '34×35cm', weight: '60匁', feature: '蒸しタオル・フェイシャルに使いやすい小判', priceMin: 1500, priceMax: 2400 },
  { name: 'ネイルタオル', size: '30×40cm', weight: '70匁', feature: 'ネイルテーブルに敷きやすい、毛羽の少ないタオル', priceMin: 1800, priceMax: 2600 },
  { name: 'ハンドタオル', size: '34×35cm', weight: '80匁', feature: '受付・ネイル・シャンプー台まわりの小物拭きに', priceMin: 1800, priceMax: 2800 },
];
const QUICK_TYPES: readonly TowelType[] = [
  { name: 'マイクロファイバータオル', size: '34×80cm', weight: '約100g', feature: '綿の約3倍の吸水力でドライ時間を短縮', priceMin: 4200, priceMax: 5800 },
  { name: '速乾パイルタオル', size: '34×85cm', weight: '200匁', feature: '撚りの甘い糸で乾燥機の時間を短縮', priceMin: 3600, priceMax: 4800 },
  { name: 'ヘアドライタオル', size: '40×90cm', weight: '約120g', feature: 'ロングヘアも包める大きめサイズ', priceMin: 4800, priceMax: 6000 },
  { name: 'スパ用バスタオル', size: '60×120cm', weight: '600匁', feature: 'ヘッドスパ・エステのベッドに', priceMin: 9000, priceMax: 12000 },
  { name: 'ターバンタオル', size: '25×60cm', weight: '約60g', feature: 'ボタン留めで前髪をしっかり押さえる', priceMin: 3000, priceMax: 4200 },
];

const CUT_CLOTH_MODELS = clothModels('クロスメイト カットクロス ', [
  ['スタンダード', '130×150cm', '軽くてしわになりにくい定番クロス', ['ブラック', 'ネイビー', 'グレー', 'ホワイト'], 2200, 3200],
  ['ロング', '140×170cm', 'ひざ下まで覆うロング丈', ['ブラック', 'ネイビー', 'ボルドー'], 2800, 3800],
  ['袖付き', '140×150cm', '腕を出してスマートフォンが操作できる袖付き', ['ブラック', 'グレー'], 3800, 5200],
  ['撥水ストレッチ', '130×150cm', 'ストレッチ素材で首まわりの毛の侵入を防ぐ', ['ブラック', 'チャコール', 'ネイビー'], 3600, 4800],
  ['メッシュ', '130×150cm', '夏でも蒸れにくいメッシュ素材', ['ブラック', 'ホワイト'], 3000, 4200],
  ['キッズ', '90×100cm', '子ども用の小さめサイズ、恐竜柄', ['ブルー', 'ピンク', 'イエロー'], 2000, 2800],
  ['ストライプ', '130×150cm', '細いストライプ柄で毛くずが目立ちにくい', ['ブラック×グレー', 'ネイビー×ホワイト'], 2600, 3600],
  ['ドット', '130×150cm', '小さなドット柄のやさしい印象のクロス', ['ブラック', 'ベージュ'], 2600, 3600],
  ['バーバー', '140×160cm', 'マグネット留めでメンズサロン・理容室向け', ['ブラック', 'ネイビー', 'ストライプ'], 3200, 4600],
  ['ヘビーデューティ', '140×160cm', '厚手で丈夫、静電気の起きにくい素材', ['ブラック', 'グレー'], 4200, 6000],
  ['ビニール', '130×150cm', '水や薬剤をはじく軽量ビニール', ['クリア', 'スモーク'], 1200, 2000],
  ['リネン風', '130×150cm', 'ナチュラルな風合いのリネンライク素材', ['ベージュ', 'カーキ', 'グレー'], 3000, 4200],
]);

const SHAMPOO_CLOTH_MODELS = clothModels('クロスメイト シャンプークロス ', [
  ['スタンダード', '90×110cm', '首元から胸まで覆う、定番のシャンプークロス', ['ブラック', 'ネイビー', 'ホワイト', 'ベージュ'], 1200, 1800],
  ['ロング', '100×130cm', '座ったまま膝まで覆える長め丈', ['ブラック', 'グレー'], 1600, 2400],
  ['撥水ストレッチ', '90×110cm', '首まわりのフィット感と撥水性', ['ブラック', 'ネイビー'], 1800, 2600],
  ['ポンチョ型', '80×90cm', 'かぶるだけで装着できるポンチョ型', ['ブラック', 'グレージュ'], 1600, 2400],
  ['パイル付き', '90×110cm', '首元にパイル地を縫い付け、水が伝いにくい', ['ブラウン', 'グレー'], 2200, 3000],
  ['キッズ', '70×80cm', '子ども用の小さめサイズ', ['ブルー', 'ピンク'], 1200, 1600],
  ['ヘッドスパ', '100×130cm', 'リクライニングで倒しても首元が開かない', ['ブラック', 'ベージュ'], 2400, 3000],
]);

const CAPE_MODELS = clothModels('クロスメイト ', [
  ['カラーケープ スタンダード', '130×150cm', 'カラー剤をはじくコーティング', ['ブラック', 'ブラウン'], 2400, 3400],
  ['カラーケープ 袖付き', '140×150cm', '袖付きで待ち時間も快適', ['ブラック', 'ブラウン'], 3600, 4800],
  ['パーマケープ', '130×150cm', 'パーマ液に強く、首元に吸水パッド付き', ['ブラック', 'グレー'], 2600, 3600],
  ['ヘナケープ', '140×160cm', 'ヘナ・ハーブカラーの長時間施術に', ['ブラウン'], 3000, 4000],
  ['ネックシャッター', 'フリー', 'カラー・パーマ時に首元の薬剤垂れを防ぐ', ['ブラック', 'ホワイト'], 900, 1500],
  ['肩掛けケープ', '80×60cm', 'ブロー・セット時の肩掛けに', ['ブラック', 'ネイビー', 'ベージュ'], 1200, 1800],
]);

const APRON_MODELS = clothModels('クロスメイト ', [
  ['ショートエプロン', 'フリー', '腰から下を覆うカフェ風ショート丈', ['ブラック', 'デニム', 'ベージュ'], 2400, 3400],
  ['ロングエプロン', 'フリー', 'すねまで覆うロング丈、撥水加工', ['ブラック', 'チャコール', 'カーキ'], 3200, 4600],
  ['シザーケース付きエプロン', 'フリー', '腰にシザー収納ポケット', ['ブラック', 'ネイビー'], 3800, 5200],
  ['カラーエプロン', 'フリー', '薬剤がしみにくいナイロン素材', ['ブラック', 'ブラウン'], 2600, 3600],
  ['クロスバックエプロン', 'フリー', '肩が凝りにくいH型の背面', ['デニム', 'ベージュ', 'ブラック'], 3800, 5200],
  ['シャンプーエプロン', 'フリー', '水はねから服を守る防水エプロン', ['ブラック', 'ネイビー'], 2200, 3200],
  ['サロンチュニック', 'M / L', '施術しやすいストレッチチュニック', ['ブラック', 'グレー', 'ネイビー'], 4800, 6800],
  ['ネイリストスモック', 'M / L', '粉じんがつきにくいネイリスト用スモック', ['ホワイト', 'ピンク', 'ブラック'], 4200, 5800],
]);

export function shirotaeTowelAssortment(rng: SeededRandom): DemoAssortment {
  return {
    brands: [SHIROTAE, DRYFEEL, CLOTHMATE],
    drafts: [
      ...towels(rng, SHIROTAE, '白妙', COTTON_TYPES, TOWEL_COLORS),
      ...towels(rng, DRYFEEL, 'ドライフィール', QUICK_TYPES, TOWEL_COLORS),
      ...cutCloths(rng, CLOTHMATE, CUT_CLOTH_MODELS),
      ...shampooCloths(rng, CLOTHMATE, SHAMPOO_CLOTH_MODELS),
      ...capes(rng, CLOTHMATE, CAPE_MODELS),
      ...aprons(rng, CLOTHMATE, APRON_MODELS),
      ...disposables(rng, SHIROTAE),
    ],
  };
}
