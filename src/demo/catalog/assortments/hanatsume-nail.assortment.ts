import type { DemoAssortment, DemoBrand } from '../demo-catalog.ts';
import { baseTopGels, colorGels, nailFiles, nailRemovers, nailTools } from '../families/nail.families.ts';
import { refreshments } from '../families/refreshments.families.ts';
import type { SeededRandom } from '../seeded-random.ts';

const MAKER = '株式会社ハナツメコスメティクス';

const HANATSUME_GEL: DemoBrand = {
  slug: 'hanatsume-gel',
  name: 'ハナツメジェル',
  code: 'HNG',
  maker: MAKER,
  description: '国内工場で製造する、発色と持ちにこだわったカラージェル。',
};
const PETAL: DemoBrand = {
  slug: 'petal-nail',
  name: 'ペタルネイル',
  code: 'PTL',
  maker: MAKER,
  description: 'ハナツメのベース・トップ、ケア用品とリムーバー。',
};
const NAILWORKS: DemoBrand = {
  slug: 'hanatsume-works',
  name: 'ハナツメワークス',
  code: 'HNW',
  maker: MAKER,
  description: 'ファイル・ブラシ・LEDライトなど、ネイリストの道具。',
};
const HOSPITALITY: DemoBrand = {
  slug: 'hanatsume-cafe',
  name: 'ハナツメ おもてなしセレクト',
  code: 'HNC',
  maker: MAKER,
  description: '施術中のお客様にお出しするお茶とコーヒー。',
};

export function hanatsumeNailAssortment(rng: SeededRandom): DemoAssortment {
  return {
    brands: [HANATSUME_GEL, PETAL, NAILWORKS, HOSPITALITY],
    drafts: [
      ...colorGels(rng, HANATSUME_GEL, 'ハナツメジェル', ['クリーム', 'シアー', 'ラメ']),
      ...colorGels(rng, HANATSUME_GEL, 'ハナツメジェル', ['パール'], 36),
      ...baseTopGels(rng, PETAL, 'ペタル'),
      ...nailRemovers(rng, PETAL, 'ペタル'),
      ...nailFiles(rng, NAILWORKS, 'ハナツメワークス'),
      ...nailTools(rng, NAILWORKS, 'ハナツメワークス'),
      ...refreshments(rng, HOSPITALITY, 4),
    ],
  };
}
