import type { DemoImageKey } from '../demo-images.ts';
import { type BrandRef, description, type ProductDraft, priceIn, type VariantDraft } from '../product-draft.ts';
import type { SeededRandom } from '../seeded-random.ts';

export interface ScissorsModel {
  name: string;
  steel: string;
  feature: string;
  image: DemoImageKey;
  sizes: readonly string[];
  priceMin: number;
  priceMax: number;
  lefty?: boolean;
}

function sizeVariants(rng: SeededRandom, sizes: readonly string[], min: number, max: number): VariantDraft[] {
  const base = priceIn(rng, min, max);
  // Longer blades cost a little more, as in real price lists.
  return sizes.map((size, i) => ({
    label: `${size}インチ`,
    capacity: `${size}inch`,
    packSize: 1,
    listPriceYen: Math.min(80000, base + i * 2000),
  }));
}

export function cutScissors(rng: SeededRandom, brand: BrandRef, models: readonly ScissorsModel[]): ProductDraft[] {
  return models.flatMap((m) => {
    const make = (lefty: boolean): ProductDraft => ({
      categorySlug: 'scissors',
      brandSlug: brand.slug,
      name: `${m.name}${lefty ? ' レフティ' : ''}`,
      descriptionHtml: description(
        `${m.steel}を使い、職人が一丁ずつ刃付けしたカットシザー。${m.feature}。`,
        [
          `鋼材：${m.steel}`,
          lefty ? '左利き用（刃の向き・ハンドルとも左手用）' : 'オフセットハンドルで手首の負担を軽減',
          '専用ケース・ドライバー付き',
          '購入後1年間の無料研ぎ直し',
        ],
        'サイズ・ハンドルの形状をご確認のうえご注文ください。',
      ),
      image: m.image,
      restriction: 'none',
      variants: sizeVariants(rng, m.sizes, m.priceMin, m.priceMax),
    });
    return m.lefty ? [make(false), make(true)] : [make(false)];
  });
}

export interface ThinningModel {
  name: string;
  teeth: number;
  cutRate: string;
  feature: string;
  priceMin: number;
  priceMax: number;
}

export function thinningScissors(rng: SeededRandom, brand: BrandRef, models: readonly ThinningModel[]): ProductDraft[] {
  return models.map((m) => ({
    categorySlug: 'thinning',
    brandSlug: brand.slug,
    name: `${m.name}（${m.teeth}目・カット率${m.cutRate}）`,
    descriptionHtml: description(`${m.teeth}目、カット率${m.cutRate}のセニングシザー。${m.feature}。`, [
      'すき跡が残りにくいV溝刃',
      '専用ケース付き',
      '購入後1年間の無料研ぎ直し',
    ]),
    image: 'thinning-scissors',
    restriction: 'none',
    variants: sizeVariants(rng, ['5.8', '6.2'].slice(0, rng.chance(0.5) ? 2 : 1), m.priceMin, m.priceMax),
  }));
}

const COMB_COLORS = ['ブラック', 'ホワイト', 'ピンク', 'ネイビー'];

export interface CombModel {
  number: string;
  kind: string;
  lengthMm: number;
  material: string;
  image: DemoImageKey;
  priceMin: number;
  priceMax: number;
}

export function combs(rng: SeededRandom, brand: BrandRef, line: string, models: readonly CombModel[]): ProductDraft[] {
  return models.map((m) => {
    const price = priceIn(rng, m.priceMin, m.priceMax);
    const colors = m.material === 'つげ' ? ['ナチュラル'] : COMB_COLORS.slice(0, rng.int(1, 4));
    return {
      categorySlug: 'comb',
      brandSlug: brand.slug,
      name: `${line} ${m.kind} No.${m.number}`,
      descriptionHtml: description(`全長${m.lengthMm}mmの${m.kind}。${m.material}製。`, [
        m.material === 'つげ' ? '静電気が起きにくく、使うほど艶が出る天然素材' : '耐熱180℃、薬剤にも強い素材',
        '歯先を一本ずつ丸く仕上げ、頭皮あたりがやさしい',
      ]),
      image: m.image,
      restriction: 'none' as const,
      variants: colors.map((color) => ({
        label: color,
        capacity: `${m.lengthMm}mm`,
        packSize: 1,
        listPriceYen: price,
      })),
    };
  });
}

