import { sql } from 'kysely';
import { generateSync } from 'otplib';
import type { SecretsKey } from '../platform/config/secrets.ts';
import { ENCRYPTED_COLUMNS } from '../platform/crypto/rotate-secrets.registry.ts';
import { SecretBox } from '../platform/crypto/secret-box.ts';
import type { Database } from '../platform/db/database.ts';
import { withIdentity, withPlatform } from '../platform/db/tenant-scope.ts';

const TOTP_PERIOD_SECONDS = 30;
const totpColumn = ENCRYPTED_COLUMNS.find((c) => c.table === 'mfa_totp')!;

export interface DemoTotpCode {
  email: string;
  code: string;
  secondsLeft: number;
}

/**
 * A demo user's current TOTP code — a staff member's, or a salon user's who turned the optional
 * two-step sign-in on — from the sealed secret in the database opened with the configured key, so
 * it also proves the demo's secrets key still opens what the seed sealed.
 */
export async function currentStaffTotp(database: Database, secrets: SecretsKey, email: string, now = new Date()): Promise<DemoTotpCode> {
  // auth_find_login is the one lookup by email that works before anyone is signed in.
  const find = (kind: 'staff' | 'salon') =>
    withPlatform(database, (tx) => sql<{ user_id: string }>`SELECT user_id FROM auth_find_login(${kind}, ${email})`.execute(tx)).then((r) => r.rows[0]?.user_id);
  const userId = (await find('staff')) ?? (await find('salon'));
  if (!userId) throw new Error(`no staff member or salon user with the email ${email}`);
  const row = await withIdentity(database, { principalId: userId }, (tx) =>
    tx.selectFrom('mfa_totp').select(['user_id', 'secret_encrypted', 'confirmed_at']).where('user_id', '=', userId).executeTakeFirst(),
  );
  if (!row?.confirmed_at) throw new Error(`${email} has no confirmed TOTP factor`);
  const secret = new SecretBox(secrets).open(row.secret_encrypted, totpColumn.aad(row));
  const epoch = Math.floor(now.getTime() / 1000);
  return { email, code: generateSync({ secret, epoch }), secondsLeft: TOTP_PERIOD_SECONDS - (epoch % TOTP_PERIOD_SECONDS) };
}
