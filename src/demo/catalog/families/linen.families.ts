import type { DemoImageKey } from '../demo-images.ts';
import { type BrandRef, casePrice, description, type ProductDraft, priceIn } from '../product-draft.ts';
import type { SeededRandom } from '../seeded-random.ts';

export interface TowelColor {
  name: string;
  image: DemoImageKey;
}

export const TOWEL_COLORS: readonly TowelColor[] = [
  { name: 'ホワイト', image: 'towel-white' },
  { name: 'アイボリー', image: 'towel-white' },
  { name: 'ブラウン', image: 'towel-brown' },
  { name: 'モカ', image: 'towel-brown' },
  { name: 'ダークブラウン', image: 'towel-brown' },
  { name: 'グレー', image: 'towel-grey' },
  { name: 'チャコール', image: 'towel-grey' },
  { name: 'ネイビー', image: 'towel-grey' },
  { name: 'ブラック', image: 'towel-grey' },
  { name: 'ピンク', image: 'towel-pastel' },
  { name: 'サックス', image: 'towel-pastel' },
  { name: 'ミント', image: 'towel-pastel' },
];

export interface TowelType {
  name: string;
  size: string;
  weight: string;
  feature: string;
  /** Price of 12 towels. */
  priceMin: number;
  priceMax: number;
}

/** One product per towel type and colour; sold by the dozen, with a 5-dozen case. */
export function towels(
  rng: SeededRandom,
  brand: BrandRef,
  line: string,
  types: readonly TowelType[],
  colors: readonly TowelColor[],
): ProductDraft[] {
  return types.flatMap((t) =>
    colors.map((c) => {
      const dozen = priceIn(rng, t.priceMin, t.priceMax);
      return {
        categorySlug: 'towel',
        brandSlug: brand.slug,
        name: `${line} ${t.name} ${c.name}（12枚入）`,
        descriptionHtml: description(`${t.feature}。サイズ ${t.size}、${t.weight}。`, [
          '業務用洗濯機・乾燥機での繰り返し洗濯に耐える縫製',
          c.name === 'ホワイト' || c.name === 'アイボリー'
            ? '塩素系漂白剤が使える白色'
            : 'カラー剤の付着が目立ちにくい色',
          '12枚単位でのご注文となります',
        ]),
        image: c.image,
        restriction: 'none' as const,
        variants: [
          { label: '12枚入', capacity: t.size, packSize: 12, listPriceYen: dozen },
          { label: '60枚（5ダース）ケース', capacity: t.size, packSize: 60, listPriceYen: casePrice(dozen, 5, 0.08) },
        ],
      };
    }),
  );
}

export interface ClothModel {
  name: string;
  size: string;
  feature: string;
  colors: readonly string[];
  priceMin: number;
  priceMax: number;
}

function clothProducts(
  rng: SeededRandom,
  brand: BrandRef,
  categorySlug: string,
  image: DemoImageKey,
  models: readonly ClothModel[],
  points: readonly string[],
): ProductDraft[] {
  return models.map((m) => {
    const price = priceIn(rng, m.priceMin, m.priceMax);
    return {
      categorySlug,
      brandSlug: brand.slug,
      name: m.name,
      descriptionHtml: description(`${m.feature}。サイズ ${m.size}。`, points),
      image,
      restriction: 'none' as const,
      variants: m.colors.map((color) => ({ label: color, capacity: m.size, packSize: 1, listPriceYen: price })),
    };
  });
}

export function cutCloths(rng: SeededRandom, brand: BrandRef, models: readonly ClothModel[]): ProductDraft[] {
  return clothProducts(rng, brand, 'cut-cloth', 'cut-cloth', models, [
    '髪がまとわりつきにくい静電防止加工',
    '首まわりはマジックテープで調整',
  ]);
}

export function shampooCloths(rng: SeededRandom, brand: BrandRef, models: readonly ClothModel[]): ProductDraft[] {
  return clothProducts(rng, brand, 'shampoo-cloth', 'shampoo-cloth', models, [
    '撥水加工で水滴が服まで染みにくい',
    '軽くて乾きやすいポリエステル素材',
  ]);
}

export function capes(rng: SeededRandom, brand: BrandRef, models: readonly ClothModel[]): ProductDraft[] {
  return clothProducts(rng, brand, 'cape', 'cut-cloth', models, [
    'カラー剤・パーマ液が落ちやすいコーティング',
    '洗濯機で丸洗いできます',
  ]);
}

export function aprons(rng: SeededRandom, brand: BrandRef, models: readonly ClothModel[]): ProductDraft[] {
  return clothProducts(rng, brand, 'apron', 'apron', models, ['大きめのポケット付き', '家庭用洗濯機で洗えます']);
}

export function disposables(rng: SeededRandom, brand: BrandRef): ProductDraft[] {
  const items: Array<[string, string, DemoImageKey, string, number, number, number]> = [
    ['ネックペーパー（100枚×10巻）', 'カット時に首元に巻く使い捨てペーパー', 'cut-cloth', '100枚×10巻', 10, 1800, 2800],
    ['フェイスガーゼ（100枚入）', 'シャンプー時に顔にかける使い捨てガーゼ', 'towel-white', '100枚', 100, 700, 1200],
    ['使い捨てケープ（50枚入）', 'カラー施術用の使い捨てケープ', 'shampoo-cloth', '50枚', 50, 1800, 2800],
    ['使い捨てシャワーキャップ（100枚入）', '加温・放置時間のラップ代わりに', 'shampoo-cloth', '100枚', 100, 900, 1500],
    ['ヘアターバン（10枚入）', 'フェイシャル・メイク時に前髪を留めるパイル地ターバン', 'towel-pastel', '10枚', 10, 1600, 2600],
    ['ペーパータオル（200枚×30袋）', 'ネイル・受付用のペーパータオル', 'towel-white', '200枚×30袋', 30, 3800, 5200],
  ];
  return items.map(([name, lead, image, capacity, pack, min, max]) => ({
    categorySlug: 'disposables',
    brandSlug: brand.slug,
    name,
    descriptionHtml: description(`${lead}。`, []),
    image,
    restriction: 'none',
    variants: [{ label: capacity, capacity, packSize: pack, listPriceYen: priceIn(rng, min, max) }],
  }));
}
