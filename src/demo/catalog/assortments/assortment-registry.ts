import type { DemoAssortment } from '../demo-catalog.ts';
import type { DemoShopSlug } from '../demo-shops.ts';
import type { SeededRandom } from '../seeded-random.ts';
import { ayameColorAssortment } from './ayame-color.assortment.ts';
import { hanatsumeNailAssortment } from './hanatsume-nail.assortment.ts';
import { kaoruHaircareAssortment } from './kaoru-haircare.assortment.ts';
import { kirihaToolsAssortment } from './kiriha-tools.assortment.ts';
import { mallAssortment } from './mall.assortment.ts';
import { shirotaeTowelAssortment } from './shirotae-towel.assortment.ts';

const ASSORTMENTS: Record<DemoShopSlug, (rng: SeededRandom) => DemoAssortment> = {
  mall: mallAssortment,
  'ayame-color': ayameColorAssortment,
  'kiriha-tools': kirihaToolsAssortment,
  'shirotae-towel': shirotaeTowelAssortment,
  'hanatsume-nail': hanatsumeNailAssortment,
  'kaoru-haircare': kaoruHaircareAssortment,
};

export function assortmentFor(slug: DemoShopSlug, rng: SeededRandom): DemoAssortment {
  return ASSORTMENTS[slug](rng);
}
