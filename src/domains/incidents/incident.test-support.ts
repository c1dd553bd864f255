import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';

/** Fixtures for incident tests: members with orders and payment attempts, page views. */

export async function seedMember(database: Database, tenantId: string, input: { company: string; contact: string; address?: boolean; synthetic?: boolean }) {
  const account = await database.ownerExec(
    `INSERT INTO salon_accounts (business_type, company_name, salon_name, representative_name, postal_code, prefecture, city, address_line1, phone, verification_status)
     VALUES ('corporation', $1, $1 || ' 本店', $2, '1500001', '東京都', '渋谷区神宮前', $3, '03-0000-0000', 'verified') RETURNING id`,
    [input.company, input.contact, input.address === false ? '' : '1-2-3'],
  );
  const accountId = account.rows[0]!.id as string;
  const email = `m-${randomUUID().slice(0, 8)}@salon.example`;
  const user = await database.ownerExec(
    `INSERT INTO salon_users (account_id, email, display_name, role, email_verified_at, is_synthetic) VALUES ($1, $2, $3, 'owner', now(), $4) RETURNING id`,
    [accountId, email, input.contact, input.synthetic ?? false],
  );
  const membership = await database.ownerExec(
    `INSERT INTO memberships (tenant_id, account_id, status, consent_at, consent_version) VALUES ($1, $2, 'approved', now(), '2025-01') RETURNING id`,
    [tenantId, accountId],
  );
  return { accountId, userId: user.rows[0]!.id as string, email, membershipId: membership.rows[0]!.id as string, company: input.company, contact: input.contact };
}

let orderSeq = 0;

export async function seedCardPayment(
  database: Database,
  tenantId: string,
  member: { accountId: string; userId: string; membershipId: string },
  input: { at: Date; status: string; synthetic?: boolean; brand?: string; last4?: string; providerPaymentId?: string; refundedYen?: number; method?: string },
) {
  orderSeq++;
  const number = `T${String(Date.now()).slice(-6)}-${String(orderSeq).padStart(4, '0')}`;
  const order = await database.ownerExec(
    `INSERT INTO orders (tenant_id, order_number, account_id, membership_id, placed_by, status, payment_method, payment_status, idempotency_key,
       recipient_name, postal_code, prefecture, city, address_line1, phone, subtotal_excl_tax, total_incl_tax, is_synthetic, placed_at)
     VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, 'paid', $7, '受取 人', '1500001', '東京都', '渋谷区', '1-2-3', '03-0000-0000', 10000, 11000, $8, $9) RETURNING id`,
    [tenantId, number, member.accountId, member.membershipId, member.userId, input.method ?? 'card', `idem-${randomUUID()}`, input.synthetic ?? false, input.at],
  );
  const orderId = order.rows[0]!.id as string;
  await database.ownerExec(
    `INSERT INTO payments (tenant_id, order_id, account_id, user_id, method, provider, provider_payment_id, status, amount_yen, refunded_yen, card_brand, card_last4, is_synthetic, started_at)
     VALUES ($1, $2, $3, $4, $5, 'demo', $6, $7, 11000, $8, $9, $10, $11, $12)`,
    [
      tenantId,
      orderId,
      member.accountId,
      member.userId,
      input.method ?? 'card',
      input.providerPaymentId ?? `pi_${randomUUID().slice(0, 12)}`,
      input.status,
      input.refundedYen ?? 0,
      input.brand ?? 'visa',
      input.last4 ?? '4242',
      input.synthetic ?? false,
      input.at,
    ],
  );
  return { orderId, orderNumber: number };
}

export async function seedPageView(
  database: Database,
  input: { tenantId: string | null; page: string; at: Date; viewer: 'salon' | 'staff' | 'anonymous'; userId?: string | null; accountId?: string | null; staffTenantId?: string | null; browserKey?: Buffer | null },
) {
  if (input.tenantId) {
    await database.ownerExec(
      `INSERT INTO protected_page_views (tenant_id, viewed_at, page, viewer, user_id, account_id, browser_key) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [input.tenantId, input.at, input.page, input.viewer, input.userId ?? null, input.accountId ?? null, input.browserKey ?? null],
    );
  } else {
    await database.ownerExec(
      `INSERT INTO platform_page_views (viewed_at, page, viewer, user_id, account_id, staff_tenant_id, browser_key) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [input.at, input.page, input.viewer, input.userId ?? null, input.accountId ?? null, input.staffTenantId ?? null, input.browserKey ?? null],
    );
  }
}
