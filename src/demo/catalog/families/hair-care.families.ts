import type { DemoImageKey } from '../demo-images.ts';
import {
  type BrandRef,
  casePrice,
  description,
  PROFESSIONAL_NOTE,
  type ProductDraft,
  priceIn,
  type Restriction,
  singleAndCase,
} from '../product-draft.ts';
import type { SeededRandom } from '../seeded-random.ts';

export interface HaircareSeries {
  name: string;
  /** 仕上がり: しっとり / さらさら … */
  feel: string;
  concept: string;
  ingredient: string;
  scent: string;
  image: DemoImageKey;
  professional: boolean;
  mask?: boolean;
  oil?: boolean;
  mist?: boolean;
}

function restrictionOf(professional: boolean): Restriction {
  return professional ? 'professional' : 'none';
}

function noteFor(professional: boolean): string | undefined {
  return professional ? PROFESSIONAL_NOTE : undefined;
}

/** One care line: shampoo and treatment, optionally mask, oil and mist, with refill sizes. */
export function haircareSeries(rng: SeededRandom, brand: BrandRef, s: HaircareSeries): ProductDraft[] {
  const restriction = restrictionOf(s.professional);
  const lot = s.professional;
  const shampooSmall = priceIn(rng, 1600, 3200);
  const treatmentSmall = priceIn(rng, 1800, 3600);
  const drafts: ProductDraft[] = [
    {
      categorySlug: 'shampoo',
      brandSlug: brand.slug,
      name: `${s.name} シャンプー（${s.feel}）`,
      descriptionHtml: description(
        `${s.concept}${s.ingredient}を配合し、泡立ちがよく${s.feel}とした洗い上がりのシャンプーです。`,
        [`香り：${s.scent}`, 'サロンのバックバーにも店販にも使えるサイズ展開', '詰替用はポンプボトルにそのまま補充できます'],
        noteFor(s.professional),
      ),
      image: s.image,
      restriction,
      lotTracked: lot,
      variants: [
        { label: '300ml ボトル', capacity: '300ml', packSize: 1, listPriceYen: shampooSmall },
        {
          label: '1000ml 詰替用',
          capacity: '1000ml',
          packSize: 1,
          listPriceYen: priceIn(rng, Math.max(2000, shampooSmall * 1.6), Math.min(6000, shampooSmall * 2.4)),
        },
        ...(rng.chance(0.35)
          ? [{ label: '300ml × 12本 ケース', capacity: '300ml', packSize: 12, listPriceYen: casePrice(shampooSmall, 12, 0.08) }]
          : []),
      ],
    },
    {
      categorySlug: 'treatment',
      brandSlug: brand.slug,
      name: `${s.name} トリートメント（${s.feel}）`,
      descriptionHtml: description(
        `${s.ingredient}が髪の内部まで浸透し、毛先まで${s.feel}とまとまるトリートメントです。`,
        [`香り：${s.scent}`, '流した後もべたつかず、ドライ後の手ざわりが続きます', `同シリーズの${s.name} シャンプーとの併用がおすすめです`],
        noteFor(s.professional),
      ),
      image: 'treatment-pump-cream',
      restriction,
      lotTracked: lot,
      variants: [
        { label: '250g チューブ', capacity: '250g', packSize: 1, listPriceYen: treatmentSmall },
        {
          label: '1000g 詰替用',
          capacity: '1000g',
          packSize: 1,
          listPriceYen: priceIn(rng, Math.max(2500, treatmentSmall * 1.7), Math.min(7000, treatmentSmall * 2.5)),
        },
      ],
    },
  ];
  if (s.mask) {
    drafts.push({
      categorySlug: 'treatment',
      brandSlug: brand.slug,
      name: `${s.name} ヘアマスク`,
      descriptionHtml: description(
        `週1〜2回のスペシャルケアに。${s.ingredient}を高濃度で配合した集中補修マスクです。`,
        ['放置時間は3〜5分', `香り：${s.scent}`, 'サロンのヘッドスパメニューにもお使いいただけます'],
        noteFor(s.professional),
      ),
      image: 'treatment-jar',
      restriction,
      lotTracked: lot,
      variants: [
        { label: '200g ジャー', capacity: '200g', packSize: 1, listPriceYen: priceIn(rng, 2200, 3800) },
        { label: '500g 業務用', capacity: '500g', packSize: 1, listPriceYen: priceIn(rng, 4200, 6800) },
      ],
    });
  }
  if (s.oil) {
    drafts.push({
      categorySlug: 'out-bath',
      brandSlug: brand.slug,
      name: `${s.name} ヘアオイル`,
      descriptionHtml: description(
        `タオルドライ後の髪になじませてからドライするアウトバスオイル。熱から守り、${s.feel}とした仕上がりに。`,
        [`香り：${s.scent}`, '仕上げのツヤ出しにも', 'スポイト付きで使う量を調整しやすいボトル'],
      ),
      image: 'hair-oil',
      restriction: 'none',
      variants: singleAndCase('100ml', priceIn(rng, 2200, 3600), 6, '本'),
    });
  }
  if (s.mist) {
    drafts.push({
      categorySlug: 'out-bath',
      brandSlug: brand.slug,
      name: `${s.name} ヘアミスト`,
      descriptionHtml: description(
        'ブロー前にひと吹きするだけで、からまりをほどき、熱ダメージから髪を守るミストです。',
        [`香り：${s.scent}`, '朝の寝ぐせ直しにも'],
      ),
      image: 'hair-mist',
      restriction: 'none',
      variants: [
        { label: '150ml', capacity: '150ml', packSize: 1, listPriceYen: priceIn(rng, 1600, 2800) },
        { label: '500ml 詰替用', capacity: '500ml', packSize: 1, listPriceYen: priceIn(rng, 3000, 4500) },
      ],
    });
  }
  return drafts;
}

