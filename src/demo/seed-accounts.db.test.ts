import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import { lookupPostalCode } from '../domains/address/postal-code.ts';
import { verifyPassword } from '../domains/auth/password.hash.ts';
import { remainingRecoveryCodes } from '../domains/auth/recovery-codes.service.ts';
import { hasConfirmedTotp, verifyTotpCode } from '../domains/auth/totp.service.ts';
import { isRegistrationNumber } from '../domains/invoicing/registration-number.ts';
import { SecretsKey } from '../platform/config/secrets.ts';
import { rotateSecrets } from '../platform/crypto/rotate-secrets.ts';
import { SecretBox } from '../platform/crypto/secret-box.ts';
import type { Database } from '../platform/db/database.ts';
import { withIdentity, withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import { DEMO_SHOPS } from './catalog/demo-shops.ts';
import { DEFAULT_TOTP_EMAIL, DEMO_PASSWORD, DEMO_SALON_LOGINS, DEMO_STAFF, DEMO_TOTP_SECRET } from './demo-credentials.ts';
import { DEMO_CUSTOMER_INVITATIONS, DEMO_SALONS } from './demo-salons.ts';
import { currentStaffTotp } from './demo-totp.ts';
import { type SeedAccountsResult, seedDemoAccounts } from './seed-accounts.ts';
import { seedDemoPlatform } from './seed-platform.ts';

let database: Database;
let first: SeedAccountsResult;
let tenantBySlug: Map<string, string>;
const secrets = SecretsKey.fromHex(randomBytes(32).toString('hex'));
const now = new Date();

const TABLES = [
  'staff_users',
  'user_credentials',
  'mfa_totp',
  'mfa_recovery_codes',
  'salon_accounts',
  'salon_users',
  'salon_locations',
  'memberships',
  'shop_price_ranks',
  'customer_invitations',
  'auth_tokens',
  'outbox',
  'audit_log',
];
const TOTP_SALON_LOGINS = DEMO_SALON_LOGINS.filter((l) => l.totp);

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = Number((await database.ownerExec(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n);
  return counts;
}

async function staffIdOf(email: string): Promise<string> {
  const r = await withPlatform(database, (tx) => sql<{ user_id: string }>`SELECT user_id FROM auth_find_login('staff', ${email})`.execute(tx));
  return r.rows[0]!.user_id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  first = await seedDemoAccounts(database, { secrets, now });
  console.info(`demo accounts seeded in ${first.ms} ms`);
  const tenants = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).execute());
  tenantBySlug = new Map(tenants.map((t) => [t.slug, t.id]));
}, 60_000);
afterAll(() => database.close());

