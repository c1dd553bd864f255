import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { addToCart } from '../../domains/cart/cart.service.ts';
import { placeOrder, prepareCheckout } from '../../domains/checkout/checkout.service.ts';
import { addMember, addVariant, asMember, type CommerceShop, commerceShop } from '../../domains/checkout/checkout-fixtures.testing.ts';
import { loadShopSettings } from '../../domains/orders/shop-settings.ts';
import type { Database } from '../db/database.ts';
import { withPlatform, withTenant } from '../db/tenant-scope.ts';
import { purgeExpired } from './retention-purge.job.ts';

/**
 * The purge deletes what has outlived its retention and nothing else: a 13-month-old CSP report
 * goes, a 2-month-old one stays; an order placed 6 years ago (inside 電子帳簿保存法's 7 years)
 * stays whatever its age, because orders are not purgeable at all.
 */

let database: Database;
let shop: CommerceShop;
const now = new Date();
const monthsAgo = (n: number) => new Date(now.getTime() - n * 31 * 86_400_000);
const count = async (table: string) => Number((await database.ownerExec(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n);

beforeAll(async () => {
  database = await createTestDatabase();
  shop = await commerceShop(database);
}, 60_000);
afterAll(async () => database?.close());

describe('retention purge', () => {
  it('purges old CSP reports, closed rate-limit windows, spent auth tokens and year-old sessions; keeps recent ones', async () => {
    for (const [tenantId, age] of [[shop.tenantId, 13], [shop.tenantId, 2], [null, 13]] as const) {
      const insert = (tx: Parameters<Parameters<typeof withPlatform>[1]>[0]) =>
        tx
          .insertInto('csp_reports')
          .values({
            tenant_id: tenantId,
            received_at: monthsAgo(age),
            page: 'checkout',
            document_uri: `https://x.test/${age}`,
            blocked_uri: '',
            violated_directive: '',
            effective_directive: '',
            disposition: 'enforce',
            source_file: '',
            script_sample: '',
            user_agent: '',
            client_ip: '',
          })
          .execute();
      if (tenantId) await withTenant(database, tenantId, insert);
      else await withPlatform(database, insert);
    }
    await database.ownerExec(`INSERT INTO rate_limit_counters (bucket, window_start, hits) VALUES ('old', now() - interval '2 hours', 3), ('current', now(), 1)`);
    await database.ownerExec(
      `INSERT INTO auth_tokens (kind, token_hash, subject, expires_at, used_at) VALUES
        ('password_reset', repeat('a', 64), 'old', now() - interval '40 days', NULL),
        ('password_reset', repeat('b', 64), 'live', now() + interval '1 hour', NULL)`,
    );
    const userId = crypto.randomUUID();
    await database.ownerExec(
      `INSERT INTO sessions (token_hash, audience, user_id, idle_expires_at, absolute_expires_at) VALUES
        (repeat('c', 64), 'operator', $1, now() - interval '400 days', now() - interval '400 days'),
        (repeat('d', 64), 'operator', $1, now() - interval '20 days', now() - interval '20 days')`,
      [userId],
    );
    const before = { csp: await count('csp_reports'), sessions: await count('sessions') };

    const purged = await purgeExpired(database, now);

    expect(purged.csp_reports).toBe(2);
    expect(purged.rate_limit_counters).toBe(1);
    expect(purged.auth_tokens).toBe(1);
    expect(purged.sessions).toBe(1);
    expect(await count('csp_reports')).toBe(before.csp - 2);
    expect(await count('sessions')).toBe(before.sessions - 1);
    expect((await database.ownerExec(`SELECT bucket FROM rate_limit_counters`)).rows.map((r) => r.bucket)).toEqual(['current']);
    expect((await database.ownerExec(`SELECT subject FROM auth_tokens WHERE subject IN ('old', 'live')`)).rows.map((r) => r.subject)).toEqual(['live']);
  });

  it('never purges an order, however old (7 years under 電子帳簿保存法)', async () => {
    const variant = await addVariant(database, shop, { sku: 'RET-1', stock: 5 });
    const member = await addMember(database, shop);
    const form = { destination: 'location', locationId: member.locationId, deliveryDate: '', deliverySlot: '', paymentMethod: 'bank_transfer', poNumber: '', notes: '' };
    await asMember(database, shop, member, async (tx, buyer) => {
      await addToCart(tx, buyer, { variantId: variant, quantity: 1 });
      const settings = await loadShopSettings(tx, shop.tenantId);
      const draft = await prepareCheckout(tx, buyer, settings, form);
      await placeOrder(tx, { buyer, settings, form, idempotencyKey: 'retention-order-00001', confirmedTotalInclTax: draft.totalInclTax });
    });
    await database.ownerExec(`UPDATE orders SET placed_at = now() - interval '6 years' WHERE account_id = $1`, [member.accountId]);
    const orders = await count('orders');
    expect(orders).toBeGreaterThan(0);
    const lines = await count('order_lines');
    await purgeExpired(database, now);
    await purgeExpired(database, new Date(now.getTime() + 3 * 365 * 86_400_000));
    expect(await count('orders')).toBe(orders);
    expect(await count('order_lines')).toBe(lines);
  });
});
