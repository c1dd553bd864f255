import type { DemoImageKey } from '../demo-images.ts';
import { type BrandRef, description, PROFESSIONAL_NOTE, type ProductDraft, priceIn } from '../product-draft.ts';
import type { SeededRandom } from '../seeded-random.ts';

interface GelTone {
  image: DemoImageKey;
  names: readonly string[];
}

const GEL_TONES: readonly GelTone[] = [
  {
    image: 'gel-pink',
    names: ['ミルキーピンク', 'ベビーピンク', 'サクラ', 'ローズピンク', 'コーラルピンク', 'ピーチ', 'フューシャ', 'ダスティピンク', 'モーヴピンク', 'ストロベリー'],
  },
  { image: 'gel-red', names: ['クラシックレッド', 'ボルドー', 'ワインレッド', 'チェリー', 'テラコッタ', 'ブリック', 'ルージュ', 'カシス'] },
  {
    image: 'gel-nude',
    names: ['ヌードベージュ', 'ミルクティー', 'グレージュ', 'キャメル', 'モカ', 'ショコラ', 'サンドベージュ', 'カフェオレ', 'ハニーベージュ', 'シナモン'],
  },
  {
    image: 'gel-blue',
    names: ['ネイビー', 'サックス', 'アイスブルー', 'ターコイズ', 'ミッドナイト', 'デニム', 'ラベンダー', 'ライラック', 'ミント', 'セージ', 'カーキ', 'オリーブ'],
  },
  { image: 'gel-clear', names: ['ミルキーホワイト', 'スノーホワイト', 'シアーホワイト', 'グレー', 'チャコール', 'ブラック', 'シルバー', 'ゴールド'] },
];

export const GEL_FINISHES = ['クリーム', 'シアー', 'パール', 'ラメ'] as const;

/**
 * Colour gels numbered the way nail makers do (No.101…). `finishes` picks how many finishes each
 * colour comes in; `limit` trims the list for shops that carry a selection only.
 */
export function colorGels(
  rng: SeededRandom,
  brand: BrandRef,
  line: string,
  finishes: readonly (typeof GEL_FINISHES)[number][],
  limit = Number.POSITIVE_INFINITY,
): ProductDraft[] {
  const drafts: ProductDraft[] = [];
  for (const finish of finishes) {
    // Each finish has its own hundred (クリーム 1xx, シアー 2xx…), so numbers never collide.
    let number = (GEL_FINISHES.indexOf(finish) + 1) * 100;
    for (const tone of GEL_TONES) {
      for (const name of tone.names) {
        number++;
        if (drafts.length >= limit) return drafts;
        const price = priceIn(rng, 1500, 3000);
        drafts.push({
          categorySlug: 'color-gel',
          brandSlug: brand.slug,
          name: `${line} No.${number} ${name}（${finish}）`,
          descriptionHtml: description(
            `${finish}仕上げのカラージェル「${name}」。セルフレベリング性が高く、一度塗りでもムラになりにくい発色です。`,
            ['LED 30〜60秒／UV 2分で硬化', '筆に取りやすいやわらかめの粘度', '日本国内製造'],
            PROFESSIONAL_NOTE,
          ),
          image: tone.image,
          restriction: 'professional',
          lotTracked: true,
          variants: [
            { label: '7g', capacity: '7g', packSize: 1, listPriceYen: price },
            ...(rng.chance(0.2) ? [{ label: '3g ミニ', capacity: '3g', packSize: 1, listPriceYen: Math.max(800, Math.round(price * 0.55 / 10) * 10) }] : []),
          ],
        });
      }
    }
  }
  return drafts;
}

export function baseTopGels(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const items: Array<[string, string, DemoImageKey]> = [
    ['ベースジェル ソフト', 'オフしやすいソフトタイプのベース。サンディング不要', 'nail-base'],
    ['ベースジェル ハード', '爪が弱い方や長さだしに向く、強度のあるベース', 'nail-base'],
    ['ベースジェル フィルイン', '一層残して付け替えるフィルイン施術向けのベース', 'nail-base'],
    ['トップジェル ノンワイプ', '拭き取り不要で、高いツヤが続くトップ', 'nail-top'],
    ['トップジェル マット', 'ツヤを抑えたマット仕上げのトップ', 'nail-top'],
    ['トップジェル ハイグロス', 'ぷっくりとした立体感とツヤのトップ', 'nail-top'],
    ['クリアジェル ソフト', 'アートの埋め込みやコーティングに', 'gel-clear'],
    ['クリアジェル ハード', 'スカルプチュアや長さ出しに', 'gel-clear'],
    ['ワンステップジェル', 'ベース・カラー・トップを一本で。時短メニューに', 'nail-base'],
  ];
  return items.map(([name, lead, image]) => ({
    categorySlug: 'base-top',
    brandSlug: brand.slug,
    name: `${line} ${name}`,
    descriptionHtml: description(`${lead}。`, ['LED 60秒／UV 2分で硬化', '日本国内製造'], PROFESSIONAL_NOTE),
    image,
    restriction: 'professional',
    lotTracked: true,
    variants: [
      { label: '15g', capacity: '15g', packSize: 1, listPriceYen: priceIn(rng, 2500, 4500) },
      { label: '30g 業務用', capacity: '30g', packSize: 1, listPriceYen: priceIn(rng, 4600, 7800) },
    ],
  }));
}

