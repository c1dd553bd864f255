import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { consumeToken, findLiveToken, issueToken } from './account-token.ts';
import type { MembershipStatus } from './accounts.tables.ts';

/**
 * A salon's standing with each shop. The salon applies (its consent to show the shop its profile
 * and certificates recorded with the version of the text it saw); the shop decides. A shop's own
 * invitation, accepted by the salon, makes an approved membership at once.
 */

export const CONSENT_VERSION = '2025-01';

/** Exactly what the salon agrees to, shown beside the checkbox and recorded by version. */
export const CONSENT_TEXT =
  '申請先のショップ（運営会社とそのスタッフ）に、当サロンのプロフィール（会社名・サロン名・代表者・管理美容師・美容所登録の内容・所在地・電話番号・適格請求書発行事業者登録番号）と、アップロードした確認書類を開示することに同意します。開示は申請先のショップに限られ、他のショップには開示されません。';

export const MEMBERSHIP_LABELS: Record<MembershipStatus, string> = {
  applied: '申請中',
  approved: '承認済み',
  rejected: '否認',
  suspended: '停止中',
};

export interface ShopStanding {
  tenantId: string;
  slug: string;
  displayName: string;
  companyName: string;
  tagline: string;
  customHost: string | null;
  shopStatus: 'active' | 'suspended' | 'closed';
  membership: {
    id: string;
    status: MembershipStatus;
    appliedAt: Date;
    decidedAt: Date | null;
    reason: string;
  } | null;
}

/** Every open shop, with the salon's membership there (its own rows, readable without a shop scope). */
export async function listShopStandings(tx: Tx, accountId: string): Promise<ShopStanding[]> {
  const rows = await tx
    .selectFrom('tenants as t')
    .leftJoin('memberships as m', (join) => join.onRef('m.tenant_id', '=', 't.id').on('m.account_id', '=', accountId))
    .select([
      't.id',
      't.slug',
      't.display_name',
      't.company_name',
      't.tagline',
      't.custom_host',
      't.status as shop_status',
      'm.id as membership_id',
      'm.status',
      'm.applied_at',
      'm.decided_at',
      'm.decision_reason',
    ])
    .where((eb) => eb.or([eb('t.status', '<>', 'closed'), eb('m.id', 'is not', null)]))
    .orderBy('t.sort_order')
    .orderBy('t.display_name')
    .execute();
  return rows.map((r) => ({
    tenantId: r.id,
    slug: r.slug,
    displayName: r.display_name,
    companyName: r.company_name,
    tagline: r.tagline,
    customHost: r.custom_host,
    shopStatus: r.shop_status,
    membership:
      r.membership_id && r.status
        ? { id: r.membership_id, status: r.status, appliedAt: new Date(r.applied_at!), decidedAt: r.decided_at ? new Date(r.decided_at) : null, reason: r.decision_reason ?? '' }
        : null,
  }));
}

export type ApplyOutcome = { outcome: 'applied'; membershipId: string } | { outcome: 'already'; status: MembershipStatus };

/**
 * Applies to one shop. A second application is answered with the standing one, never a second
 * row (the unique key settles a race between two tabs the same way).
 */
