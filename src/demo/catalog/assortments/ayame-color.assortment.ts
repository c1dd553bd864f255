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
  VIVID_SHADES,
} from '../families/color-perm.families.ts';
import { colorShampoos, salonTreatmentSystem } from '../families/hair-care.families.ts';
import type { SeededRandom } from '../seeded-random.ts';

const MAKER = '株式会社あやめ化研';

const AYAME_COLOR: DemoBrand = {
  slug: 'ayame-color',
  name: 'アヤメカラー',
  code: 'AYC',
  maker: MAKER,
  description: '透明感と色持ちを追求した、あやめ化研の主力ファッションカラー。',
};
const LUXCHE: DemoBrand = {
  slug: 'luxche',
  name: 'ルクシェ',
  code: 'LXC',
  maker: MAKER,
  description: 'ブリーチ毛に鮮やかに発色するビビッド＆ハイトーンカラー。',
};
const SILVEIL: DemoBrand = {
  slug: 'silveil',
  name: 'シルヴェール',
  code: 'SVL',
  maker: MAKER,
  description: '白髪をしっかり染めながら、おしゃれ染めの色味を楽しめるグレイカラー。',
};
const AYAME_PRO: DemoBrand = {
  slug: 'ayame-pro',
  name: 'アヤメプロ',
  code: 'AYP',
  maker: MAKER,
  description: 'オキシ・ブリーチ・パーマ剤・縮毛矯正剤など、施術を支えるプロ用薬剤。',
};

export function ayameColorAssortment(rng: SeededRandom): DemoAssortment {
  return {
    brands: [AYAME_COLOR, LUXCHE, SILVEIL, AYAME_PRO],
    drafts: [
      ...colorCreams(rng, AYAME_COLOR, 'アヤメカラー', FASHION_SHADES, [5, 6, 7, 8, 9, 10, 11, 12, 13]),
      ...colorCreams(rng, LUXCHE, 'ルクシェ', VIVID_SHADES, [8, 10, 12], { priceMin: 900, priceMax: 1200 }),
      ...colorCreams(rng, SILVEIL, 'シルヴェール', GRAY_SHADES, [3, 4, 5, 6, 7, 8, 9, 10, 11], { gray: true }),
      ...colorCreams(
        rng,
        SILVEIL,
        'シルヴェール ファッション',
        FASHION_SHADES.filter((s) => ['A', 'MT', 'GG', 'BE', 'PK'].includes(s.code)),
        [8, 10, 12],
        { gray: true },
      ),
      ...oxidants(rng, AYAME_PRO, 'アヤメプロ'),
      ...bleaches(rng, AYAME_PRO, 'アヤメプロ'),
      ...colorSupplies(rng, AYAME_PRO),
      ...colorShampoos(rng, AYAME_COLOR, 'アヤメカラー'),
      ...salonTreatmentSystem(rng, AYAME_PRO, 'アヤメプロ カラーケアシステム'),
      ...permLotions(rng, AYAME_PRO, 'アヤメプロ ウェーブ', ['システイン', 'チオグリコール酸', 'システアミン']),
      ...straighteners(rng, AYAME_PRO, 'アヤメプロ'),
      ...permSupplies(rng, AYAME_PRO, [6, 8, 10, 12, 14, 16, 18, 20, 22, 25, 28, 32]),
    ],
  };
}