const COLOR_SHAMPOO_TONES = [
  { tone: 'パープル', aim: '黄ばみを抑え、ブリーチ後のハイトーンを透明感のある色味に保ちます' },
  { tone: 'シルバー', aim: 'ホワイト・シルバー系の褪色を抑え、くすみ感をキープします' },
  { tone: 'ピンク', aim: 'ピンク・レッド系カラーの色持ちを助け、赤みのあるツヤを保ちます' },
  { tone: 'アッシュ', aim: 'アッシュ・グレージュ系の赤みの戻りを抑えます' },
  { tone: 'ブラウン', aim: '褪色した明るさを落ち着いたブラウンに整えます' },
  { tone: 'ブルー', aim: 'ブルー系・ネイビー系カラーの色落ちを補います' },
];

/** カラーシャンプー (ムラシャン), one product per tone. */
export function colorShampoos(rng: SeededRandom, brand: BrandRef, line: string, tones = 6): ProductDraft[] {
  return COLOR_SHAMPOO_TONES.slice(0, tones).map((t) => ({
    categorySlug: 'shampoo',
    brandSlug: brand.slug,
    name: `${line} カラーシャンプー ${t.tone}`,
    descriptionHtml: description(
      `${t.tone}の色素を配合したカラーケアシャンプー。${t.aim}。`,
      ['泡をのせて3〜5分置くと色味がしっかり入ります', '手袋の着用をおすすめします'],
      PROFESSIONAL_NOTE,
    ),
    image: 'color-shampoo',
    restriction: 'professional',
    lotTracked: true,
    variants: [
      { label: '200ml', capacity: '200ml', packSize: 1, listPriceYen: priceIn(rng, 1800, 2600) },
      { label: '1000ml 詰替用', capacity: '1000ml', packSize: 1, listPriceYen: priceIn(rng, 4200, 5800) },
    ],
  }));
}

