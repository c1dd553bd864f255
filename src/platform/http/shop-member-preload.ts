import type { Selectable } from 'kysely';
import type { MembershipsTable, SalonUsersTable } from '../../domains/accounts/accounts.tables.ts';

/**
 * The member gate's rows, read in the request scope's setup round trip (tenant-scope.ts runs
 * this select list after the scope's settings are in force, so row-level security shows exactly
 * what the gate's own queries would see): the session's salon user, the salon's membership in
 * this shop with its rank, and the salon's verification. Only for salon sessions; a constant
 * string (the scope's tenant `t` and session `s` are the only inputs), never user text.
 */
export const SHOP_MEMBER_PRELOAD = `
  (SELECT to_jsonb(u) FROM (SELECT su.id, su.account_id, su.role, su.email, su.display_name, su.status, su.is_synthetic
     FROM salon_users su WHERE s.audience = 'salon' AND su.id = s.user_id) u) AS salon_user,
  (SELECT to_jsonb(m) FROM (SELECT ms.id, ms.tenant_id, ms.account_id, ms.status, ms.rank_id, ms.customer_code, ms.invoice_terms_enabled,
          ms.credit_limit_yen, ms.closing_day, ms.payment_month_offset, ms.payment_day
     FROM memberships ms WHERE s.audience = 'salon' AND ms.tenant_id = t.id AND ms.account_id = s.account_id) m) AS membership,
  (SELECT to_jsonb(r) FROM (SELECT pr.id, pr.code, pr.name, pr.rate::text AS rate
     FROM memberships ms JOIN shop_price_ranks pr ON pr.id = ms.rank_id
    WHERE s.audience = 'salon' AND ms.tenant_id = t.id AND ms.account_id = s.account_id) r) AS rank,
  (SELECT to_jsonb(a) FROM (SELECT sa.verification_status, sa.verification_expires_at
     FROM salon_accounts sa WHERE s.audience = 'salon' AND sa.id = s.account_id) a) AS salon_account`;

export type PreloadedSalonUser = Pick<Selectable<SalonUsersTable>, 'id' | 'account_id' | 'role' | 'email' | 'display_name' | 'status' | 'is_synthetic'>;

export type PreloadedMembership = Pick<
  Selectable<MembershipsTable>,
  'id' | 'tenant_id' | 'account_id' | 'status' | 'rank_id' | 'customer_code' | 'invoice_terms_enabled' | 'credit_limit_yen' | 'closing_day' | 'payment_month_offset' | 'payment_day'
>;

export interface ShopMemberRows {
  salonUser: PreloadedSalonUser | null;
  membership: PreloadedMembership | null;
  rank: { id: string; code: string; name: string; rate: string } | null;
  salonAccount: { verification_status: string; verification_expires_at: string | null } | null;
}

export function shopMemberRowsOf(preloaded: Record<string, unknown>): ShopMemberRows {
  return {
    salonUser: (preloaded.salon_user ?? null) as PreloadedSalonUser | null,
    membership: (preloaded.membership ?? null) as PreloadedMembership | null,
    rank: (preloaded.rank ?? null) as ShopMemberRows['rank'],
    salonAccount: (preloaded.salon_account ?? null) as ShopMemberRows['salonAccount'],
  };
}
