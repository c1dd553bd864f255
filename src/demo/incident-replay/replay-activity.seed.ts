import type { Database } from '../../platform/db/database.ts';

/**
 * The BRIEF scenario's buyers: per shop, salons who paid by card during the exposure window
 * (12, 6, 3, 33, 8 and 92 as in the breach — some failed, abandoned or refunded), a few who only
 * opened the payment page, and salons whose purchases fall before the window (never in scope).
 * Written directly as rows (orders, payments, page views) spread over the days before the replay.
 */

export const BREACH_COUNTS = [12, 6, 3, 33, 8, 92] as const;
const DAY = 86_400_000;
const STATUSES = ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'abandoned', 'refunded'] as const;
const BRANDS = ['visa', 'mastercard', 'jcb', 'amex'] as const;
const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田'];
const GIVEN = ['花子', '美咲', '葵', '陽菜', '結衣', '蓮', '湊', '大翔', 'さくら', '翼'];

export interface ShopActivity {
  tenantId: string;
  slug: string;
  payers: number;
  viewersOnly: number;
  before: number;
}

/** Seeds the activity; windowStart is when the shop's exposure began (all in-window rows come after it). */
export async function seedReplayActivity(database: Database, shops: readonly { id: string; slug: string }[], windowStart: Map<string, Date>, now: Date): Promise<ShopActivity[]> {
  const out: ShopActivity[] = [];
  let n = 0;
  for (const [index, shop] of shops.entries()) {
    const payers = BREACH_COUNTS[index % BREACH_COUNTS.length]!;
    const viewersOnly = Math.max(1, Math.round(payers / 6));
    const before = 3;
    const start = windowStart.get(shop.id)!.getTime();
    const span = now.getTime() - 3_600_000 - start;
    for (let i = 0; i < payers + viewersOnly + before; i++) {
      n++;
      const kind = i < payers ? 'payer' : i < payers + viewersOnly ? 'viewer' : 'before';
      const name = `${SURNAMES[n % SURNAMES.length]} ${GIVEN[n % GIVEN.length]}`;
      // One in twenty has no usable postal address: notified by email and flagged, never dropped.
      const noAddress = n % 20 === 0;
      const account = await database.ownerExec(
        `INSERT INTO salon_accounts (business_type, company_name, salon_name, representative_name, postal_code, prefecture, city, address_line1, phone, verification_status)
         VALUES ('corporation', $1, $2, $3, '1500001', '東京都', '渋谷区神宮前', $4, '03-5555-' || lpad($5::text, 4, '0'), 'verified') RETURNING id`,
        [`株式会社ヘアサロン${n}`, `サロン ${n}号店`, name, noAddress ? '' : `${(n % 5) + 1}-${(n % 9) + 1}-${(n % 7) + 1}`, n],
      );
      const accountId = String(account.rows[0]!.id);
      const user = await database.ownerExec(
        `INSERT INTO salon_users (account_id, email, display_name, role, email_verified_at) VALUES ($1, $2, $3, 'owner', now()) RETURNING id`,
        [accountId, `replay-${n}@salon.example`, name],
      );
      const userId = String(user.rows[0]!.id);
      const membership = await database.ownerExec(
        `INSERT INTO memberships (tenant_id, account_id, status, consent_at, consent_version) VALUES ($1, $2, 'approved', now(), '2025-01') RETURNING id`,
        [shop.id, accountId],
      );
      const membershipId = String(membership.rows[0]!.id);
      const at = kind === 'before' ? new Date(start - (2 + i) * DAY) : new Date(start + ((i + 1) / (payers + viewersOnly + 1)) * span);
      // Every buyer opened the checkout and the payment step first.
      for (const [page, offset] of [
        ['checkout', -120_000],
        ['payment-step', -30_000],
      ] as const) {
        await database.ownerExec(`INSERT INTO protected_page_views (tenant_id, viewed_at, page, viewer, user_id, account_id) VALUES ($1, $2, $3, 'salon', $4, $5)`, [
          shop.id,
          new Date(at.getTime() + offset),
          page,
          userId,
          accountId,
        ]);
      }
      if (kind === 'viewer') continue;
      const status = STATUSES[n % STATUSES.length]!;
      const order = await database.ownerExec(
        `INSERT INTO orders (tenant_id, order_number, account_id, membership_id, placed_by, status, payment_method, payment_status, idempotency_key,
           recipient_name, postal_code, prefecture, city, address_line1, phone, subtotal_excl_tax, total_incl_tax, placed_at)
         VALUES ($1, $2, $3, $4, $5, 'confirmed', 'card', $6, $7, $8, '1500001', '東京都', '渋谷区', '1-2-3', '03-5555-0000', $9, $10, $11) RETURNING id`,
        [shop.id, `R${String(n).padStart(6, '0')}`, accountId, membershipId, userId, status === 'succeeded' ? 'paid' : 'unpaid', `incident-replay-order-${n}`, name, 10_000 + n * 100, Math.round((10_000 + n * 100) * 1.1), at],
      );
      await database.ownerExec(
        `INSERT INTO payments (tenant_id, order_id, account_id, user_id, method, provider, provider_payment_id, status, amount_yen, refunded_yen, card_brand, card_last4, started_at)
         VALUES ($1, $2, $3, $4, 'card', 'demo', $5, $6, $7, $8, $9, $10, $11)`,
        [
          shop.id,
          String(order.rows[0]!.id),
          accountId,
          userId,
          `pi_replay_${n}`,
          status,
          Math.round((10_000 + n * 100) * 1.1),
          status === 'refunded' ? Math.round((10_000 + n * 100) * 1.1) : 0,
          BRANDS[n % BRANDS.length],
          String(1000 + ((n * 37) % 9000)),
          at,
        ],
      );
    }
    out.push({ tenantId: shop.id, slug: shop.slug, payers, viewersOnly, before });
  }
  return out;
}
