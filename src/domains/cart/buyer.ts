import type { Tx } from '../../platform/db/tenant-scope.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import { ForbiddenError } from '../shared/domain-error.ts';

/**
 * The member buying in a shop: who they are, their membership (rank, 掛け払い terms, credit
 * limit) and whether their salon's professional verification is current (理美容師限定 items).
 */
export interface Buyer {
  tenantId: string;
  userId: string;
  accountId: string;
  email: string;
  displayName: string;
  isSynthetic: boolean;
  membershipId: string;
  rankId: string | null;
  invoiceTermsEnabled: boolean;
  creditLimitYen: number;
  closingDay: number;
  paymentMonthOffset: number;
  paymentDay: number;
  professionalVerified: boolean;
}

export interface BuyerIdentity {
  userId: string;
  accountId: string;
  email: string;
  displayName: string;
  isSynthetic: boolean;
}

export const RESTRICTED_MESSAGE = '理美容師限定商品です。サロンの資格確認（美容所登録）が有効な会員様のみご購入いただけます。';

export function verificationIsCurrent(status: string, expiresAt: string | null, now: Date = new Date()): boolean {
  if (status !== 'verified') return false;
  return expiresAt === null || expiresAt >= jstDateTime(now).date;
}

/** The approved member behind a signed-in salon user, or ForbiddenError. */
export async function loadBuyer(tx: Tx, tenantId: string, who: BuyerIdentity, now: Date = new Date()): Promise<Buyer> {
  const row = await tx
    .selectFrom('memberships as m')
    .innerJoin('salon_accounts as a', 'a.id', 'm.account_id')
    .select([
      'm.id',
      'm.status',
      'm.rank_id',
      'm.invoice_terms_enabled',
      'm.credit_limit_yen',
      'm.closing_day',
      'm.payment_month_offset',
      'm.payment_day',
      'a.verification_status',
      'a.verification_expires_at',
    ])
    .where('m.tenant_id', '=', tenantId)
    .where('m.account_id', '=', who.accountId)
    .executeTakeFirst();
  if (row?.status !== 'approved') throw new ForbiddenError('このショップでのご購入には、会員登録の承認が必要です。');
  return {
    tenantId,
    ...who,
    membershipId: row.id,
    rankId: row.rank_id,
    invoiceTermsEnabled: row.invoice_terms_enabled,
    creditLimitYen: row.credit_limit_yen,
    closingDay: row.closing_day,
    paymentMonthOffset: row.payment_month_offset,
    paymentDay: row.payment_day,
    professionalVerified: verificationIsCurrent(row.verification_status, row.verification_expires_at as string | null, now),
  };
}
