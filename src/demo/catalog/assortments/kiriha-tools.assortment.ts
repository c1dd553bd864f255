import type { DemoAssortment, DemoBrand } from '../demo-catalog.ts';
import type { DemoImageKey } from '../demo-images.ts';
import {
  brushes,
  type CombModel,
  combs,
  cutScissors,
  dryers,
  irons,
  type ScissorsModel,
  type ThinningModel,
  thinningScissors,
  toolAccessories,
} from '../families/tools.families.ts';
import type { SeededRandom } from '../seeded-random.ts';

const MAKER = '株式会社切羽刃物製作所';

const KIRIHA: DemoBrand = {
  slug: 'kiriha',
  name: 'KIRIHA（切羽）',
  code: 'KRH',
  maker: MAKER,
  description: '刃物の町で三代続く工房が、一丁ずつ刃付けするシザー。',
};
const KUSHIMARU: DemoBrand = {
  slug: 'kushimaru',
  name: '櫛丸',
  code: 'KSM',
  maker: MAKER,
  description: 'カーボン・つげ・耐熱樹脂の理美容コーム。歯先まで手仕上げ。',
};
const AIRIS: DemoBrand = {
  slug: 'airis',
  name: 'エアリス',
  code: 'ARS',
  maker: MAKER,
  description: 'サロンワークのための大風量ドライヤーとヘアアイロン、ブラシ。',
};

const SERIES: ReadonlyArray<{ name: string; steel: string; image: DemoImageKey; min: number; max: number; lefty: boolean }> = [
  { name: '雅 MIYABI', steel: 'コバルト基合金', image: 'scissors-gold', min: 62000, max: 76000, lefty: true },
  { name: '凛 RIN', steel: '粉末ハイス鋼', image: 'scissors-silver', min: 52000, max: 68000, lefty: true },
  { name: '颯 HAYATE', steel: 'コバルト基合金', image: 'scissors-black', min: 48000, max: 64000, lefty: true },
  { name: '紬 TSUMUGI', steel: 'V金10号相当ステンレス', image: 'scissors-silver', min: 38000, max: 52000, lefty: true },
  { name: '玄 GEN', steel: 'ATS314相当ステンレス', image: 'scissors-black', min: 36000, max: 50000, lefty: true },
  { name: '蒼 AO', steel: 'ATS314相当ステンレス', image: 'scissors-silver', min: 32000, max: 46000, lefty: true },
  { name: '朔 SAKU', steel: '高硬度ステンレス', image: 'scissors-gold', min: 28000, max: 40000, lefty: false },
  { name: '燕 TSUBAME', steel: '高硬度ステンレス', image: 'scissors-silver', min: 26000, max: 36000, lefty: false },
  { name: '楓 KAEDE', steel: 'モリブデン鋼', image: 'scissors-black', min: 24000, max: 34000, lefty: false },
  { name: '霞 KASUMI', steel: 'モリブデン鋼', image: 'scissors-silver', min: 22000, max: 30000, lefty: false },
  { name: '鋼 HAGANE', steel: 'ステンレス刃物鋼', image: 'scissors-black', min: 20000, max: 28000, lefty: false },
  { name: '暁 AKATSUKI', steel: 'ステンレス刃物鋼', image: 'scissors-gold', min: 20000, max: 26000, lefty: false },
];

const CUT_TYPES: ReadonlyArray<{ type: string; feature: string; sizes: string[]; extra: number }> = [
  { type: 'カットシザー', feature: 'ブラントカットでの切れ味と、開閉の軽さを両立', sizes: ['5.5', '6.0', '6.5'], extra: 0 },
  { type: 'ストロークシザー', feature: '刃の反りを強め、スライドカットで髪が逃げにくい', sizes: ['6.0', '6.5'], extra: 4000 },
  { type: 'ドライカットシザー', feature: '乾いた髪でもかみ込まない、ハマグリ刃の仕上げ', sizes: ['5.8', '6.3'], extra: 2000 },
  { type: 'ロングシザー', feature: 'メンズの刈り上げやコームオーバーに向く長刃', sizes: ['6.5', '7.0'], extra: 3000 },
];

function scissorsModels(): ScissorsModel[] {
  return SERIES.flatMap((s) =>
    CUT_TYPES.map((t) => ({
      name: `${s.name} ${t.type}`,
      steel: s.steel,
      feature: t.feature,
      image: s.image,
      sizes: t.sizes,
      priceMin: Math.min(78000, s.min + t.extra),
      priceMax: Math.min(80000, s.max + t.extra),
      lefty: s.lefty && t.type === 'カットシザー',
    })),
  );
}

