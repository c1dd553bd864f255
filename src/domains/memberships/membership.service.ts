import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import type { MembershipStatus } from '../accounts/accounts.tables.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../staff/staff-actor.ts';
import type { MembershipTerms } from './membership-terms.schema.ts';

/**
 * A shop's side of memberships: the application queue and the decisions on it. Everything runs in
 * the shop's scope, so RLS shows only this shop's memberships and only the salons that applied
 * to it; no query here names a shop.
 */

export interface MembershipListItem {
  id: string;
  account_id: string;
  status: MembershipStatus;
  applied_at: Date;
  decided_at: Date | null;
  customer_code: string;
  rank_id: string | null;
  rank_name: string | null;
  invoice_terms_enabled: boolean;
  credit_limit_yen: number;
  closing_day: number;
  payment_month_offset: number;
  payment_day: number;
  company_name: string;
  salon_name: string;
  prefecture: string;
  verification_status: string;
  verification_expires_at: string | null;
}

function baseQuery(tx: Tx) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('salon_accounts as a', 'a.id', 'm.account_id')
    .leftJoin('shop_price_ranks as r', (j) => j.onRef('r.tenant_id', '=', 'm.tenant_id').onRef('r.id', '=', 'm.rank_id'))
    .select([
      'm.id',
      'm.account_id',
      'm.status',
      'm.applied_at',
      'm.decided_at',
      'm.customer_code',
      'm.rank_id',
      'r.name as rank_name',
      'm.invoice_terms_enabled',
      'm.credit_limit_yen',
      'm.closing_day',
      'm.payment_month_offset',
      'm.payment_day',
      'a.company_name',
      'a.salon_name',
      'a.prefecture',
      'a.verification_status',
      'a.verification_expires_at',
    ]);
}

export async function listMemberships(tx: Tx, statuses: readonly MembershipStatus[]): Promise<MembershipListItem[]> {
  return (await baseQuery(tx).where('m.status', 'in', [...statuses]).orderBy('m.applied_at').limit(1000).execute()) as MembershipListItem[];
}

