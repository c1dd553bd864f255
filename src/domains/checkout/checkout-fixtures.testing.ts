import { randomUUID } from 'node:crypto';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { seedDemoShopSettings } from '../../demo/seed-shop-settings.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { createSession } from '../auth/session.service.ts';
import { type Buyer, loadBuyer } from '../cart/buyer.ts';

/** Test fixtures for cart and checkout: a demo shop with settings, a few variants and member salons. */

export interface CommerceShop {
  tenantId: string;
  slug: string;
  rankId: string;
  categoryId: string;
}

export async function commerceShop(database: Database, slug = 'ayame-color'): Promise<CommerceShop> {
  await seedDemoPlatform(database);
  await seedDemoShopSettings(database);
  const tenantId = await withPlatform(database, async (tx) => (await tx.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id);
  return withTenant(database, tenantId, async (tx) => {
    const rank =
      (await tx.selectFrom('shop_price_ranks').select('id').where('code', '=', 'test-gold').executeTakeFirst()) ??
      (await tx.insertInto('shop_price_ranks').values({ tenant_id: tenantId, code: 'test-gold', name: 'ゴールド', rate: '0.7000', sort_order: 1 }).returning('id').executeTakeFirstOrThrow());
    const category =
      (await tx.selectFrom('categories').select('id').where('slug', '=', 'test-color').executeTakeFirst()) ??
      (await tx.insertInto('categories').values({ tenant_id: tenantId, slug: 'test-color', name: 'カラー剤' }).returning('id').executeTakeFirstOrThrow());
    return { tenantId, slug, rankId: rank.id, categoryId: category.id };
  });
}

export interface VariantSpec {
  sku: string;
  name?: string;
  jan?: string | null;
  listPriceYen?: number;
  stock?: number;
  taxRate?: 8 | 10;
  restricted?: boolean;
  minQuantity?: number;
  orderMultiple?: number;
}

export async function addVariant(database: Database, shop: CommerceShop, spec: VariantSpec): Promise<string> {
  return withTenant(database, shop.tenantId, async (tx) => {
    const product = await tx
      .insertInto('products')
      .values({
        tenant_id: shop.tenantId,
        code: `P-${spec.sku}`,
        name: spec.name ?? `テスト商品 ${spec.sku}`,
        category_id: shop.categoryId,
        status: 'active',
        tax_rate: spec.taxRate ?? 10,
        restriction: spec.restricted ? 'professional' : 'none',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const variant = await tx
      .insertInto('product_variants')
      .values({
        tenant_id: shop.tenantId,
        product_id: product.id,
        sku: spec.sku,
        jan_code: spec.jan ?? null,
        capacity: '1000ml',
        list_price_yen: spec.listPriceYen ?? 1000,
        stock_on_hand: spec.stock ?? 100,
        min_quantity: spec.minQuantity ?? 1,
        order_multiple: spec.orderMultiple ?? 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return variant.id;
  });
}

export interface MemberSpec {
  verified?: boolean;
  invoiceTerms?: boolean;
  creditLimitYen?: number;
  users?: number;
  synthetic?: boolean;
}

export interface TestMember {
  accountId: string;
  userIds: string[];
  emails: string[];
  locationId: string;
  membershipId: string;
}

export async function addMember(database: Database, shop: CommerceShop, spec: MemberSpec = {}): Promise<TestMember> {
  const accountId = randomUUID();
  const tag = accountId.slice(0, 8);
  const created = await withIdentity(database, { accountId, audience: 'salon' }, async (tx) => {
    await tx
      .insertInto('salon_accounts')
      .values({
        id: accountId,
        business_type: 'corporation',
        company_name: `株式会社テスト美容 ${tag}`,
        salon_name: `サロン・テスト ${tag}`,
        representative_name: '試験 花子',
        postal_code: '1500001',
        prefecture: '東京都',
        city: '渋谷区',
        address_line1: '神宮前1-2-3',
        phone: '03-5555-0000',
        verification_status: spec.verified === false ? 'unsubmitted' : 'verified',
        verification_expires_at: spec.verified === false ? null : '2099-12-31',
      })
      .execute();
    const userIds: string[] = [];
    const emails: string[] = [];
    for (let i = 0; i < (spec.users ?? 1); i++) {
      const email = `buyer${i}-${tag}@salon.example`;
      const user = await tx
        .insertInto('salon_users')
        .values({ account_id: accountId, email, display_name: `購買 担当${i + 1}`, role: i === 0 ? 'owner' : 'buyer', status: 'active', is_synthetic: spec.synthetic ?? false })
        .returning('id')
        .executeTakeFirstOrThrow();
      userIds.push(user.id);
      emails.push(email);
    }
    const location = await tx
      .insertInto('salon_locations')
      .values({
        account_id: accountId,
        label: '本店',
        recipient_name: '試験 花子',
        postal_code: '1500001',
        prefecture: '東京都',
        city: '渋谷区',
        address_line1: '神宮前1-2-3',
        address_line2: 'テストビル2階',
        phone: '03-5555-0000',
        is_default: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { userIds, emails, locationId: location.id };
  });
  const membership = await withTenant(database, shop.tenantId, (tx) =>
    tx
      .insertInto('memberships')
      .values({
        tenant_id: shop.tenantId,
        account_id: accountId,
        status: 'approved',
        rank_id: shop.rankId,
        invoice_terms_enabled: spec.invoiceTerms ?? false,
        credit_limit_yen: spec.creditLimitYen ?? 0,
        closing_day: 20,
        payment_month_offset: 1,
        payment_day: 31,
        consent_at: new Date(),
        consent_version: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return { accountId, membershipId: membership.id, ...created };
}

/** A salon session cookie value for one of the member's users, bound to the shop. */
export async function memberSession(database: Database, shop: CommerceShop, member: TestMember, userIndex = 0): Promise<string> {
  const userId = member.userIds[userIndex]!;
  return withIdentity(database, { accountId: member.accountId, principalId: userId, audience: 'salon' }, async (tx) => {
    const { token } = await createSession(tx, { audience: 'salon', userId, accountId: member.accountId, boundTenantId: shop.tenantId });
    return token;
  });
}

/** Runs fn as the member's user inside the shop, the way a request does. */
export function asMember<T>(database: Database, shop: CommerceShop, member: TestMember, fn: (tx: Parameters<Parameters<typeof withIdentity>[2]>[0], buyer: Buyer) => Promise<T>, userIndex = 0): Promise<T> {
  const userId = member.userIds[userIndex]!;
  return withIdentity(database, { tenantId: shop.tenantId, accountId: member.accountId, principalId: userId, audience: 'salon' }, async (tx) => {
    const buyer = await loadBuyer(tx, shop.tenantId, { userId, accountId: member.accountId, email: member.emails[userIndex]!, displayName: '購買 担当', isSynthetic: false });
    return fn(tx, buyer);
  });
}