/** ヘッドスパ・頭皮ケアの定番構成. */
export function scalpCare(rng: SeededRandom, brand: BrandRef, line: string, professional: boolean): ProductDraft[] {
  const items: Array<{ name: string; lead: string; image: DemoImageKey; sizes: Array<[string, number, number]> }> = [
    {
      name: 'スキャルプクレンジング',
      lead: '毛穴の皮脂汚れを浮かせて落とす、シャンプー前のクレンジングジェル。',
      image: 'treatment-tube',
      sizes: [
        ['200g', 2200, 3200],
        ['800g', 5200, 7200],
      ],
    },
    {
      name: 'スキャルプシャンプー',
      lead: 'メントールの清涼感で頭皮をすっきり洗い上げるスカルプシャンプー。',
      image: 'shampoo-pump-sage',
      sizes: [
        ['300ml', 2000, 3000],
        ['1000ml', 4000, 5800],
      ],
    },
    {
      name: 'スキャルプセラム',
      lead: '頭皮を健やかに保つ美容液。ヘッドスパの仕上げやホームケアに。',
      image: 'scalp-serum',
      sizes: [['60ml', 3800, 5600]],
    },
    {
      name: 'スパクリーム',
      lead: 'マッサージ時の滑りがよく、洗い流すと頭皮がやわらかく整うスパ用クリーム。',
      image: 'treatment-jar',
      sizes: [['500g', 4800, 6800]],
    },
    {
      name: 'スキャルプローション',
      lead: 'ドライ前の頭皮に直接なじませる、さっぱりタイプの頭皮用ローション。',
      image: 'hair-mist',
      sizes: [
        ['120ml', 2400, 3400],
        ['500ml', 6000, 8200],
      ],
    },
  ];
  return items.map((item) => ({
    categorySlug: 'scalp-care',
    brandSlug: brand.slug,
    name: `${line} ${item.name}`,
    descriptionHtml: description(item.lead, ['無着色', 'ヘッドスパメニューの構成例を同梱しています'], noteFor(professional)),
    image: item.image,
    restriction: restrictionOf(professional),
    lotTracked: professional,
    variants: item.sizes.map(([capacity, min, max]) => ({
      label: capacity,
      capacity,
      packSize: 1,
      listPriceYen: priceIn(rng, min, max),
    })),
  }));
}

/** Styling range; waxes come in numbered hold strengths as real lines do. */
export function stylingRange(rng: SeededRandom, brand: BrandRef, line: string, holds: readonly number[]): ProductDraft[] {
  const waxes: ProductDraft[] = holds.map((hold) => ({
    categorySlug: 'styling',
    brandSlug: brand.slug,
    name: `${line} ワックス ${hold}`,
    descriptionHtml: description(
      `ホールド力 ${hold}（10段階）のヘアワックス。${hold <= 3 ? '軽い束感とやわらかい動きに' : hold <= 6 ? '毛流れと束感のバランスがよく' : 'ショートの立ち上げやハードなスタイルに'}。`,
      ['シャンプーで落としやすい処方', 'ほのかなシトラスの香り'],
    ),
    image: 'styling-wax',
    restriction: 'none',
    variants: singleAndCase('80g', priceIn(rng, 1400, 2200), 6, '個'),
  }));
  const others: Array<[string, string, DemoImageKey, string, number, number]> = [
    ['ハードスプレー', 'ホールド力の高いセットスプレー。湿気の多い日もスタイルをキープします。', 'styling-spray', '180g', 1300, 1900],
    ['ソフトスプレー', '自然な毛流れを残してふんわり固定する、仕上げ用スプレー。', 'styling-spray', '180g', 1300, 1900],
    ['カールフォーム', 'パーマスタイルのカールを弾むように再現するフォーム。', 'styling-spray', '150g', 1400, 2000],
    ['スタイリングバーム', '手肌にも使える、植物由来のマルチバーム。ウェットな質感に。', 'styling-wax', '40g', 2000, 2800],
    ['グロスジェル', '濡れたようなツヤとまとまりをつくるジェル。', 'treatment-tube', '150g', 1200, 1800],
    ['スタイリングオイル', 'ツヤと束感を同時につくる、軽いテクスチャのオイル。', 'hair-oil', '90ml', 2000, 3000],
  ];
  return [
    ...waxes,
    ...others.map(([name, lead, image, capacity, min, max]) => ({
      categorySlug: 'styling',
      brandSlug: brand.slug,
      name: `${line} ${name}`,
      descriptionHtml: description(lead, ['サロンの仕上げにも店販にも']),
      image,
      restriction: 'none' as const,
      variants: [{ label: capacity, capacity, packSize: 1, listPriceYen: priceIn(rng, min, max) }],
    })),
  ];
}