export async function applyToShop(
  tx: Tx,
  input: { accountId: string; userId: string; tenantId: string; consent: boolean; note?: string },
): Promise<ApplyOutcome> {
  if (!input.consent) throw new ValidationError({ consent: '申請するには、ショップへの情報開示への同意が必要です。' });
  const note = (input.note ?? '').trim();
  if (note.length > 500) throw new ValidationError({ note: 'ショップへのメッセージは500文字以内で入力してください。' });
  const shop = await tx.selectFrom('tenants').select(['id', 'status']).where('id', '=', input.tenantId).executeTakeFirst();
  if (!shop || shop.status === 'closed') throw new NotFoundError('このショップは見つかりませんでした。');
  const existing = await standingIn(tx, input.accountId, input.tenantId);
  if (existing) return { outcome: 'already', status: existing };
  const profile = await tx.selectFrom('salon_accounts').select('verification_status').where('id', '=', input.accountId).executeTakeFirstOrThrow();
  if (profile.verification_status === 'unsubmitted') {
    throw new ValidationError({ _form: '申請の前に、サロン情報を入力して審査を申し込んでください。' }, 'サロン情報の登録が必要です。');
  }
  const row = await tx
    .insertInto('memberships')
    .values({
      tenant_id: input.tenantId,
      account_id: input.accountId,
      status: 'applied',
      application_note: note,
      consent_at: sql<Date>`now()`,
      consent_version: CONSENT_VERSION,
      applied_by: input.userId,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'account_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return { outcome: 'already', status: (await standingIn(tx, input.accountId, input.tenantId)) ?? 'applied' };
  return { outcome: 'applied', membershipId: row.id };
}

async function standingIn(tx: Tx, accountId: string, tenantId: string): Promise<MembershipStatus | null> {
  const row = await tx.selectFrom('memberships').select('status').where('account_id', '=', accountId).where('tenant_id', '=', tenantId).executeTakeFirst();
  return row?.status ?? null;
}

// ---- Customer invitations (a shop invites an existing customer; the salon accepts) ----

const INVITE_SUBJECT = /^customer_invitation:([0-9a-f-]{36}):([0-9a-f-]{36})$/;

/**
 * For the shop side: the link token for one of the shop's customer_invitations rows, to put in
 * the invitation mail as `${platformOrigin}/account/invitations/${token}`. Call in the shop's scope.
 */
export function issueCustomerInvitationToken(tx: Tx, input: { tenantId: string; invitationId: string; ttlDays?: number }): Promise<string> {
  return issueToken(tx, {
    kind: 'customer_invite',
    subject: `customer_invitation:${input.tenantId}:${input.invitationId}`,
    ttlSeconds: (input.ttlDays ?? 30) * 24 * 3600,
  });
}

export interface InvitationPreview {
  tokenId: string;
  tenantId: string;
  invitationId: string;
  shopName: string;
  shopSlug: string;
  companyName: string;
  contactName: string;
  email: string;
  rankName: string;
  invoiceTerms: boolean;
}

async function liveInvitation(database: Database, token: string): Promise<{ tokenId: string; tenantId: string; invitationId: string }> {
  const live = await withPlatform(database, (tx) => findLiveToken(tx, 'customer_invite', token));
  const match = live ? INVITE_SUBJECT.exec(live.subject) : null;
  if (!live || !match) throw new NotFoundError('この招待リンクは無効か、有効期限が切れています。ショップに再送をご依頼ください。');
  return { tokenId: live.id, tenantId: match[1]!, invitationId: match[2]! };
}

/** What the salon is shown before accepting: the shop, the invited company and the terms. */
export async function previewCustomerInvitation(database: Database, token: string): Promise<InvitationPreview> {
  const ref = await liveInvitation(database, token);
  return withIdentity(database, { tenantId: ref.tenantId }, async (tx) => {
    const row = await tx
      .selectFrom('customer_invitations as i')
      .innerJoin('tenants as t', 't.id', 'i.tenant_id')
      .innerJoin('shop_price_ranks as r', (j) => j.onRef('r.tenant_id', '=', 'i.tenant_id').onRef('r.id', '=', 'i.rank_id'))
      .select(['i.company_name', 'i.contact_name', 'i.email', 'i.status', 'i.invoice_terms_enabled', 't.display_name', 't.slug', 't.status as shop_status', 'r.name as rank_name'])
      .where('i.id', '=', ref.invitationId)
      .executeTakeFirst();
    if (row?.status !== 'pending' || row.shop_status === 'closed') throw new NotFoundError('この招待は取り消されたか、すでに使用されています。');
    return {
      ...ref,
      shopName: row.display_name,
      shopSlug: row.slug,
      companyName: row.company_name,
      contactName: row.contact_name,
      email: row.email,
      rankName: row.rank_name,
      invoiceTerms: row.invoice_terms_enabled,
    };
  });
}

/**
 * An invitation is bound to the address the shop invited (docs/decisions/0007): only a signed-in
 * salon user whose own email is that address (compared case-insensitively) and already verified
 * may accept it. A forwarded or leaked link therefore cannot attach the invited company's rank
 * and credit terms to someone else's salon, and an account opened with the invited address but
 * never verified cannot either (its owner has not shown they read that mailbox).
 */
export type InvitationBinding = 'ok' | 'other_email' | 'unverified';

export async function invitationBindingFor(tx: Tx, userId: string, invitedEmail: string): Promise<InvitationBinding> {
  const user = await tx.selectFrom('salon_users').select(['email', 'email_verified_at', 'status']).where('id', '=', userId).executeTakeFirst();
  if (user?.status !== 'active' || user.email.trim().toLowerCase() !== invitedEmail.trim().toLowerCase()) return 'other_email';
  return user.email_verified_at ? 'ok' : 'unverified';
}

export function invitationBindingMessage(binding: Exclude<InvitationBinding, 'ok'>, invitedEmail: string): string {
  return binding === 'other_email'
    ? `この招待は ${invitedEmail} 宛てです。招待を受けるには、このメールアドレスのアカウントでサインインしてください（アカウントがない場合は、いったんサインアウトしてこのメールアドレスで新規登録してください）。`
    : `メールアドレス ${invitedEmail} の確認がまだ済んでいません。登録時にお送りした確認メールのリンクを開いてから、もう一度この招待を受けてください。`;
}

/** Where a signed-in salon user stands with an invitation, for the invitation page. */
export function invitationBindingOf(database: Database, user: { accountId: string; userId: string }, invitedEmail: string): Promise<InvitationBinding> {
  return withIdentity(database, { accountId: user.accountId, principalId: user.userId, audience: 'salon' }, (tx) => invitationBindingFor(tx, user.userId, invitedEmail));
}

/**
 * Accepts a shop's invitation for the signed-in salon: an approved membership with the
 * invitation's rank and credit terms, written in that shop's scope. Accepting counts as the
 * consent to show the shop the profile (same text and version as an application).
 */
export async function acceptCustomerInvitation(
  database: Database,
  input: { token: string; accountId: string; userId: string; consent: boolean; ip?: string; requestId?: string },
): Promise<{ tenantId: string; shopSlug: string }> {
  const preview = await previewCustomerInvitation(database, input.token);
  const scope = { tenantId: preview.tenantId, accountId: input.accountId, principalId: input.userId, audience: 'salon' as const };
  const audit = (tx: Tx, result: 'success' | 'denied', reason = '') =>
    appendAudit(tx, {
      actorType: 'salon_user',
      actorId: input.userId,
      action: 'customer_invitation.accept',
      resourceType: 'customer_invitation',
      resourceId: preview.invitationId,
      result,
      reason,
      sourceIp: input.ip ?? '',
      requestId: input.requestId ?? '',
      detail: { accountId: input.accountId },
    });
  const binding = await invitationBindingOf(database, input, preview.email);
  if (binding !== 'ok') {
    // The refusal is recorded in the shop's chain (a forwarded link is worth knowing about), then reported.
    await withIdentity(database, scope, (tx) => audit(tx, 'denied', binding));
    throw new ForbiddenError(invitationBindingMessage(binding, preview.email));
  }
  if (!input.consent) throw new ValidationError({ consent: '招待を受けるには、ショップへの情報開示への同意が必要です。' });
  await withIdentity(database, scope, async (tx) => {
    if ((await invitationBindingFor(tx, input.userId, preview.email)) !== 'ok') throw new ForbiddenError(invitationBindingMessage('other_email', preview.email));
    if (!(await consumeToken(tx, preview.tokenId))) throw new NotFoundError('この招待リンクはすでに使用されています。');
    const invitation = await tx
      .selectFrom('customer_invitations')
      .selectAll()
      .where('id', '=', preview.invitationId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (!invitation) throw new NotFoundError('この招待は取り消されたか、すでに使用されています。');
    const existing = await tx.selectFrom('memberships').select(['id', 'status']).where('account_id', '=', input.accountId).where('tenant_id', '=', preview.tenantId).executeTakeFirst();
    if (existing && (existing.status === 'rejected' || existing.status === 'suspended')) {
      throw new ConflictError('このショップとのお取引は現在停止されています。ショップにお問い合わせください。');
    }
    const terms = {
      status: 'approved' as const,
      rank_id: invitation.rank_id,
      customer_code: invitation.customer_code,
      invoice_terms_enabled: invitation.invoice_terms_enabled,
      credit_limit_yen: invitation.credit_limit_yen,
      closing_day: invitation.closing_day,
      payment_month_offset: invitation.payment_month_offset,
      payment_day: invitation.payment_day,
      consent_at: sql<Date>`now()`,
      consent_version: CONSENT_VERSION,
      decided_at: sql<Date>`now()`,
      decided_by: invitation.invited_by,
      decision_reason: '',
    };
    if (existing) {
      await tx.updateTable('memberships').set(terms).where('id', '=', existing.id).execute();
    } else {
      await tx.insertInto('memberships').values({ ...terms, tenant_id: preview.tenantId, account_id: input.accountId, applied_by: input.userId }).execute();
    }
    await tx.updateTable('customer_invitations').set({ status: 'accepted', accepted_account_id: input.accountId }).where('id', '=', invitation.id).execute();
    await audit(tx, 'success');
  });
  return { tenantId: preview.tenantId, shopSlug: preview.shopSlug };
}