export function brushes(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const rollDiameters = [13, 16, 19, 22, 26, 32, 38, 45];
  const roll: ProductDraft[] = [
    ['ロールブラシ 獣毛ミックス', '猪毛とナイロンのミックスで、ツヤとテンションを両立'],
    ['ロールブラシ セラミック', 'セラミックバレルが熱をためて、短時間でカールを形づくる'],
    ['ロールブラシ ナイロン', 'すべりがよく、毛先の内巻き・外ハネが自在'],
  ].map(([name, lead]) => ({
    categorySlug: 'brush',
    brandSlug: brand.slug,
    name: `${line} ${name}`,
    descriptionHtml: description(`${lead}。`, ['ブロー用', '直径違いをそろえると便利です']),
    image: 'brush-round',
    restriction: 'none',
    variants: rollDiameters
      .filter(() => rng.chance(0.5))
      .slice(0, 4)
      .map((d) => ({ label: `直径${d}mm`, capacity: `${d}mm`, packSize: 1, listPriceYen: priceIn(rng, 1500, 4200) })),
  }));
  // Guarantee at least one diameter when the draw above filtered them all out.
  for (const product of roll) {
    if (product.variants.length === 0) {
      product.variants.push({ label: '直径26mm', capacity: '26mm', packSize: 1, listPriceYen: priceIn(rng, 1500, 4200) });
    }
  }
  const flat: Array<[string, string, DemoImageKey, number, number]> = [
    ['パドルブラシ', 'クッション付きの大きめパドルで、ロングヘアを一気にとかす', 'brush-paddle', 1800, 3800],
    ['クッションブラシ 9列', 'ピンの先端が丸く、頭皮マッサージにも', 'brush-paddle', 1500, 3200],
    ['デンマン型ブラシ 7列', '根元の立ち上げ、ショートのブローに', 'brush-paddle', 1500, 2800],
    ['スケルトンブラシ', '風の通りがよく、ドライ時間を短縮', 'brush-paddle', 900, 1600],
    ['ネックブラシ', 'カット後の毛払いに。やわらかい山羊毛', 'brush-round', 1800, 3600],
    ['フェードブラシ', 'メンズカットの細かい毛払いに', 'brush-round', 1200, 2400],
    ['猪毛ヘアブラシ', '天然猪毛でツヤを出す仕上げ用ブラシ', 'brush-paddle', 3200, 5000],
    ['シャンプーブラシ', '頭皮の洗い残しを防ぐシリコンブラシ', 'brush-paddle', 900, 1600],
  ];
  return [
    ...roll,
    ...flat.map(([name, lead, image, min, max]) => ({
      categorySlug: 'brush',
      brandSlug: brand.slug,
      name: `${line} ${name}`,
      descriptionHtml: description(`${lead}。`, ['耐熱仕様']),
      image,
      restriction: 'none' as const,
      variants: [{ label: '1本', capacity: '1本', packSize: 1, listPriceYen: priceIn(rng, min, max) }],
    })),
  ];
}

export interface DryerModel {
  name: string;
  watts: number;
  feature: string;
  colors: readonly string[];
  priceMin: number;
  priceMax: number;
}

export function dryers(rng: SeededRandom, brand: BrandRef, models: readonly DryerModel[]): ProductDraft[] {
  return models.map((m) => {
    const price = priceIn(rng, m.priceMin, m.priceMax);
    return {
      categorySlug: 'dryer',
      brandSlug: brand.slug,
      name: m.name,
      descriptionHtml: description(`${m.watts}Wの大風量ドライヤー。${m.feature}。`, [
        '温風・冷風・スカルプモードの3モード',
        '業務用の長いコード（2.5m）',
        'メーカー保証1年（業務使用可）',
      ]),
      image: m.colors[0] === 'ホワイト' ? 'dryer-white' : 'dryer-black',
      restriction: 'none' as const,
      variants: m.colors.map((color) => ({ label: color, capacity: `${m.watts}W`, packSize: 1, listPriceYen: price })),
    };
  });
}

