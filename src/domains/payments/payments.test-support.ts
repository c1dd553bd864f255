import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { SecretsKey } from '../../platform/config/secrets.ts';
import { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import type { PaymentDeps } from './card-payment.service.ts';
import { saveProviderKey, saveWebhookEndpoint } from './provider-account.service.ts';
import { StripeProvider } from './stripe-provider.ts';

/** Fixtures for the payments tests: a shop with a sandbox account, a member salon and card orders. */

export const TEST_SECRETS = SecretsKey.fromHex('11'.repeat(32));

export function testDeps(database: Database, overrides: Partial<PaymentDeps> = {}): PaymentDeps {
  return { database, box: new SecretBox(TEST_SECRETS), log: pino({ level: 'silent' }), ...overrides };
}

export interface Member {
  tenantId: string;
  slug: string;
  accountId: string;
  userId: string;
  membershipId: string;
  email: string;
}

export async function firstShop(database: Database): Promise<{ tenantId: string; slug: string }> {
  await seedDemoPlatform(database);
  const { rows } = await database.ownerExec(`SELECT id, slug FROM tenants ORDER BY sort_order, created_at LIMIT 1`);
  const row = rows[0] as { id: string; slug: string };
  return { tenantId: row.id, slug: row.slug };
}

export async function createMember(database: Database, shop: { tenantId: string; slug: string }): Promise<Member> {
  const tag = randomBytes(4).toString('hex');
  const accountId = randomUUID();
  const userId = randomUUID();
  const membershipId = randomUUID();
  const email = `salon-${tag}@example.jp`;
  await database.ownerExec(
    `INSERT INTO salon_accounts (id, business_type, company_name, salon_name, representative_name, postal_code, prefecture, city, address_line1, phone)
     VALUES ($1, 'corporation', '株式会社テスト', $2, '山田 花子', '1500001', '東京都', '渋谷区', '神宮前1-1-1', '0312345678')`,
    [accountId, `サロン ${tag}`],
  );
  await database.ownerExec(`INSERT INTO salon_users (id, account_id, email, display_name, role) VALUES ($1, $2, $3, '山田 花子', 'owner')`, [userId, accountId, email]);
  await database.ownerExec(`INSERT INTO memberships (id, tenant_id, account_id, status, consent_at, consent_version) VALUES ($1, $2, $3, 'approved', now(), 'v1')`, [
    membershipId,
    shop.tenantId,
    accountId,
  ]);
  return { ...shop, accountId, userId, membershipId, email };
}

let orderCounter = 0;

/** A placed card order waiting for payment (what checkout's placeOrder leaves behind). */
export async function createCardOrder(database: Database, member: Member, totalYen = 12_100, options: { placedMinutesAgo?: number } = {}): Promise<{ id: string; orderNumber: string }> {
  const id = randomUUID();
  const orderNumber = `T${String(Date.now()).slice(-6)}${String(++orderCounter).padStart(3, '0')}`;
  await database.ownerExec(
    `INSERT INTO orders (tenant_id, id, order_number, account_id, membership_id, placed_by, status, payment_method, payment_status, idempotency_key,
       recipient_name, postal_code, prefecture, city, address_line1, phone, subtotal_excl_tax, total_incl_tax, placed_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending_payment', 'card', 'unpaid', $7, '山田 花子', '1500001', '東京都', '渋谷区', '神宮前1-1-1', '0312345678', $8, $9,
       now() - make_interval(mins => $10))`,
    [member.tenantId, id, orderNumber, member.accountId, member.membershipId, member.userId, `idem-${randomBytes(12).toString('hex')}`, Math.floor(totalYen / 1.1), totalYen, options.placedMinutesAgo ?? 0],
  );
  await database.ownerExec(`INSERT INTO order_events (tenant_id, order_id, kind, to_state, actor_type, actor_id) VALUES ($1, $2, 'status', 'pending_payment', 'salon_user', $3)`, [
    member.tenantId,
    id,
    member.userId,
  ]);
  return { id, orderNumber };
}

/** Gives the shop an account at the sandbox and registers the webhook endpoint (like the admin screen does). */
export async function connectShopToSandbox(database: Database, shop: { tenantId: string; slug: string }, sandboxOrigin: string, webhookUrl: string): Promise<{ secretKey: string }> {
  const box = new SecretBox(TEST_SECRETS);
  const secretKey = `sk_test_${shop.slug.replace(/-/g, '_')}_${randomBytes(6).toString('hex')}`;
  await withTenant(database, shop.tenantId, (tx) => saveProviderKey(tx, box, null, shop.tenantId, { secretKey, apiBaseUrl: sandboxOrigin, hostedPageOrigin: sandboxOrigin }));
  const endpoint = await new StripeProvider({ secretKey, apiBaseUrl: sandboxOrigin, hostedPageOrigin: sandboxOrigin }).registerWebhook(webhookUrl);
  await withTenant(database, shop.tenantId, (tx) => saveWebhookEndpoint(tx, box, null, shop.tenantId, { ...endpoint, url: webhookUrl }));
  return { secretKey };
}

/** A signed-in salon session cookie value for the member (what the platform sign-in would set). */
export async function salonSessionToken(database: Database, member: Member): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await database.ownerExec(
    `INSERT INTO sessions (token_hash, audience, user_id, account_id, idle_expires_at, absolute_expires_at) VALUES ($1, 'salon', $2, $3, now() + interval '1 hour', now() + interval '1 day')`,
    [createHash('sha256').update(token).digest('hex'), member.userId, member.accountId],
  );
  return token;
}

export async function orderState(database: Database, tenantId: string, orderId: string) {
  const { rows } = await database.ownerExec(`SELECT status, payment_status FROM orders WHERE tenant_id = $1 AND id = $2`, [tenantId, orderId]);
  const events = await database.ownerExec(`SELECT kind, to_state FROM order_events WHERE tenant_id = $1 AND order_id = $2 ORDER BY id`, [tenantId, orderId]);
  const payments = await database.ownerExec(
    `SELECT status, card_brand, card_last4, provider_payment_id, failure_code, captured_yen, refunded_yen, three_d_secure FROM payments WHERE tenant_id = $1 AND order_id = $2 ORDER BY started_at`,
    [tenantId, orderId],
  );
  return {
    ...(rows[0] as { status: string; payment_status: string }),
    events: events.rows as { kind: string; to_state: string }[],
    payments: payments.rows as { status: string; card_brand: string | null; card_last4: string | null; provider_payment_id: string | null; failure_code: string | null; captured_yen: number; refunded_yen: number; three_d_secure: string | null }[],
  };
}
