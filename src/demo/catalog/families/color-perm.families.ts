import type { DemoImageKey } from '../demo-images.ts';
import {
  type BrandRef,
  casePrice,
  description,
  PROFESSIONAL_NOTE,
  type ProductDraft,
  priceIn,
  type VariantDraft,
} from '../product-draft.ts';
import type { SeededRandom } from '../seeded-random.ts';

export interface Shade {
  code: string;
  name: string;
  image: DemoImageKey;
  note: string;
}

export const FASHION_SHADES: readonly Shade[] = [
  { code: 'N', name: 'ナチュラル', image: 'color-box-brown', note: '赤みと黄みのバランスがよい基本のブラウン' },
  { code: 'A', name: 'アッシュ', image: 'color-box-ash', note: '赤みを抑えた透明感のある寒色系' },
  { code: 'MT', name: 'マット', image: 'color-box-ash', note: '緑みで赤みを打ち消す、やわらかなカーキ系' },
  { code: 'GG', name: 'グレージュ', image: 'color-box-ash', note: 'グレーとベージュの中間の、くすみ感のある色味' },
  { code: 'BE', name: 'ベージュ', image: 'color-box-brown', note: '黄みを生かしたやわらかいベージュ' },
  { code: 'PK', name: 'ピンク', image: 'color-box-pink', note: '肌なじみのよいピンクブラウン' },
  { code: 'V', name: 'バイオレット', image: 'color-box-violet', note: '黄みを抑え、深みとツヤを出す紫系' },
  { code: 'OR', name: 'オレンジ', image: 'color-box-vivid', note: '明るく血色感のあるオレンジブラウン' },
];

export const VIVID_SHADES: readonly Shade[] = [
  { code: 'vRD', name: 'ビビッドレッド', image: 'color-box-vivid', note: '発色の強い純色レッド' },
  { code: 'vOR', name: 'ビビッドオレンジ', image: 'color-box-vivid', note: '発色の強い純色オレンジ' },
  { code: 'vYE', name: 'ビビッドイエロー', image: 'color-box-vivid', note: '補色ミックスにも使えるイエロー' },
  { code: 'vBL', name: 'ビビッドブルー', image: 'color-box-violet', note: 'ハイトーンに鮮やかに入るブルー' },
  { code: 'vGR', name: 'ビビッドグリーン', image: 'color-box-ash', note: '赤み消しにも使えるグリーン' },
  { code: 'vPK', name: 'ビビッドピンク', image: 'color-box-pink', note: 'ハイトーンに映える純色ピンク' },
  { code: 'vPU', name: 'ビビッドパープル', image: 'color-box-violet', note: '黄み消しにも使えるパープル' },
  { code: 'CLR', name: 'クリア', image: 'color-box-ash', note: '色味を薄めるための無色クリア' },
];

export const GRAY_SHADES: readonly Shade[] = [
  { code: 'gN', name: 'ナチュラル', image: 'color-box-grey', note: '白髪をしっかりカバーする基本色' },
  { code: 'gA', name: 'アッシュ', image: 'color-box-grey', note: '白髪をなじませながら赤みを抑える' },
  { code: 'gBE', name: 'ベージュ', image: 'color-box-grey', note: '白髪を明るくやわらかくぼかす' },
  { code: 'gMT', name: 'マット', image: 'color-box-grey', note: '黄ばみの出にくい落ち着いた色味' },
  { code: 'gPK', name: 'ピンクブラウン', image: 'color-box-pink', note: '白髪を血色感のある色味に' },
];

function colorVariants(rng: SeededRandom, min: number, max: number): VariantDraft[] {
  const unit = priceIn(rng, min, max);
  const variants: VariantDraft[] = [{ label: '80g', capacity: '80g', packSize: 1, listPriceYen: unit }];
  if (rng.chance(0.3)) {
    variants.push({ label: '80g × 6本', capacity: '80g', packSize: 6, orderMultiple: 1, listPriceYen: casePrice(unit, 6) });
  }
  return variants;
}