export function irons(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const straightModels: Array<[name: string, lead: string, width: string]> = [
    ['ストレートアイロン プロ', 'チタンプレートで縮毛矯正の施術にも使える', '24mm'],
    ['ストレートアイロン ワイド', 'ロングヘアを一度に挟める幅広プレート', '38mm'],
    ['ストレートアイロン スリム', '前髪・根元のくせ直しに向く細めのプレート', '15mm'],
    ['2WAYアイロン', 'ストレートとカールを一本で', '24mm'],
  ];
  const straight: ProductDraft[] = straightModels.map(([name, lead, width]) => ({
    categorySlug: 'iron',
    brandSlug: brand.slug,
    name: `${line} ${name}`,
    descriptionHtml: description(`${lead}。プレート幅${width}。`, ['温度設定 80〜220℃', '自動電源オフ機能', '海外電圧対応']),
    image: 'iron-straight',
    restriction: 'none',
    variants: [{ label: `プレート幅${width}`, capacity: width, packSize: 1, listPriceYen: priceIn(rng, 8000, 25000) }],
  }));
  const curl: ProductDraft[] = [
    ['カールアイロン', '均一に熱が伝わるセラミックコートのバレル'],
    ['カールアイロン チタン', '高温でもすべりがよいチタンバレル'],
  ].map(([name, lead]) => {
    const base = priceIn(rng, 8000, 18000);
    return {
      categorySlug: 'iron',
      brandSlug: brand.slug,
      name: `${line} ${name}`,
      descriptionHtml: description(`${lead}。`, ['温度設定 80〜210℃', 'スタンド付き', '自動電源オフ機能']),
      image: 'iron-curl',
      restriction: 'none',
      variants: ['26', '32', '38'].map((mm, i) => ({
        label: `${mm}mm`,
        capacity: `${mm}mm`,
        packSize: 1,
        listPriceYen: base + i * 1000,
      })),
    };
  });
  return [...straight, ...curl];
}

export function toolAccessories(rng: SeededRandom, brand: BrandRef): ProductDraft[] {
  const items: Array<[string, string, DemoImageKey, string, number, number, number]> = [
    ['ダッカール（10本入）', 'ブロッキング用の定番クリップ。すべり止め付き', 'hair-clips', '10本', 10, 500, 900],
    ['ダッカール ロング（10本入）', 'ロングヘアを大きく留められる長めのクリップ', 'hair-clips', '10本', 10, 700, 1100],
    ['ワニクリップ（12本入）', '髪をしっかりつかむ、跡のつきにくいクリップ', 'hair-clips', '12本', 12, 600, 1000],
    ['Uピン（100本入）', 'アップスタイル用のUピン', 'hair-clips', '100本', 100, 400, 700],
    ['アメピン ブラック（300本入）', 'つや消しブラックのアメピン', 'hair-clips', '300本', 300, 500, 900],
    ['霧吹きスプレーヤー 300ml', 'きめ細かいミストが連続で出る、カット用スプレーヤー', 'hair-mist', '300ml', 1, 900, 1600],
    ['シザーオイル', '刃の錆びとかみ込みを防ぐメンテナンスオイル', 'hair-oil', '30ml', 1, 600, 1000],
    ['シザーケース 2丁用', '本革のシザーケース。シザー2丁とコームが入ります', 'scissors-black', '2丁用', 1, 3800, 6800],
    ['シザーケース 4丁用', '腰に付けるホルスタータイプ', 'scissors-black', '4丁用', 1, 5800, 9800],
    ['レザー 替刃（10枚入）', 'レザーカット用の替刃', 'scissors-silver', '10枚', 10, 600, 1100],
    ['レザー 本体', 'ガード付きのカット用レザー', 'scissors-silver', '1本', 1, 2800, 4800],
  ];
  return items.map(([name, lead, image, capacity, pack, min, max]) => ({
    categorySlug: 'tool-accessories',
    brandSlug: brand.slug,
    name,
    descriptionHtml: description(`${lead}。`, []),
    image,
    restriction: 'none',
    variants: [{ label: capacity, capacity, packSize: pack, listPriceYen: priceIn(rng, min, max) }],
  }));
}
