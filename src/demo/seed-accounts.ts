import { createHash } from 'node:crypto';
import { issueCustomerInvitationToken } from '../domains/accounts/membership.service.ts';
import { lookupPostalCode } from '../domains/address/postal-code.ts';
import { appendAudit } from '../domains/audit/audit.service.ts';
import { hashPassword } from '../domains/auth/password.hash.ts';
import { regenerateRecoveryCodes } from '../domains/auth/recovery-codes.service.ts';
import { setConfirmedTotpSecret } from '../domains/auth/totp.service.ts';
import { customerInvitationMail } from '../domains/customers-import/customer-import.service.ts';
import type { SecretsKey } from '../platform/config/secrets.ts';
import { SecretBox } from '../platform/crypto/secret-box.ts';
import type { Database } from '../platform/db/database.ts';
import { type Tx, withIdentity, withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import { queueMail } from '../platform/mail/mail.ts';
import { DEMO_SHOPS, type DemoShopSlug } from './catalog/demo-shops.ts';
import { DEMO_OPERATOR_STAFF, DEMO_PASSWORD, DEMO_SHOP_STAFF, DEMO_TOTP_SECRET, type DemoStaffLogin } from './demo-credentials.ts';
import { DEMO_CUSTOMER_INVITATIONS, DEMO_SALONS, type DemoSalon, registrationNumberOf } from './demo-salons.ts';

/**
 * First start, after seedDemoPlatform: the demo's people. Staff of every shop (admin, order
 * clerk, catalog editor) and of the operator (platform admin, security officer), each with a
 * password, TOTP enrolled and recovery codes; the demo salons with their users, locations,
 * verification states and per-shop memberships (one salon user with the optional TOTP on); a
 * shop's open invitations to existing customers, their links mailed.
 *
 * Every row goes in through the scope that owns it, so RLS WITH CHECK holds as in the app: salon
 * rows as the salon (withIdentity accountId), shop rows as the shop (withTenant), operator staff
 * with the operator audience, credentials and factors as their own user (principalId).
 *
 * Runs once: the platform admin is written last and is the marker. Ids are derived from stable
 * keys and every insert skips rows that exist, so a start interrupted half-way completes on the
 * next one and two instances starting together do not duplicate anything.
 *
 * Speed: argon2id costs ~8 ms per hash on the demo machine; every demo user has the same
 * password, so it is hashed once and the hash reused (argon2 salts per hash, so in a real
 * system equal passwords never share one — this is the demo's shortcut, nothing else does it).
 */

export interface SeedAccountsResult {
  seeded: boolean;
  staff: number;
  salonAccounts: number;
  salonUsers: number;
  memberships: number;
  customerInvitations: number;
  ms: number;
}

const DAY_MS = 86_400_000;

/** A stable UUID (version-4 layout) from a demo key: reruns address the same rows. */
export function demoId(kind: string, key: string): string {
  const h = createHash('sha256').update(`oroshi-demo:${kind}:${key}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const staffId = (s: DemoStaffLogin) => demoId('staff', s.email);
const accountIdOf = (salon: DemoSalon) => demoId('salon', salon.key);
const salonUserId = (email: string) => demoId('salon-user', email);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

export const PLATFORM_ADMIN = DEMO_OPERATOR_STAFF.find((s) => s.role === 'platform_admin')!;

async function postalAddress(code: string): Promise<{ prefecture: string; city: string; town: string }> {
  const [found] = await lookupPostalCode(code);
  if (!found) throw new Error(`demo postal code ${code} is not in the postal data`);
  return found;
}

async function insertStaffMember(database: Database, member: DemoStaffLogin, tenantId: string | null, passwordHash: string, box: SecretBox, now: Date) {
  const id = staffId(member);
  const identity = tenantId ? { tenantId, principalId: id } : { audience: 'operator' as const, principalId: id };
  await withIdentity(database, identity, async (tx) => {
    await tx
      .insertInto('staff_users')
      .values({ id, tenant_id: tenantId, email: member.email, display_name: member.displayName, role: member.role, status: 'active', created_at: daysAgo(now, 90) })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await enrolCredentials(tx, id, 'staff', passwordHash);
    await setConfirmedTotpSecret(tx, box, id, DEMO_TOTP_SECRET);
    await regenerateRecoveryCodes(tx, id);
  });
}

async function enrolCredentials(tx: Tx, userId: string, kind: 'salon' | 'staff', passwordHash: string) {
  await tx
    .insertInto('user_credentials')
    .values({ user_id: userId, user_kind: kind, password_hash: passwordHash })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

function verificationColumns(salon: DemoSalon, now: Date, verifierId: string) {
  switch (salon.verification) {
    case 'verified':
    case 'expiring':
      return {
        verification_status: 'verified' as const,
        verification_submitted_at: daysAgo(now, 40),
        verified_at: daysAgo(now, 38),
        verified_by: verifierId,
        verification_expires_at: isoDate(new Date(now.getTime() + (salon.verification === 'expiring' ? 20 : 365) * DAY_MS)),
      };
    case 'pending':
      return { verification_status: 'pending' as const, verification_submitted_at: daysAgo(now, 2), verified_at: null, verified_by: null, verification_expires_at: null };
    case 'unsubmitted':
      return { verification_status: 'unsubmitted' as const, verification_submitted_at: null, verified_at: null, verified_by: null, verification_expires_at: null };
  }
}

async function insertSalon(database: Database, salon: DemoSalon, passwordHash: string, now: Date, verifierId: string, box: SecretBox) {
  const accountId = accountIdOf(salon);
  const address = await postalAddress(salon.postalCode);
  const extra = await Promise.all((salon.extraLocations ?? []).map(async (l) => ({ ...l, address: await postalAddress(l.postalCode) })));
  const [first, ...others] = salon.users;
  if (!first) throw new Error(`demo salon ${salon.key} has no users`);
  await withIdentity(database, { accountId, principalId: salonUserId(first.email), audience: 'salon' }, async (tx) => {
    await tx
      .insertInto('salon_accounts')
      .values({
        id: accountId,
        business_type: salon.businessType,
        company_name: salon.companyName,
        company_name_kana: salon.companyNameKana,
        salon_name: salon.salonName,
        representative_name: salon.representative,
        manager_name: salon.manager,
        establishment_health_center: salon.healthCenter,
        establishment_number: salon.establishmentNumber,
        establishment_date: salon.establishmentDate,
        postal_code: salon.postalCode,
        prefecture: address.prefecture,
        city: address.city,
        address_line1: `${address.town}${salon.street}`,
        address_line2: salon.building ?? '',
        phone: salon.phone,
        invoice_registration_number: registrationNumberOf(salon),
        ...verificationColumns(salon, now, verifierId),
        created_at: daysAgo(now, 60),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .insertInto('salon_users')
      .values(
        salon.users.map((u) => ({
          id: salonUserId(u.email),
          account_id: accountId,
          email: u.email,
          email_verified_at: daysAgo(now, 59),
          display_name: u.name,
          role: u.role,
          status: 'active' as const,
          is_synthetic: salon.synthetic ?? false,
          created_at: daysAgo(now, 60),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    const locations = [
      {
        id: demoId('location', `${salon.key}:main`),
        label: salon.salonName,
        recipient_name: `${salon.salonName} 御中`,
        postal_code: salon.postalCode,
        prefecture: address.prefecture,
        city: address.city,
        address_line1: `${address.town}${salon.street}`,
        address_line2: salon.building ?? '',
        phone: salon.phone,
        is_default: true,
      },
      ...extra.map((l) => ({
        id: demoId('location', `${salon.key}:${l.label}`),
        label: l.label,
        recipient_name: l.recipient,
        postal_code: l.postalCode,
        prefecture: l.address.prefecture,
        city: l.address.city,
        address_line1: `${l.address.town}${l.street}`,
        address_line2: l.building ?? '',
        phone: l.phone,
        is_default: false,
      })),
    ];
    await tx
      .insertInto('salon_locations')
      .values(locations.map((l) => ({ ...l, account_id: accountId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await enrolCredentials(tx, salonUserId(first.email), 'salon', passwordHash);
  });
  for (const user of others) {
    await withIdentity(database, { accountId, principalId: salonUserId(user.email), audience: 'salon' }, (tx) =>
      enrolCredentials(tx, salonUserId(user.email), 'salon', passwordHash),
    );
  }
  for (const user of salon.users.filter((u) => u.totp)) {
    await withIdentity(database, { accountId, principalId: salonUserId(user.email), audience: 'salon' }, async (tx) => {
      await setConfirmedTotpSecret(tx, box, salonUserId(user.email), DEMO_TOTP_SECRET);
      await regenerateRecoveryCodes(tx, salonUserId(user.email));
    });
  }
}

/** Open customer invitations, each with its link mailed (the import's own mail); an existing one is left alone. */
async function insertCustomerInvitations(database: Database, tenantBySlug: Map<string, string>, baseOrigin: string, now: Date): Promise<number> {
  let n = 0;
  for (const inv of DEMO_CUSTOMER_INVITATIONS) {
    const tenantId = tenantBySlug.get(inv.shop)!;
    const shop = DEMO_SHOPS.find((s) => s.slug === inv.shop)!;
    const admin = DEMO_SHOP_STAFF.find((s) => s.shopSlug === inv.shop && s.role === 'shop_admin')!;
    n += await withTenant(database, tenantId, async (tx) => {
      const rank = await tx.selectFrom('shop_price_ranks').select('id').where('code', '=', inv.rank).executeTakeFirstOrThrow();
      const row = await tx
        .insertInto('customer_invitations')
        .values({
          tenant_id: tenantId,
          id: demoId('customer-invitation', `${inv.shop}:${inv.email}`),
          company_name: inv.company,
          contact_name: inv.contact,
          email: inv.email,
          customer_code: inv.customerCode,
          rank_id: rank.id,
          invoice_terms_enabled: inv.creditLimitYen !== undefined,
          credit_limit_yen: inv.creditLimitYen ?? 0,
          closing_day: shop.invoiceTerms.closingDay,
          payment_month_offset: shop.invoiceTerms.paymentMonthOffset,
          payment_day: shop.invoiceTerms.paymentDay,
          invited_by: staffId(admin),
          created_at: daysAgo(now, 3),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return 0;
      const token = await issueCustomerInvitationToken(tx, { tenantId, invitationId: row.id });
      await queueMail(tx, { tenantId, ...customerInvitationMail(shop.displayName, inv, `${baseOrigin}/account/invitations/${token}`) });
      return 1;
    });
  }
  return n;
}

async function insertMemberships(database: Database, shopSlug: DemoShopSlug, tenantId: string, now: Date): Promise<number> {
  const shop = DEMO_SHOPS.find((s) => s.slug === shopSlug)!;
  const admin = DEMO_SHOP_STAFF.find((s) => s.shopSlug === shopSlug && s.role === 'shop_admin')!;
  const members = DEMO_SALONS.flatMap((salon, index) => {
    const m = salon.memberships[shopSlug];
    return m ? [{ salon, m, index }] : [];
  });
  if (members.length === 0) return 0;
  return withTenant(database, tenantId, async (tx) => {
    await tx
      .insertInto('shop_price_ranks')
      .values(shop.priceRanks.map((r, i) => ({ tenant_id: tenantId, code: r.code, name: r.name, rate: r.rate.toFixed(4), sort_order: i })))
      .onConflict((oc) => oc.columns(['tenant_id', 'code']).doNothing())
      .execute();
    const rankIds = new Map((await tx.selectFrom('shop_price_ranks').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
    const prefix = shopSlug.replace(/-.*/, '').slice(0, 3).toUpperCase();
    const rows = members.map(({ salon, m, index }, n) => {
      const decided = m.status !== 'applied';
      // Decided members applied weeks ago; open applications arrived in the last few days.
      const appliedAt = decided ? daysAgo(now, 45 - index) : daysAgo(now, 1 + (index % 5));
      const invoice = m.creditLimitYen !== undefined;
      return {
        tenant_id: tenantId,
        id: demoId('membership', `${shopSlug}:${salon.key}`),
        account_id: accountIdOf(salon),
        status: m.status,
        rank_id: m.rank ? (rankIds.get(m.rank) ?? null) : null,
        customer_code: m.status === 'approved' || m.status === 'suspended' ? `${prefix}-${String(1001 + n)}` : '',
        invoice_terms_enabled: invoice,
        credit_limit_yen: m.creditLimitYen ?? 0,
        closing_day: shop.invoiceTerms.closingDay,
        payment_month_offset: shop.invoiceTerms.paymentMonthOffset,
        payment_day: shop.invoiceTerms.paymentDay,
        application_note: m.note ?? '',
        consent_at: appliedAt,
        consent_version: '2025-01',
        applied_by: salonUserId(salon.users[0]!.email),
        applied_at: appliedAt,
        decided_at: decided ? new Date(appliedAt.getTime() + 2 * DAY_MS) : null,
        decided_by: decided ? staffId(admin) : null,
        decision_reason: m.reason ?? '',
      };
    });
    await tx
      .insertInto('memberships')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
    return rows.length;
  });
}

export async function seedDemoAccounts(database: Database, options: { secrets: SecretsKey; now?: Date; baseOrigin?: string }): Promise<SeedAccountsResult> {
  const startedAt = performance.now();
  const now = options.now ?? new Date();
  const adminId = staffId(PLATFORM_ADMIN);
  const done = await withIdentity(database, { audience: 'operator' }, (tx) =>
    tx.selectFrom('staff_users').select('id').where('id', '=', adminId).executeTakeFirst(),
  );
  const tenants = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).execute());
  const tenantBySlug = new Map(tenants.map((t) => [t.slug, t.id]));
  const missing = DEMO_SHOPS.filter((s) => !tenantBySlug.has(s.slug));
  const empty = { staff: 0, salonAccounts: 0, salonUsers: 0, memberships: 0, customerInvitations: 0 };
  if (done || missing.length === DEMO_SHOPS.length) return { seeded: false, ...empty, ms: Math.round(performance.now() - startedAt) };
  if (missing.length) throw new Error(`demo shops missing: ${missing.map((s) => s.slug).join(', ')}`);

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const box = new SecretBox(options.secrets);
  for (const member of DEMO_SHOP_STAFF) await insertStaffMember(database, member, tenantBySlug.get(member.shopSlug!)!, passwordHash, box, now);
  for (const salon of DEMO_SALONS) await insertSalon(database, salon, passwordHash, now, adminId, box);
  let memberships = 0;
  for (const shop of DEMO_SHOPS) memberships += await insertMemberships(database, shop.slug, tenantBySlug.get(shop.slug)!, now);
  const customerInvitations = await insertCustomerInvitations(database, tenantBySlug, options.baseOrigin ?? 'http://localhost:3000', now);
  // The platform admin last: its row is the marker that the seed completed.
  const operatorStaff = [...DEMO_OPERATOR_STAFF.filter((s) => s !== PLATFORM_ADMIN), PLATFORM_ADMIN];
  for (const member of operatorStaff) await insertStaffMember(database, member, null, passwordHash, box, now);

  const result = {
    staff: DEMO_SHOP_STAFF.length + DEMO_OPERATOR_STAFF.length,
    salonAccounts: DEMO_SALONS.length,
    salonUsers: DEMO_SALONS.reduce((n, s) => n + s.users.length, 0),
    memberships,
    customerInvitations,
  };
  await withPlatform(database, (tx) =>
    appendAudit(tx, { actorType: 'system', actorLabel: 'demo seed', action: 'demo.accounts_seeded', result: 'success', detail: { ...result } }),
  );
  return { seeded: true, ...result, ms: Math.round(performance.now() - startedAt) };
}