/** A salon-only treatment menu in numbered steps, sold in back-bar sizes only. */
export function salonTreatmentSystem(rng: SeededRandom, brand: BrandRef, system: string): ProductDraft[] {
  const steps: Array<[string, string, DemoImageKey, string]> = [
    ['①プレミスト', '施術前に髪の内部を整え、次のステップの浸透を助けるミスト', 'hair-mist', '500ml'],
    ['②ベースセラム', '補修成分を髪の芯まで届けるセラム', 'scalp-serum', '500ml'],
    ['③コアクリーム', '補修成分を閉じ込める中間処理クリーム', 'treatment-jar', '500g'],
    ['④シールマスク', '表面をコートしてツヤと手ざわりを仕上げるマスク', 'treatment-tube', '500g'],
    ['⑤ホームケアミルク', 'サロンの仕上がりを持続させるホームケア用ミルク（店販用）', 'treatment-pump-cream', '120ml'],
  ];
  return steps.map(([step, lead, image, capacity]) => ({
    categorySlug: 'salon-treatment',
    brandSlug: brand.slug,
    name: `${system} ${step}`,
    descriptionHtml: description(
      `${system}の${step.slice(1)}。${lead}です。`,
      ['ダメージレベルに合わせて放置時間を調整', '施術マニュアルは会員ページからダウンロードできます'],
      PROFESSIONAL_NOTE,
    ),
    image,
    restriction: 'professional',
    lotTracked: true,
    variants: [{ label: capacity, capacity, packSize: 1, listPriceYen: priceIn(rng, 4200, 8800) }],
  }));
}

/** 店販促進用のサンプルパウチ: one per care series. */
export function samplePouches(
  rng: SeededRandom,
  brand: BrandRef,
  seriesNames: readonly string[],
  professional: boolean,
): ProductDraft[] {
  return seriesNames.map((series) => ({
    categorySlug: 'shampoo',
    brandSlug: brand.slug,
    name: `${series} サンプルパウチ（シャンプー＆トリートメント）`,
    descriptionHtml: description(
      '店販のお試し用サンプル。お客様へのお渡しやホテル・旅行用に。',
      ['シャンプー10ml＋トリートメント10g のペア', '50セット入り'],
      noteFor(professional),
    ),
    image: 'refill-pouch',
    restriction: restrictionOf(professional),
    variants: [{ label: '50セット', capacity: '10ml+10g', packSize: 50, listPriceYen: priceIn(rng, 2500, 3500) }],
  }));
}

/** 店販用のギフトボックス: shampoo and treatment of one series in a box. */
export function giftSets(rng: SeededRandom, brand: BrandRef, seriesNames: readonly string[]): ProductDraft[] {
  return seriesNames.map((series) => ({
    categorySlug: 'shampoo',
    brandSlug: brand.slug,
    name: `${series} ギフトセット（シャンプー300ml＋トリートメント250g）`,
    descriptionHtml: description('化粧箱入りのギフトセット。母の日・年末年始の店販におすすめです。', [
      'ショッパー付き',
      '熨斗（のし）対応はご注文時の備考欄でお知らせください',
    ]),
    image: 'treatment-pump-cream',
    restriction: 'none',
    variants: [
      { label: '1セット', capacity: '300ml+250g', packSize: 1, listPriceYen: priceIn(rng, 3200, 4800) },
      { label: '6セット', capacity: '300ml+250g', packSize: 6, minQuantity: 1, listPriceYen: priceIn(rng, 17000, 26000) },
    ],
  }));
}