export function nailRemovers(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const items: Array<[string, string, string[], number, number]> = [
    ['ジェルリムーバー', 'アセトン配合、オフ時間を短縮するリムーバー', ['500ml', '1000ml'], 800, 2000],
    ['ノンアセトンリムーバー', '爪と皮膚への刺激を抑えたポリッシュ用リムーバー', ['500ml'], 900, 1800],
    ['ジェルクリーナー', '未硬化ジェルの拭き取り・ブラシの洗浄に', ['500ml', '1000ml'], 800, 1800],
    ['プレプライマー', '油分・水分を除去して持ちをよくする前処理剤', ['15ml'], 1200, 2000],
    ['キューティクルリムーバー', '甘皮をやわらかくしてケアしやすくするジェル', ['30ml'], 1000, 1800],
    ['キューティクルオイル', '施術後の仕上げと乾燥対策に。ペンタイプ', ['5ml×12本'], 2400, 3600],
  ];
  return items.map(([name, lead, sizes, min, max]) => ({
    categorySlug: 'remover',
    brandSlug: brand.slug,
    name: `${line} ${name}`,
    descriptionHtml: description(`${lead}。`, ['火気厳禁・換気のよい場所でお使いください']),
    image: 'nail-remover',
    restriction: 'none',
    variants: sizes.map((capacity, i) => ({
      label: capacity,
      capacity,
      packSize: capacity.includes('×12') ? 12 : 1,
      listPriceYen: priceIn(rng, min * (1 + i * 0.7), max * (1 + i * 0.7)),
    })),
  }));
}

export function nailFiles(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const grits = [100, 150, 180, 240];
  const boards: ProductDraft[] = grits.map((grit) => ({
    categorySlug: 'nail-file',
    brandSlug: brand.slug,
    name: `${line} エメリーボード ${grit}G`,
    descriptionHtml: description(`グリット${grit}のファイル。${grit <= 150 ? 'ジェルのオフや長さ調整に' : '形を整える仕上げに'}。`, [
      '洗浄・消毒して繰り返し使えます',
    ]),
    image: 'nail-file',
    restriction: 'none',
    variants: [
      { label: '10本入', capacity: `${grit}G`, packSize: 10, listPriceYen: priceIn(rng, 600, 1200) },
      { label: '50本入', capacity: `${grit}G`, packSize: 50, minQuantity: 1, listPriceYen: priceIn(rng, 2400, 4200) },
    ],
  }));
  const others: Array<[string, string, string, number, number, number]> = [
    ['スポンジバッファー 100/180G', '表面のサンディングに', '10個', 10, 800, 1400],
    ['スポンジバッファー 220/280G', '仕上げのなめらかさに', '10個', 10, 800, 1400],
    ['シャイナー', '自爪にツヤを出す3面シャイナー', '5本', 5, 700, 1200],
    ['ゼブラファイル 180/180G', '両面同じ粗さの定番ファイル', '10本', 10, 600, 1100],
    ['ウッドスティック（100本入）', 'キューティクルケア・はみ出し修正用', '100本', 100, 400, 800],
  ];
  return [
    ...boards,
    ...others.map(([name, lead, capacity, pack, min, max]) => ({
      categorySlug: 'nail-file',
      brandSlug: brand.slug,
      name: `${line} ${name}`,
      descriptionHtml: description(`${lead}。`, []),
      image: 'nail-file' as const,
      restriction: 'none' as const,
      variants: [{ label: capacity, capacity, packSize: pack, listPriceYen: priceIn(rng, min, max) }],
    })),
  ];
}

export function nailTools(rng: SeededRandom, brand: BrandRef, line: string): ProductDraft[] {
  const items: Array<[string, string, DemoImageKey, string, number, number]> = [
    ['LEDライト 48W', 'センサー付き、両手同時に硬化できるワイドタイプ', 'nail-lamp', '48W', 9800, 18000],
    ['LEDライト コンパクト 24W', '片手用の軽量モデル。出張ネイルに', 'nail-lamp', '24W', 5800, 9800],
    ['UV/LEDライト プロ 60W', 'UVジェル・LEDジェルの両方に対応', 'nail-lamp', '60W', 14000, 24000],
    ['ジェルブラシ フラット', '塗布・カラーリング用の定番フラット筆', 'nail-top', '#6', 1200, 2400],
    ['ジェルブラシ オーバル', '根元ぎりぎりまで塗りやすいオーバル筆', 'nail-top', '#6', 1200, 2400],
    ['ジェルブラシ ライナー', '細いラインやアートに', 'nail-top', '10mm', 1000, 2000],
    ['ジェルブラシ グラデーション', 'ぼかし・グラデーション専用', 'nail-top', '#8', 1200, 2400],
    ['ダストブラシ', 'ファイリング後のダストを払う大きめのブラシ', 'brush-round', '1本', 600, 1200],
    ['ネイルワイプ（400枚入）', 'けば立ちにくい拭き取り用ワイプ', 'towel-white', '400枚', 400, 700],
    ['メタルプッシャー', '甘皮の押し上げに。両頭タイプ', 'nail-file', '1本', 900, 1600],
  ];
  return items.map(([name, lead, image, capacity, min, max]) => ({
    categorySlug: 'nail-tools',
    brandSlug: brand.slug,
    name: `${line} ${name}`,
    descriptionHtml: description(`${lead}。`, image === 'nail-lamp' ? ['メーカー保証1年', 'タイマー 10・30・60秒'] : []),
    image,
    restriction: 'none',
    variants: [
      {
        label: capacity,
        capacity,
        packSize: capacity.endsWith('枚') ? Number(capacity.replace('枚', '')) : 1,
        listPriceYen: priceIn(rng, min, max),
      },
    ],
  }));
}