describe('seedDemoAccounts', () => {
  it('seeds staff, salons and memberships once; a second run adds nothing', async () => {
    expect(first).toMatchObject({ seeded: true, staff: DEMO_STAFF.length, salonAccounts: DEMO_SALONS.length, salonUsers: DEMO_SALON_LOGINS.length });
    const before = await rowCounts();
    expect(before.staff_users).toBe(DEMO_STAFF.length);
    expect(before.user_credentials).toBe(DEMO_STAFF.length + DEMO_SALON_LOGINS.length);
    const again = await seedDemoAccounts(database, { secrets, now });
    expect(again.seeded).toBe(false);
    expect(await rowCounts()).toEqual(before);
  });

  it('gives every shop its three staff roles, its ranks and its members, visible in its own scope', async () => {
    for (const shop of DEMO_SHOPS) {
      const tenantId = tenantBySlug.get(shop.slug)!;
      const seen = await withTenant(database, tenantId, async (tx) => ({
        staff: await tx.selectFrom('staff_users').select(['role', 'tenant_id']).orderBy('role').execute(),
        ranks: await tx.selectFrom('shop_price_ranks').select('code').execute(),
        members: await tx.selectFrom('memberships').select(['tenant_id', 'status', 'account_id']).execute(),
      }));
      expect(seen.staff.map((s) => s.role)).toEqual(['catalog_editor', 'order_clerk', 'shop_admin']);
      expect(seen.staff.every((s) => s.tenant_id === tenantId)).toBe(true);
      expect(seen.ranks.map((r) => r.code).sort()).toEqual(shop.priceRanks.map((r) => r.code).sort());
      const expected = DEMO_SALONS.filter((s) => s.memberships[shop.slug]);
      expect(seen.members).toHaveLength(expected.length);
      expect(seen.members.every((m) => m.tenant_id === tenantId)).toBe(true);
      // Several approved members per shop: the demo's shops have customers.
      expect(seen.members.filter((m) => m.status === 'approved').length).toBeGreaterThanOrEqual(3);
    }
  });

  it("shows a shop only its own members' profiles: shop A's scope sees nothing of B's", async () => {
    const kiriha = tenantBySlug.get('kiriha-tools')!;
    const visible = await withTenant(database, kiriha, (tx) => tx.selectFrom('salon_accounts').select('salon_name').orderBy('salon_name').execute());
    const expected = DEMO_SALONS.filter((s) => s.memberships['kiriha-tools']).map((s) => s.salonName).sort();
    expect(visible.map((v) => v.salon_name).sort()).toEqual(expected);
    // Lumière applied to other shops only.
    expect(visible.map((v) => v.salon_name)).not.toContain('Hair Salon Lumière 神宮前');
    const otherShopsMemberships = await withTenant(database, kiriha, (tx) =>
      tx.selectFrom('memberships').select('id').where('tenant_id', '!=', kiriha).execute(),
    );
    expect(otherShopsMemberships).toEqual([]);
    const otherStaff = await withTenant(database, kiriha, (tx) => tx.selectFrom('staff_users').select('email').where('tenant_id', '!=', kiriha).execute());
    expect(otherStaff).toEqual([]);
  });

  it('enrols every staff member: demo password, confirmed TOTP that accepts the demo code, ten recovery codes', async () => {
    const epoch = Math.floor(Date.now() / 1000);
    for (const member of DEMO_STAFF) {
      const id = await staffIdOf(member.email);
      const state = await withIdentity(database, { principalId: id }, async (tx) => ({
        totp: await hasConfirmedTotp(tx, id),
        recovery: await remainingRecoveryCodes(tx, id),
        hash: (await tx.selectFrom('user_credentials').select('password_hash').executeTakeFirstOrThrow()).password_hash,
        sealed: (await tx.selectFrom('mfa_totp').select('secret_encrypted').executeTakeFirstOrThrow()).secret_encrypted,
      }));
      expect(state.totp, member.email).toBe(true);
      expect(state.recovery, member.email).toBe(10);
      expect(new SecretBox(secrets).isCurrent(state.sealed)).toBe(true);
      expect(state.sealed).not.toContain(DEMO_TOTP_SECRET);
    }
    const id = await staffIdOf(DEFAULT_TOTP_EMAIL);
    const hash = await withIdentity(database, { principalId: id }, (tx) => tx.selectFrom('user_credentials').select('password_hash').executeTakeFirstOrThrow());
    expect(await verifyPassword(hash.password_hash, DEMO_PASSWORD)).toEqual({ ok: true, needsRehash: false });
    const accepted = await withIdentity(database, { principalId: id }, (tx) =>
      verifyTotpCode(tx, new SecretBox(secrets), id, generateSync({ secret: DEMO_TOTP_SECRET, epoch })),
    );
    expect(accepted).toBe(true);
  });

  it('demo:totp reads the sealed secret with the configured key and gives the current code', async () => {
    const at = new Date('2025-06-01T03:00:10Z');
    const result = await currentStaffTotp(database, secrets, 'security-officer@minase-shoji.example', at);
    expect(result.code).toBe(generateSync({ secret: DEMO_TOTP_SECRET, epoch: Math.floor(at.getTime() / 1000) }));
    expect(result.secondsLeft).toBe(20);
    const wrongKey = SecretsKey.fromHex(randomBytes(32).toString('hex'));
    await expect(currentStaffTotp(database, wrongKey, DEFAULT_TOTP_EMAIL)).rejects.toThrow(/unknown key/);
    await expect(currentStaffTotp(database, secrets, 'nobody@example.example')).rejects.toThrow(/no staff member/);
  });

  it('has a salon user with the optional two-step sign-in on, whose code demo:totp prints too', async () => {
    expect(TOTP_SALON_LOGINS.map((l) => l.email)).toEqual(['owner@sakae-mode.example']);
    const r = await withPlatform(database, (tx) => sql<{ user_id: string }>`SELECT user_id FROM auth_find_login('salon', ${'owner@sakae-mode.example'})`.execute(tx));
    const id = r.rows[0]!.user_id;
    const state = await withIdentity(database, { principalId: id }, async (tx) => ({ totp: await hasConfirmedTotp(tx, id), recovery: await remainingRecoveryCodes(tx, id) }));
    expect(state).toEqual({ totp: true, recovery: 10 });
    const at = new Date('2025-06-01T03:00:10Z');
    expect((await currentStaffTotp(database, secrets, 'owner@sakae-mode.example', at)).code).toBe(generateSync({ secret: DEMO_TOTP_SECRET, epoch: Math.floor(at.getTime() / 1000) }));
    await expect(currentStaffTotp(database, secrets, 'buyer@sakae-mode.example')).rejects.toThrow(/no confirmed TOTP/);
  });

  it("has a shop's open customer invitations, each mailed with its link, addressed to the invited email", async () => {
    expect(first.customerInvitations).toBe(DEMO_CUSTOMER_INVITATIONS.length);
    const kaoru = tenantBySlug.get('kaoru-haircare')!;
    const open = await withTenant(database, kaoru, (tx) => tx.selectFrom('customer_invitations').select(['email', 'status']).orderBy('email').execute());
    expect(open).toEqual(DEMO_CUSTOMER_INVITATIONS.map((i) => ({ email: i.email, status: 'pending' })).sort((a, b) => a.email.localeCompare(b.email)));
    const mails = await withTenant(database, kaoru, (tx) => tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute());
    for (const inv of DEMO_CUSTOMER_INVITATIONS) {
      const mail = mails.map((m) => m.payload as { to: string; text: string }).find((m) => m.to === inv.email);
      expect(mail?.text, inv.email).toMatch(/http:\/\/localhost:3000\/account\/invitations\/[A-Za-z0-9_-]{43}/);
      expect(mail?.text).toContain(`このメールアドレス（${inv.email}）`);
    }
    // The invited demo salon is not yet a member of that shop: accepting is the demo's next step.
    const hanamizuki = DEMO_SALONS.find((s) => s.key === 'hanamizuki')!;
    expect(hanamizuki.memberships['kaoru-haircare']).toBeUndefined();
  });

  it('writes salon profiles with consistent real postal addresses, 555 phones, .example mail and valid T-numbers', async () => {
    const accounts = await withIdentity(database, { audience: 'operator' }, (tx) => tx.selectFrom('salon_accounts').selectAll().execute());
    expect(accounts).toHaveLength(DEMO_SALONS.length);
    for (const a of accounts) {
      const [postal] = await lookupPostalCode(a.postal_code);
      expect(postal, a.salon_name).toBeDefined();
      expect([a.prefecture, a.city]).toEqual([postal!.prefecture, postal!.city]);
      expect(a.address_line1.startsWith(postal!.town)).toBe(true);
      expect(a.phone).toMatch(/^0\d{1,3}-?555-?\d{4}$|^0\d-5555-\d{4}$/);
      if (a.invoice_registration_number) expect(isRegistrationNumber(a.invoice_registration_number)).toBe(true);
    }
    expect(accounts.filter((a) => a.invoice_registration_number).length).toBeGreaterThanOrEqual(3);
    expect(DEMO_SALON_LOGINS.every((l) => l.email.endsWith('.example'))).toBe(true);
  });

  it('covers every verification and membership state the screens need', async () => {
    const accounts = await withIdentity(database, { audience: 'operator' }, (tx) =>
      tx.selectFrom('salon_accounts').select(['salon_name', 'verification_status', 'verification_expires_at']).execute(),
    );
    const in30Days = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    const verified = accounts.filter((a) => a.verification_status === 'verified');
    expect(verified.filter((a) => a.verification_expires_at! <= in30Days)).toHaveLength(1);
    expect(verified.filter((a) => a.verification_expires_at! > in30Days).length).toBeGreaterThanOrEqual(8);
    expect(accounts.filter((a) => a.verification_status === 'pending')).toHaveLength(1);
    expect(accounts.filter((a) => a.verification_status === 'unsubmitted')).toHaveLength(1);

    const { rows } = await database.ownerExec('SELECT status, count(*)::int AS n FROM memberships GROUP BY status');
    const byStatus = Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
    expect(byStatus).toMatchObject({ rejected: 1, suspended: 1 });
    expect(byStatus.applied).toBeGreaterThanOrEqual(4);
    const invoiced = await database.ownerExec(
      `SELECT closing_day, payment_month_offset, payment_day, credit_limit_yen FROM memberships WHERE invoice_terms_enabled AND status = 'approved'`,
    );
    expect(invoiced.rows.length).toBeGreaterThanOrEqual(4);
    expect(invoiced.rows).toContainEqual({ closing_day: 20, payment_month_offset: 1, payment_day: 31, credit_limit_yen: 300_000 });
  });

  it('approves the synthetic monitor salon in every shop', async () => {
    const { rows } = await database.ownerExec(
      `SELECT m.status, m.rank_id FROM memberships m JOIN salon_users u ON u.account_id = m.account_id WHERE u.is_synthetic`,
    );
    expect(rows).toHaveLength(DEMO_SHOPS.length);
    expect(rows.every((r) => r.status === 'approved' && r.rank_id)).toBe(true);
  });

  it('survives a key rotation: after secrets:rotate every staff code comes from the new key', async () => {
    const newKey = SecretsKey.fromHex(randomBytes(32).toString('hex'));
    const report = await rotateSecrets(database, { from: secrets, to: newKey });
    expect(report.columns).toContainEqual({ column: 'mfa_totp.secret_encrypted', rotated: DEMO_STAFF.length + TOTP_SALON_LOGINS.length, alreadyCurrent: 0 });
    const at = new Date();
    const code = await currentStaffTotp(database, newKey, DEFAULT_TOTP_EMAIL, at);
    expect(code.code).toBe(generateSync({ secret: DEMO_TOTP_SECRET, epoch: Math.floor(at.getTime() / 1000) }));
    await expect(currentStaffTotp(database, secrets, DEFAULT_TOTP_EMAIL)).rejects.toThrow(/unknown key/);
  });
});