/** A colour line: one product per shade and level, as salons order them. */
export function colorCreams(
  rng: SeededRandom,
  brand: BrandRef,
  line: string,
  shades: readonly Shade[],
  levels: readonly number[],
  options: { gray?: boolean; priceMin?: number; priceMax?: number } = {},
): ProductDraft[] {
  const drafts: ProductDraft[] = [];
  const min = options.priceMin ?? 600;
  const max = options.priceMax ?? 1200;
  for (const shade of shades) {
    const shadeLevels = shade.code === 'CLR' ? [0] : levels;
    for (const level of shadeLevels) {
      const levelText = level === 0 ? '' : ` ${level}`;
      drafts.push({
        categorySlug: options.gray ? 'gray-color' : 'color-cream',
        brandSlug: brand.slug,
        name: `${line} ${shade.name}${levelText}（${shade.code}${level === 0 ? '' : `-${level}`}）`,
        descriptionHtml: description(
          `${shade.note}。${options.gray ? '白髪率30%以上でもしっかり染まり、' : ''}${level === 0 ? '他の色味と混ぜて使います' : `${level}レベルの明るさに仕上がります`}。`,
          [
            '1剤：2剤（オキシ）＝ 1：1〜1：2 で混合',
            '放置時間の目安 20〜30分（自然放置）',
            '医薬部外品（酸化染毛剤）',
          ],
          `${PROFESSIONAL_NOTE}ご使用前に必ず皮膚アレルギー試験（パッチテスト）を行ってください。`,
        ),
        image: shade.image,
        restriction: 'professional',
        lotTracked: true,
        variants: colorVariants(rng, min, max),
      });
    }
  }
  return drafts;
}

export function oxidants(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const strengths: Array<[string, string]> = [
    ['1.5%', 'トーンダウンや色味をのせるだけの施術に'],
    ['3%', 'ダメージを抑えたい場合や明度を上げない施術に'],
    ['4.5%', '白髪染めの標準的な施術に'],
    ['6%', 'リフトアップを伴う標準的な施術に'],
  ];
  return strengths.map(([strength, use]) => ({
    categorySlug: 'oxidant',
    brandSlug: brand.slug,
    name: `${line} オキシ ${strength}（2剤）`,
    descriptionHtml: description(
      `過酸化水素 ${strength} のクリームタイプ2剤。${use}。`,
      ['1剤とのなじみがよく、塗布しやすいやわらかめのクリーム', '開封後はキャップを閉めて冷暗所で保管'],
      PROFESSIONAL_NOTE,
    ),
    image: 'oxidant-bottle',
    restriction: 'professional',
    lotTracked: true,
    variants: [
      { label: '1000ml', capacity: '1000ml', packSize: 1, listPriceYen: priceIn(rng, 700, 1500) },
      { label: '1000ml × 6本 ケース', capacity: '1000ml', packSize: 6, listPriceYen: priceIn(rng, 4200, 7800) },
    ],
  }));
}

export function bleaches(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const items: Array<[string, string, DemoImageKey, string, number, number]> = [
    ['パウダーブリーチ', '最大8レベルのリフト力を持つ、粉飛びの少ないパウダーブリーチ', 'bleach-powder', '500g', 2800, 4800],
    ['ケアブリーチ', '補修成分を配合し、ハイトーンでも手ざわりを残すブリーチ', 'bleach-powder', '400g', 3200, 5200],
    ['クリームブリーチ', 'ハケで塗りやすく、ハイライトやポイントブリーチに向くクリーム', 'treatment-tube', '300g', 2400, 3800],
    ['ライトナー', 'ブリーチほど削らずに明るくしたいときのライトナー', 'color-box-ash', '80g', 800, 1200],
  ];
  return items.map(([name, lead, image, capacity, min, max]) => ({
    categorySlug: 'bleach',
    brandSlug: brand.slug,
    name: `${line} ${name}`,
    descriptionHtml: description(`${lead}です。`, ['専用オキシ 6% と 1：2 で混合', '放置時間は毛髪の状態を見て調整'], PROFESSIONAL_NOTE),
    image,
    restriction: 'professional',
    lotTracked: true,
    variants: [{ label: capacity, capacity, packSize: 1, listPriceYen: priceIn(rng, min, max) }],
  }));
}