function thinningModels(): ThinningModel[] {
  const rates: Array<[number, string, string]> = [
    [30, '10%', '毛量をほとんど減らさず、毛先の質感調整に'],
    [30, '20%', '量感調整から質感づくりまでこなす万能タイプ'],
    [25, '30%', '中間からの量感調整に'],
    [20, '40%', '多毛・硬毛の量をしっかり減らしたいときに'],
  ];
  return SERIES.slice(0, 9).flatMap((s) =>
    rates.map(([teeth, cutRate, feature]) => ({
      name: `${s.name} セニング`,
      teeth,
      cutRate,
      feature,
      priceMin: Math.max(25000, s.min - 2000),
      priceMax: Math.min(70000, s.max - 4000),
    })),
  );
}

function combModels(): CombModel[] {
  const kinds: Array<[string, number, number, number]> = [
    ['カットコーム', 180, 600, 1400],
    ['ワイドカットコーム', 210, 700, 1500],
    ['メンズカットコーム', 195, 600, 1400],
    ['ブローコーム', 200, 700, 1600],
    ['ショートカットコーム', 160, 500, 1200],
  ];
  const carbon: CombModel[] = Array.from({ length: 50 }, (_, i) => {
    const [kind, length, min, max] = kinds[i % kinds.length]!;
    return {
      number: String(101 + i),
      kind,
      lengthMm: length + (i % 3) * 5,
      material: i % 2 === 0 ? 'カーボン樹脂' : '耐熱ナイロン',
      image: 'comb-cut' as const,
      priceMin: min,
      priceMax: max,
    };
  });
  const tsuge: CombModel[] = Array.from({ length: 10 }, (_, i) => ({
    number: String(201 + i),
    kind: i % 2 === 0 ? 'つげ 解かし櫛' : 'つげ セット櫛',
    lengthMm: 150 + i * 5,
    material: 'つげ',
    image: 'comb-wood' as const,
    priceMin: 1800,
    priceMax: 2500,
  }));
  const tail: CombModel[] = Array.from({ length: 10 }, (_, i) => ({
    number: String(301 + i),
    kind: i % 2 === 0 ? 'テールコーム' : 'リングコーム',
    lengthMm: 215 + (i % 4) * 5,
    material: i < 5 ? 'カーボン樹脂' : 'ステンレステール付き樹脂',
    image: 'comb-tail' as const,
    priceMin: 500,
    priceMax: 1200,
  }));
  return [...carbon, ...tsuge, ...tail];
}

export function kirihaToolsAssortment(rng: SeededRandom): DemoAssortment {
  return {
    brands: [KIRIHA, KUSHIMARU, AIRIS],
    drafts: [
      ...cutScissors(rng, KIRIHA, scissorsModels()),
      ...thinningScissors(rng, KIRIHA, thinningModels()),
      ...combs(rng, KUSHIMARU, '櫛丸', combModels()),
      ...brushes(rng, KUSHIMARU, '櫛丸'),
      ...brushes(rng, AIRIS, 'エアリス'),
      ...dryers(rng, AIRIS, [
        { name: 'エアリス プロドライヤー 1500', watts: 1500, feature: '大風量で速乾、サロンの標準機', colors: ['ホワイト', 'ブラック'], priceMin: 16000, priceMax: 22000 },
        { name: 'エアリス プロドライヤー 1200 ライト', watts: 1200, feature: '約480gの軽量ボディ', colors: ['ホワイト', 'ピンク'], priceMin: 12000, priceMax: 16000 },
        { name: 'エアリス ブラックエディション', watts: 1500, feature: 'マイナスイオンでツヤのある仕上がり', colors: ['ブラック'], priceMin: 22000, priceMax: 30000 },
        { name: 'エアリス スカルプドライヤー', watts: 1400, feature: '頭皮にやさしい低温モード搭載', colors: ['ホワイト'], priceMin: 26000, priceMax: 36000 },
        { name: 'エアリス サロンジェット', watts: 1600, feature: '高速モーターで乾燥時間を約30%短縮', colors: ['ブラック', 'ホワイト', 'シルバー'], priceMin: 30000, priceMax: 40000 },
        { name: 'エアリス コンパクト', watts: 1200, feature: '折りたたみ式、出張カットや面貸しに', colors: ['ホワイト', 'ブラック'], priceMin: 12000, priceMax: 15000 },
      ]),
      ...irons(rng, AIRIS, 'エアリス'),
      ...irons(rng, AIRIS, 'エアリス ネオ'),
      ...toolAccessories(rng, KIRIHA),
    ],
  };
}
