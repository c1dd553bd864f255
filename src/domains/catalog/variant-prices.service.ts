import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { intField, parseRankPrice, type RankPriceValue } from './catalog.schemas.ts';
import { auditCatalog, type CatalogActor } from './catalog-actor.ts';
import { currentTenant } from './current-tenant.ts';

/** A variant's rank prices (yen or 掛け率 per rank), volume tiers and time-limited sale prices. */

async function requireVariant(tx: Tx, variantId: string): Promise<{ id: string; product_id: string }> {
  const variant = await tx.selectFrom('product_variants').select(['id', 'product_id']).where('id', '=', variantId).executeTakeFirst();
  if (!variant) throw new NotFoundError('バリエーションが見つかりません。');
  return variant;
}

/** Writes one rank's price for a variant; kind 'none' removes it so the rank's own rate applies. */
export async function writeRankPrice(tx: Tx, variantId: string, rankId: string, value: RankPriceValue): Promise<void> {
  if (value.kind === 'none') {
    await tx.deleteFrom('variant_rank_prices').where('variant_id', '=', variantId).where('rank_id', '=', rankId).execute();
    return;
  }
  const row = { price_yen: value.kind === 'yen' ? value.priceYen : null, rate: value.kind === 'rate' ? value.rate : null };
  await tx
    .insertInto('variant_rank_prices')
    .values({ tenant_id: currentTenant(), variant_id: variantId, rank_id: rankId, ...row })
    .onConflict((oc) => oc.columns(['tenant_id', 'variant_id', 'rank_id']).doUpdateSet(row))
    .execute();
}

/** `cells` maps rank id → what was typed (blank, yen, or a rate such as "75%"). */
export async function setRankPrices(tx: Tx, actor: CatalogActor, variantId: string, cells: Record<string, string>): Promise<void> {
  await requireVariant(tx, variantId);
  const ranks = await tx.selectFrom('shop_price_ranks').select(['id', 'code']).execute();
  const errors: Record<string, string> = {};
  const values = new Map<string, RankPriceValue>();
  for (const rank of ranks) {
    const parsed = parseRankPrice(cells[rank.id]);
    if (parsed.ok) values.set(rank.id, parsed.value);
    else errors[`rank.${rank.id}`] = parsed.message;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  for (const [rankId, value] of values) await writeRankPrice(tx, variantId, rankId, value);
  await auditCatalog(tx, actor, 'catalog.prices.ranks', { type: 'variant', id: variantId }, {
    prices: Object.fromEntries(ranks.map((r) => [r.code, values.get(r.id)])),
  });
}

const tierSchema = z.object({
  min_quantity: intField('数量', 2, 100000),
  discount_percent: z
    .string()
    .transform((v, ctx) => {
      const text = v.normalize('NFKC').trim().replace(/%$/, '');
      const n = Number(text);
      if (text === '' || !Number.isFinite(n) || n <= 0 || n >= 100 || !/^\d{1,2}(\.\d{1,2})?$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: '割引率は0より大きく100未満の数（%）で入力してください。' });
        return z.NEVER;
      }
      return Math.round(n * 100) / 10000;
    }),
});

/** Replaces a variant's volume tiers; rows with both fields blank are ignored. */
export async function setVolumeTiers(tx: Tx, actor: CatalogActor, variantId: string, rows: { min_quantity: string; discount_percent: string }[]): Promise<void> {
  await requireVariant(tx, variantId);
  const errors: Record<string, string> = {};
  const tiers: { min_quantity: number; discount_rate: number }[] = [];
  rows.forEach((row, i) => {
    if (row.min_quantity.trim() === '' && row.discount_percent.trim() === '') return;
    const parsed = tierSchema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors[`tiers.${i}.${issue.path.join('.')}`] ??= issue.message;
      return;
    }
    if (tiers.some((t) => t.min_quantity === parsed.data.min_quantity)) {
      errors[`tiers.${i}.min_quantity`] = '同じ数量の段階が重複しています。';
      return;
    }
    tiers.push({ min_quantity: parsed.data.min_quantity, discount_rate: parsed.data.discount_percent });
  });
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await tx.deleteFrom('volume_tiers').where('variant_id', '=', variantId).execute();
  if (tiers.length) await tx.insertInto('volume_tiers').values(tiers.map((t) => ({ ...t, tenant_id: currentTenant(), variant_id: variantId }))).execute();
  await auditCatalog(tx, actor, 'catalog.prices.tiers', { type: 'variant', id: variantId }, { tiers });
}

/** datetime-local input, read as Japan time. */
function parseJstDateTime(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+09:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export async function addSalePrice(tx: Tx, actor: CatalogActor, variantId: string, raw: { price_yen?: string; starts_at?: string; ends_at?: string }): Promise<{ id: string }> {
  await requireVariant(tx, variantId);
  const errors: Record<string, string> = {};
  const price = intField('セール価格', 0, 100_000_000).safeParse(raw.price_yen);
  if (!price.success) errors['sale.price_yen'] = price.error.issues[0]!.message;
  const startsAt = parseJstDateTime(raw.starts_at ?? '');
  const endsAt = parseJstDateTime(raw.ends_at ?? '');
  if (!startsAt) errors['sale.starts_at'] = '開始日時を入力してください。';
  if (!endsAt) errors['sale.ends_at'] = '終了日時を入力してください。';
  else if (startsAt && endsAt <= startsAt) errors['sale.ends_at'] = '終了日時は開始日時より後にしてください。';
  if (Object.keys(errors).length || !price.success || !startsAt || !endsAt) throw new ValidationError(errors);
  const row = await tx
    .insertInto('sale_prices')
    .values({ tenant_id: currentTenant(), variant_id: variantId, price_yen: price.data, starts_at: startsAt, ends_at: endsAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditCatalog(tx, actor, 'catalog.prices.sale_add', { type: 'variant', id: variantId }, { saleId: row.id, priceYen: price.data, startsAt, endsAt });
  return row;
}

export async function deleteSalePrice(tx: Tx, actor: CatalogActor, variantId: string, saleId: string): Promise<void> {
  const deleted = await tx.deleteFrom('sale_prices').where('id', '=', saleId).where('variant_id', '=', variantId).returning('id').executeTakeFirst();
  if (!deleted) throw new NotFoundError('セール価格が見つかりません。');
  await auditCatalog(tx, actor, 'catalog.prices.sale_delete', { type: 'variant', id: variantId }, { saleId });
}
