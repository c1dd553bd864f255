import type { DemoImageKey } from '../demo-images.ts';
import { type BrandRef, description, type ProductDraft, priceIn } from '../product-draft.ts';
import type { SeededRandom } from '../seeded-random.ts';

const DRINKS: Array<[string, string, DemoImageKey, string, number, number, number]> = [
  ['カモミール ハーブティー（ティーバッグ30包）', 'カラーの放置時間にほっとひと息。ノンカフェインのカモミール', 'herb-tea', '1.5g×30包', 30, 900, 1400],
  ['ルイボスティー（ティーバッグ30包）', 'ノンカフェインで妊娠中のお客様にもお出しできるルイボス', 'herb-tea', '2g×30包', 30, 800, 1300],
  ['ペパーミント ハーブティー（ティーバッグ30包）', 'ヘッドスパの後に、すっきりとしたミントの香り', 'herb-tea', '1.5g×30包', 30, 900, 1400],
  ['レモングラス＆ジンジャー（ティーバッグ30包）', '冷房の効いた待合室に、からだが温まるブレンド', 'herb-tea', '1.5g×30包', 30, 1000, 1500],
  ['ドリップコーヒー マイルドブレンド（50袋）', '一杯ずつ淹れる個包装のドリップバッグ', 'drip-coffee', '8g×50袋', 50, 2200, 3200],
  ['ドリップコーヒー デカフェ（30袋）', 'カフェインを97%以上除いたデカフェ', 'drip-coffee', '8g×30袋', 30, 1800, 2600],
  ['ほうじ茶 ティーバッグ（50包）', '香ばしくやさしい味わいの国産ほうじ茶', 'herb-tea', '2g×50包', 50, 900, 1400],
];

/** Waiting-room drinks: food, so 8% (軽減税率) — they make mixed-rate invoices happen. */
export function refreshments(rng: SeededRandom, brand: BrandRef, count = DRINKS.length): ProductDraft[] {
  return DRINKS.slice(0, count).map(([name, lead, image, capacity, pack, min, max]) => ({
    categorySlug: 'refreshments',
    brandSlug: brand.slug,
    name,
    descriptionHtml: description(`${lead}。`, ['お客様へのおもてなし用', '賞味期限まで6か月以上の商品をお届けします'], '飲食料品のため軽減税率（8%）の対象です。'),
    image,
    restriction: 'none',
    taxRate: 8,
    variants: [{ label: capacity, capacity, packSize: pack, listPriceYen: priceIn(rng, min, max) }],
  }));
}
