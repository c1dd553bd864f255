import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform } from '../../platform/db/tenant-scope.ts';
import type { StaffRole } from '../accounts/accounts.tables.ts';
import { createSession } from '../auth/session.service.ts';

/** Fixtures for console tests: staff, their sessions, salons with memberships, price ranks. */

export async function tenantIdOf(database: Database, slug: string): Promise<string> {
  return (await database.ownerExec('SELECT id FROM tenants WHERE slug = $1', [slug])).rows[0]!.id as string;
}

export async function seedStaffUser(database: Database, input: { tenantId: string | null; role: StaffRole; status?: 'active' | 'invited' | 'disabled'; email?: string; name?: string }) {
  const email = input.email ?? `${input.role}-${randomUUID().slice(0, 8)}@staff.example`;
  const row = await database.ownerExec(
    `INSERT INTO staff_users (tenant_id, email, display_name, role, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.tenantId, email, input.name ?? `スタッフ ${input.role}`, input.role, input.status ?? 'active'],
  );
  return { id: row.rows[0]!.id as string, email, tenantId: input.tenantId, role: input.role };
}

/** A signed-in staff session (MFA passed; step-up fresh unless `stepUp: false`). Returns the raw token. */
export async function staffSessionToken(database: Database, staff: { id: string; tenantId: string | null }, options: { mfa?: boolean; stepUp?: boolean } = {}) {
  const { token, session } = await withPlatform(database, (tx) =>
    createSession(tx, { audience: staff.tenantId === null ? 'operator' : 'staff', userId: staff.id, boundTenantId: staff.tenantId, mfaVerified: options.mfa ?? true }),
  );
  if (options.stepUp === false) await database.ownerExec('UPDATE sessions SET step_up_at = NULL WHERE id = $1', [session.id]);
  return token;
}

export async function seedPriceRanks(database: Database, tenantId: string) {
  const ranks = [
    ['standard', '一般', '1.0000', 10],
    ['silver', 'シルバー', '0.9000', 20],
    ['gold', 'ゴールド', '0.8000', 30],
  ] as const;
  const out: Record<string, string> = {};
  for (const [code, name, rate, order] of ranks) {
    const r = await database.ownerExec(
      `INSERT INTO shop_price_ranks (tenant_id, code, name, rate, sort_order) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name RETURNING id`,
      [tenantId, code, name, rate, order],
    );
    out[code] = r.rows[0]!.id as string;
  }
  return out;
}

export async function seedSalonMembership(
  database: Database,
  input: { tenantId: string; status?: 'applied' | 'approved' | 'rejected' | 'suspended'; verification?: 'pending' | 'verified' | 'unsubmitted'; company?: string },
) {
  const company = input.company ?? `株式会社テストサロン${randomUUID().slice(0, 4)}`;
  const account = await database.ownerExec(
    `INSERT INTO salon_accounts (business_type, company_name, salon_name, representative_name, postal_code, prefecture, city, address_line1, phone,
       verification_status, verification_submitted_at, verified_at, verification_expires_at)
     VALUES ('corporation', $1, 'サロン テスト', '代表 太郎', '1500001', '東京都', '渋谷区神宮前', '1-2-3', '03-0000-0000', $2, now(),
       CASE WHEN $2 = 'verified' THEN now() END, CASE WHEN $2 = 'verified' THEN current_date + 365 END) RETURNING id`,
    [company, input.verification ?? 'verified'],
  );
  const accountId = account.rows[0]!.id as string;
  const ownerEmail = `owner-${randomUUID().slice(0, 8)}@salon.example`;
  await database.ownerExec(`INSERT INTO salon_users (account_id, email, display_name, role, email_verified_at) VALUES ($1, $2, 'オーナー 花子', 'owner', now())`, [accountId, ownerEmail]);
  const membership = await database.ownerExec(
    `INSERT INTO memberships (tenant_id, account_id, status, consent_at, consent_version) VALUES ($1, $2, $3, now(), '2025-01') RETURNING id`,
    [input.tenantId, accountId, input.status ?? 'applied'],
  );
  return { accountId, ownerEmail, company, membershipId: membership.rows[0]!.id as string };
}

/** Emails queued through the outbox (payload of mail.send items), as the owner sees them. */
export async function queuedMails(database: Database): Promise<{ tenant_id: string | null; to: string; subject: string; text: string }[]> {
  const rows = await database.ownerExec(`SELECT tenant_id, payload FROM outbox WHERE kind = 'mail.send' ORDER BY created_at`);
  return rows.rows.map((r) => ({ tenant_id: r.tenant_id as string | null, ...(r.payload as { to: string; subject: string; text: string }) }));
}