/** カラー周辺用品: not restricted, but salons order them with the colour. */
export function colorSupplies(rng: SeededRandom, brand: BrandRef): ProductDraft[] {
  const items: Array<[string, string, DemoImageKey, string, number, number, number, boolean]> = [
    ['カラー用ハケ（ナイロン毛）', '塗り分けしやすい細めの毛先。10本入', 'tint-bowl', '10本', 10, 900, 1500, false],
    ['カラーカップ 400ml', '目盛り付き、滑り止めゴム付きのカップ', 'tint-bowl', '400ml', 1, 500, 900, false],
    ['イヤーキャップ', 'カラー剤から耳を守る使い捨てキャップ。100枚入', 'tint-bowl', '100枚', 100, 600, 1100, false],
    ['プロテクトクリーム', '生え際・耳まわりの肌を守る保護クリーム', 'treatment-jar', '200g', 1, 1400, 2200, true],
    ['スキンクリーナー', '肌についたカラー剤をやさしく落とすリムーバー', 'nail-remover', '200ml', 1, 1200, 1800, false],
    ['カラー前処理ミスト', 'ダメージ部分の吸い込みムラを抑える前処理剤', 'hair-mist', '300ml', 1, 2200, 3200, true],
    ['アフターカラー処理剤', '残留アルカリを除去し、褪色を抑える後処理剤', 'hair-mist', '500ml', 1, 2600, 3800, true],
    ['計量スケール（デジタル）', '0.1g単位で計量できる、薬剤調合用スケール', 'tint-bowl', '1台', 1, 3800, 5800, false],
  ];
  return items.map(([name, lead, image, capacity, pack, min, max, professional]) => ({
    categorySlug: 'color-supplies',
    brandSlug: brand.slug,
    name,
    descriptionHtml: description(`${lead}。`, [], professional ? PROFESSIONAL_NOTE : undefined),
    image,
    restriction: professional ? 'professional' : 'none',
    lotTracked: professional,
    variants: [{ label: capacity, capacity, packSize: pack, listPriceYen: priceIn(rng, min, max) }],
  }));
}

const HAIR_TYPES: Array<[string, string]> = [
  ['H', '健康毛・硬毛用'],
  ['N', '普通毛用'],
  ['D', 'ダメージ毛・軟毛用'],
];

/** パーマ液 1剤 by reducing agent and hair type, 2剤 by oxidant. */
export function permLotions(rng: SeededRandom, brand: BrandRef, line: string, agents: readonly string[]): ProductDraft[] {
  const firsts: ProductDraft[] = [];
  for (const agent of agents) {
    for (const [code, type] of HAIR_TYPES) {
      firsts.push({
        categorySlug: 'perm-lotion-1',
        brandSlug: brand.slug,
        name: `${line} ${agent} ${code}（1剤・${type}）`,
        descriptionHtml: description(
          `${agent}を主成分とするパーマ液1剤。${type}に合わせた還元力に調整しています。`,
          ['コールド・デジタルパーマの両方に対応', '放置時間の目安 10〜15分', '2剤は同シリーズのものをお使いください'],
          `${PROFESSIONAL_NOTE}医薬部外品。`,
        ),
        image: 'perm-lotion-1',
        restriction: 'professional',
        lotTracked: true,
        variants: [
          { label: '400ml', capacity: '400ml', packSize: 1, listPriceYen: priceIn(rng, 1500, 3200) },
          { label: '1000ml 業務用', capacity: '1000ml', packSize: 1, listPriceYen: priceIn(rng, 3200, 5800) },
        ],
      });
    }
  }
  const seconds: Array<[string, string]> = [
    ['ブロム酸タイプ', 'ゆっくり酸化させ、やわらかく弾力のあるカールに'],
    ['過水タイプ', '短時間で酸化させ、しっかりしたカールに'],
  ];
  return [
    ...firsts,
    ...seconds.map(([type, lead]) => ({
      categorySlug: 'perm-lotion-2',
      brandSlug: brand.slug,
      name: `${line} セカンド ${type}（2剤）`,
      descriptionHtml: description(`パーマ液2剤（${type}）。${lead}。`, ['1剤の種類を問わず使用可能'], `${PROFESSIONAL_NOTE}医薬部外品。`),
      image: 'perm-lotion-2' as const,
      restriction: 'professional' as const,
      lotTracked: true,
      variants: [
        { label: '400ml', capacity: '400ml', packSize: 1, listPriceYen: priceIn(rng, 900, 1900) },
        { label: '1000ml 業務用', capacity: '1000ml', packSize: 1, listPriceYen: priceIn(rng, 1800, 3200) },
      ],
    })),
  ];
}

