import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../staff/staff-actor.ts';

/** A shop's price ranks (掛け率: the share of the list price a rank pays, 0 < rate ≤ 1). */

export const priceRankSchema = z.object({
  code: z.string().trim().regex(/^[a-z0-9_-]{1,30}$/, 'コードは半角小文字英数字・ハイフン・アンダースコア30文字以内で入力してください。'),
  name: z.string().trim().min(1, 'ランク名を入力してください。').max(50, 'ランク名は50文字以内で入力してください。'),
  rate: z
    .string()
    .trim()
    .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, '掛け率は0より大きく1以下の数(小数4桁まで、例: 0.75)で入力してください。')
    .refine((v) => Number(v) > 0 && Number(v) <= 1, '掛け率は0より大きく1以下の数(小数4桁まで、例: 0.75)で入力してください。'),
  sortOrder: z
    .string()
    .trim()
    .regex(/^-?\d{1,6}$/, '表示順は整数で入力してください。')
    .transform(Number)
    .default(0),
});

export type PriceRankInput = z.output<typeof priceRankSchema>;

export function listPriceRanks(tx: Tx) {
  return tx.selectFrom('shop_price_ranks').select(['id', 'code', 'name', 'rate', 'sort_order']).orderBy('sort_order').orderBy('code').execute();
}

async function assertCodeFree(tx: Tx, code: string, exceptId?: string) {
  let q = tx.selectFrom('shop_price_ranks').select('id').where('code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw new ValidationError({ code: 'このコードは既に使われています。' });
}

export async function createPriceRank(tx: Tx, actor: StaffActor, tenantId: string, input: PriceRankInput) {
  await assertCodeFree(tx, input.code);
  const rank = await tx
    .insertInto('shop_price_ranks')
    .values({ tenant_id: tenantId, code: input.code, name: input.name, rate: input.rate, sort_order: input.sortOrder })
    .returning(['id', 'code', 'name', 'rate'])
    .executeTakeFirstOrThrow();
  await auditByStaff(tx, actor, { action: 'price_rank.create', resourceType: 'price_rank', resourceId: rank.id, result: 'success', detail: { ...input } });
  return rank;
}

export async function updatePriceRank(tx: Tx, actor: StaffActor, rankId: string, input: PriceRankInput) {
  if (!/^[0-9a-f-]{36}$/.test(rankId)) throw new NotFoundError();
  const before = await tx.selectFrom('shop_price_ranks').select(['code', 'name', 'rate', 'sort_order']).where('id', '=', rankId).executeTakeFirst();
  if (!before) throw new NotFoundError('価格ランクが見つかりません。');
  await assertCodeFree(tx, input.code, rankId);
  await tx.updateTable('shop_price_ranks').set({ code: input.code, name: input.name, rate: input.rate, sort_order: input.sortOrder }).where('id', '=', rankId).execute();
  await auditByStaff(tx, actor, { action: 'price_rank.update', resourceType: 'price_rank', resourceId: rankId, result: 'success', detail: { before, after: { ...input } } });
}