export async function countMembershipsByStatus(tx: Tx): Promise<Record<MembershipStatus, number>> {
  const rows = await tx.selectFrom('memberships').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const counts: Record<MembershipStatus, number> = { applied: 0, approved: 0, rejected: 0, suspended: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export async function getMembershipDetail(tx: Tx, membershipId: string) {
  if (!/^[0-9a-f-]{36}$/.test(membershipId)) throw new NotFoundError();
  const membership = await tx.selectFrom('memberships').selectAll().where('id', '=', membershipId).executeTakeFirst();
  if (!membership) throw new NotFoundError('申請が見つかりません。');
  const account = await tx.selectFrom('salon_accounts').selectAll().where('id', '=', membership.account_id).executeTakeFirstOrThrow();
  const certificates = await tx
    .selectFrom('salon_certificates')
    .select(['id', 'kind', 'original_name', 'content_type', 'size_bytes', 'created_at'])
    .where('account_id', '=', membership.account_id)
    .orderBy('created_at', 'desc')
    .execute();
  const owner = await ownerOf(tx, membership.account_id);
  return { membership, account, certificates, owner };
}

async function ownerOf(tx: Tx, accountId: string) {
  return tx
    .selectFrom('salon_users')
    .select(['email', 'display_name'])
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .orderBy('created_at')
    .executeTakeFirst();
}

async function assertRankOfShop(tx: Tx, rankId: string): Promise<void> {
  const rank = await tx.selectFrom('shop_price_ranks').select('id').where('id', '=', rankId).executeTakeFirst();
  if (!rank) throw new ValidationError({ rankId: '価格ランクを選んでください。' });
}

/**
 * Moves one membership from one of `from` to `to`, or fails with a conflict when someone else
 * decided first (the WHERE on status makes the decision race-free).
 */
async function transition(tx: Tx, membershipId: string, from: readonly MembershipStatus[], set: Record<string, unknown>) {
  if (!/^[0-9a-f-]{36}$/.test(membershipId)) throw new NotFoundError();
  const updated = await tx
    .updateTable('memberships')
    .set(set)
    .where('id', '=', membershipId)
    .where('status', 'in', [...from])
    .returningAll()
    .executeTakeFirst();
  if (updated) return updated;
  const exists = await tx.selectFrom('memberships').select('status').where('id', '=', membershipId).executeTakeFirst();
  if (!exists) throw new NotFoundError('申請が見つかりません。');
  throw new ConflictError('この申請の状態は既に変わっています。画面を再読み込みしてください。');
}

function termsColumns(terms: MembershipTerms) {
  return {
    rank_id: terms.rankId,
    customer_code: terms.customerCode,
    invoice_terms_enabled: terms.invoiceTermsEnabled,
    credit_limit_yen: terms.creditLimitYen,
    closing_day: terms.closingDay,
    payment_month_offset: terms.paymentMonthOffset,
    payment_day: terms.paymentDay,
  };
}

/** Salons buy restricted goods, so a shop approves only a salon the operator verified (and not expired). */
export async function approveMembership(tx: Tx, actor: StaffActor, membershipId: string, terms: MembershipTerms) {
  const { account } = await getMembershipDetail(tx, membershipId);
  const today = new Date().toISOString().slice(0, 10);
  if (account.verification_status !== 'verified' || (account.verification_expires_at && account.verification_expires_at < today)) {
    throw new ValidationError({ _form: 'このサロンはまだ運営による確認が済んでいない(または期限切れの)ため承認できません。' });
  }
  await assertRankOfShop(tx, terms.rankId);
  const updated = await transition(tx, membershipId, ['applied', 'rejected'], {
    ...termsColumns(terms),
    status: 'approved',
    decided_at: sql`now()`,
    decided_by: actor.id,
    decision_reason: '',
  });
  await auditByStaff(tx, actor, {
    action: 'membership.approve',
    resourceType: 'membership',
    resourceId: membershipId,
    result: 'success',
    detail: { accountId: updated.account_id, ...termsColumns(terms) },
  });
  const owner = await ownerOf(tx, updated.account_id);
  if (owner) {
    await queueMail(tx, {
      tenantId: updated.tenant_id,
      to: owner.email,
      subject: 'お取引のお申し込みが承認されました',
      text: `${owner.display_name} 様\n\nお申し込みいただいたショップでのお取引が承認されました。サインインすると会員価格でご購入いただけます。\n`,
    });
  }
  return updated;
}

export async function rejectMembership(tx: Tx, actor: StaffActor, membershipId: string, reason: string, shopName: string) {
  const updated = await transition(tx, membershipId, ['applied'], {
    status: 'rejected',
    decided_at: sql`now()`,
    decided_by: actor.id,
    decision_reason: reason,
  });
  await auditByStaff(tx, actor, {
    action: 'membership.reject',
    resourceType: 'membership',
    resourceId: membershipId,
    result: 'success',
    reason,
    detail: { accountId: updated.account_id },
  });
  const owner = await ownerOf(tx, updated.account_id);
  if (owner) {
    await queueMail(tx, {
      tenantId: updated.tenant_id,
      to: owner.email,
      subject: `【${shopName}】お取引のお申し込みについて`,
      text: `${owner.display_name} 様\n\n${shopName} へのお取引のお申し込みについて、今回は承認を見送らせていただきました。\n\n理由:\n${reason}\n\nご不明な点はショップまでお問い合わせください。\n`,
    });
  }
  return updated;
}

export async function suspendMembership(tx: Tx, actor: StaffActor, membershipId: string, reason: string) {
  const updated = await transition(tx, membershipId, ['approved'], { status: 'suspended', decided_at: sql`now()`, decided_by: actor.id, decision_reason: reason });
  await auditByStaff(tx, actor, { action: 'membership.suspend', resourceType: 'membership', resourceId: membershipId, result: 'success', reason, detail: { accountId: updated.account_id } });
  return updated;
}

export async function reinstateMembership(tx: Tx, actor: StaffActor, membershipId: string) {
  const updated = await transition(tx, membershipId, ['suspended'], { status: 'approved', decided_at: sql`now()`, decided_by: actor.id, decision_reason: '' });
  await auditByStaff(tx, actor, { action: 'membership.reinstate', resourceType: 'membership', resourceId: membershipId, result: 'success', detail: { accountId: updated.account_id } });
  return updated;
}

export async function updateMembershipTerms(tx: Tx, actor: StaffActor, membershipId: string, terms: MembershipTerms) {
  await assertRankOfShop(tx, terms.rankId);
  const before = await tx.selectFrom('memberships').selectAll().where('id', '=', membershipId).executeTakeFirst();
  const updated = await transition(tx, membershipId, ['approved', 'suspended'], termsColumns(terms));
  await auditByStaff(tx, actor, {
    action: 'membership.terms_change',
    resourceType: 'membership',
    resourceId: membershipId,
    result: 'success',
    detail: {
      before: before && {
        rank_id: before.rank_id,
        customer_code: before.customer_code,
        invoice_terms_enabled: before.invoice_terms_enabled,
        credit_limit_yen: before.credit_limit_yen,
        closing_day: before.closing_day,
        payment_month_offset: before.payment_month_offset,
        payment_day: before.payment_day,
      },
      after: termsColumns(terms),
    },
  });
  return updated;
}

/** Members with their terms and owner contact, for the shop's own records. Audited by the caller's route. */
export async function exportMemberRows(tx: Tx) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('salon_accounts as a', 'a.id', 'm.account_id')
    .leftJoin('shop_price_ranks as r', (j) => j.onRef('r.tenant_id', '=', 'm.tenant_id').onRef('r.id', '=', 'm.rank_id'))
    .select([
      'm.customer_code',
      'a.company_name',
      'a.salon_name',
      'a.representative_name',
      'a.postal_code',
      'a.prefecture',
      'a.city',
      'a.address_line1',
      'a.address_line2',
      'a.phone',
      'm.status',
      'r.code as rank_code',
      'm.invoice_terms_enabled',
      'm.credit_limit_yen',
      'm.closing_day',
      'm.payment_month_offset',
      'm.payment_day',
      (eb) =>
        eb
          .selectFrom('salon_users as u')
          .select('u.email')
          .whereRef('u.account_id', '=', 'a.id')
          .where('u.role', '=', 'owner')
          .where('u.status', '=', 'active')
          .orderBy('u.created_at')
          .limit(1)
          .as('owner_email'),
    ])
    .where('m.status', 'in', ['approved', 'suspended'])
    .orderBy('m.customer_code')
    .orderBy('a.company_name')
    .execute();
}