export function straighteners(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const firsts: ProductDraft[] = HAIR_TYPES.map(([code, type]) => ({
    categorySlug: 'straightening',
    brandSlug: brand.slug,
    name: `${line} ストレートクリーム ${code}（1剤・${type}）`,
    descriptionHtml: description(
      `縮毛矯正用のクリームタイプ1剤。${type}のくせをしっかり伸ばし、アイロン後も自然な丸みを残します。`,
      ['塗布しやすいやわらかめのクリーム', 'アイロン温度の目安 160〜180℃'],
      `${PROFESSIONAL_NOTE}医薬部外品。`,
    ),
    image: 'straightener-cream',
    restriction: 'professional',
    lotTracked: true,
    variants: [
      { label: '400g', capacity: '400g', packSize: 1, listPriceYen: priceIn(rng, 3000, 5200) },
      { label: '1000g 業務用', capacity: '1000g', packSize: 1, listPriceYen: priceIn(rng, 6200, 9800) },
    ],
  }));
  return [
    ...firsts,
    {
      categorySlug: 'straightening',
      brandSlug: brand.slug,
      name: `${line} ストレートクリーム（2剤）`,
      descriptionHtml: description('縮毛矯正用クリームタイプ2剤。', ['垂れにくく、根元まで均一に塗布できます'], `${PROFESSIONAL_NOTE}医薬部外品。`),
      image: 'straightener-cream',
      restriction: 'professional',
      lotTracked: true,
      variants: [{ label: '400g', capacity: '400g', packSize: 1, listPriceYen: priceIn(rng, 1800, 2800) }],
    },
    {
      categorySlug: 'straightening',
      brandSlug: brand.slug,
      name: `${line} 前処理トリートメント`,
      descriptionHtml: description('縮毛矯正・パーマの前処理剤。ダメージ部分の薬剤の効きすぎを防ぎます。', [], PROFESSIONAL_NOTE),
      image: 'hair-mist',
      restriction: 'professional',
      lotTracked: true,
      variants: [{ label: '500ml', capacity: '500ml', packSize: 1, listPriceYen: priceIn(rng, 2800, 4200) }],
    },
  ];
}

/** パーマ用品: rods in every diameter, papers and rubbers. */
export function permSupplies(rng: SeededRandom, brand: BrandRef, rodSizes: readonly number[]): ProductDraft[] {
  const rods: ProductDraft[] = rodSizes.map((mm) => ({
    categorySlug: 'perm-supplies',
    brandSlug: brand.slug,
    name: `パーマロッド ${mm}mm（10本入）`,
    descriptionHtml: description(`直径${mm}mmのパーマロッド。ゴム付き、色分けでサイズがひと目でわかります。`, ['耐熱仕様（デジタルパーマ不可）']),
    image: 'perm-rods',
    restriction: 'none',
    variants: [{ label: '10本入', capacity: `${mm}mm`, packSize: 10, listPriceYen: priceIn(rng, 600, 1200) }],
  }));
  return [
    ...rods,
    {
      categorySlug: 'perm-supplies',
      brandSlug: brand.slug,
      name: 'エンドペーパー（1000枚入）',
      descriptionHtml: description('毛先の折れを防ぐ、水に強いエンドペーパー。', ['1000枚入']),
      image: 'perm-rods',
      restriction: 'none',
      variants: [{ label: '1000枚入', capacity: '65×75mm', packSize: 1000, listPriceYen: priceIn(rng, 800, 1400) }],
    },
    {
      categorySlug: 'perm-supplies',
      brandSlug: brand.slug,
      name: 'ロッド用ゴム（100本入）',
      descriptionHtml: description('ロッドの付け替え用ゴム。', ['長さ約8cm', '100本入']),
      image: 'perm-rods',
      restriction: 'none',
      variants: [{ label: '100本入', capacity: '8cm', packSize: 100, listPriceYen: priceIn(rng, 500, 900) }],
    },
  ];
}
