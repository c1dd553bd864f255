import { createSession } from '../src/domains/auth/session.service.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabaseFromConfig } from '../src/platform/db/open-database.ts';
import { withIdentity, withPlatform, withTenant } from '../src/platform/db/tenant-scope.ts';
import { cookieName } from '../src/platform/http/cookies.ts';

/**
 * A signed-in member for the catalog scenarios: a verified salon approved by BENCH_SHOP at its
 * 'silver' rank, and a session for it. Runs between the bench's two starts (PGlite has one
 * process at a time) and prints `BENCH_MEMBER <cookie> <product code>`.
 */
const shop = process.env.BENCH_SHOP ?? 'kaoru-haircare';
const config = loadConfig();
const database = await openDatabaseFromConfig(config);
const tenant = await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').where('slug', '=', shop).executeTakeFirstOrThrow());
const accountId = crypto.randomUUID();
const userId = crypto.randomUUID();
const token = await withIdentity(database, { accountId, principalId: userId, audience: 'salon' }, async (tx) => {
  await tx
    .insertInto('salon_accounts')
    .values({
      id: accountId,
      business_type: 'corporation',
      company_name: '株式会社ベンチサロン',
      salon_name: 'ベンチサロン',
      representative_name: '計測 太郎',
      postal_code: '1500001',
      prefecture: '東京都',
      city: '渋谷区',
      address_line1: '神宮前1-1-1',
      phone: '03-5555-0000',
      verification_status: 'verified',
    })
    .execute();
  await tx.insertInto('salon_users').values({ id: userId, account_id: accountId, email: `bench-${userId.slice(0, 8)}@salon.example`, display_name: 'ベンチサロン', role: 'owner' }).execute();
  return (await createSession(tx, { audience: 'salon', userId, accountId })).token;
});
const code = await withTenant(database, tenant.id, async (tx) => {
  const rank = await tx.selectFrom('shop_price_ranks').select('id').where('code', '=', 'silver').executeTakeFirstOrThrow();
  await tx
    .insertInto('memberships')
    .values({ tenant_id: tenant.id, account_id: accountId, status: 'approved', rank_id: rank.id, consent_at: new Date(), consent_version: 'bench', decided_at: new Date() })
    .execute();
  const product = await tx.selectFrom('products').select('code').where('status', '=', 'active').orderBy('code').limit(1).executeTakeFirstOrThrow();
  return product.code;
});
process.stdout.write(`BENCH_MEMBER ${cookieName(config, 'session')}=${token} ${code}\n`);
await database.close();
