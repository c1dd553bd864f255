import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import type { StaffRole } from '../accounts/accounts.tables.ts';
import { createSession } from '../auth/session.service.ts';
import type { CatalogActor } from './catalog-actor.ts';
import { saveBrand, saveCategory } from './taxonomy.service.ts';

/** Test fixtures: two demo shops, each with ranks, a small category tree and a brand. */

export interface ShopFixture {
  tenantId: string;
  slug: string;
  ranks: { id: string; code: string }[];
  topCategoryId: string;
  categoryId: string;
  brandId: string;
}

export const TEST_ACTOR = (userId: string): CatalogActor => ({ userId, label: 'テスト担当' });

export async function shopFixture(database: Database, slug: string): Promise<ShopFixture> {
  await seedDemoPlatform(database);
  const tenantId = await withPlatform(database, async (tx) => (await tx.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id);
  return withTenant(database, tenantId, async (tx) => {
    const existingRanks = await tx.selectFrom('shop_price_ranks').select(['id', 'code']).orderBy('sort_order').execute();
    const ranks = existingRanks.length
      ? existingRanks
      : await tx
          .insertInto('shop_price_ranks')
          .values([
            { tenant_id: tenantId, code: 'gold', name: 'ゴールド', rate: '0.7000', sort_order: 1 },
            { tenant_id: tenantId, code: 'standard', name: 'スタンダード', rate: '0.8000', sort_order: 2 },
          ])
          .returning(['id', 'code'])
          .execute();
    const actor = TEST_ACTOR('00000000-0000-4000-8000-000000000000');
    const found = await tx.selectFrom('categories').select(['id', 'slug']).execute();
    const bySlug = new Map(found.map((c) => [c.slug, c.id]));
    const topCategoryId = bySlug.get('hair-care') ?? (await saveCategory(tx, actor, null, { slug: 'hair-care', name: 'ヘアケア', sort_order: '1' })).id;
    const categoryId = bySlug.get('shampoo') ?? (await saveCategory(tx, actor, null, { slug: 'shampoo', name: 'シャンプー', parent_id: topCategoryId, sort_order: '1' })).id;
    const brand = await tx.selectFrom('brands').select('id').where('slug', '=', 'aqua-salon').executeTakeFirst();
    const brandId = brand?.id ?? (await saveBrand(tx, actor, null, { slug: 'aqua-salon', name: 'アクアサロン', name_kana: 'あくあさろん', maker: '水野化粧品' })).id;
    return { tenantId, slug, ranks, topCategoryId, categoryId, brandId };
  });
}

/** An active, MFA-verified staff member of the shop and a session cookie value for them. */
export async function staffSession(database: Database, tenantId: string, role: StaffRole): Promise<{ userId: string; token: string }> {
  return withTenant(database, tenantId, async (tx) => {
    const user = await tx
      .insertInto('staff_users')
      .values({ tenant_id: tenantId, email: `${role}-${Math.random().toString(36).slice(2)}@example.jp`, display_name: `${role} 担当`, role, status: 'active' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { token } = await createSession(tx, { audience: 'staff', userId: user.id, boundTenantId: tenantId, mfaVerified: true });
    return { userId: user.id, token };
  });
}
