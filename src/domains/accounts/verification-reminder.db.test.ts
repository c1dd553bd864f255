import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import { runVerificationReminders } from './verification-reminder.job.ts';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function salon(label: string, expires: string): Promise<string> {
  const accountId = crypto.randomUUID();
  await withIdentity(database, { accountId, audience: 'salon' }, async (tx) => {
    await tx
      .insertInto('salon_accounts')
      .values({ id: accountId, business_type: 'corporation', company_name: label, salon_name: `サロン${label}`, representative_name: '代表', postal_code: '1500001', prefecture: '東京都', city: '渋谷区', address_line1: '1-1', phone: '0312345678', verification_status: 'verified', verification_expires_at: expires })
      .execute();
    await tx.insertInto('salon_users').values({ account_id: accountId, email: `${label}@reminder.example`, display_name: label, role: 'owner' }).execute();
  });
  return accountId;
}

describe('verification reminder job', () => {
  it('reminds owners once inside the window, and expires what is past its date', async () => {
    const today = new Date('2025-06-01T00:00:00+09:00');
    const soon = await salon('soon', '2025-06-20');
    await salon('later', '2025-09-01');
    const past = await salon('past', '2025-05-31');
    expect(await runVerificationReminders(database, { today, profileUrl: 'http://localhost:3000/account/profile' })).toEqual({ reminded: 1, expired: 1 });
    // A second run the same day (or on another process) sends nothing again.
    expect(await runVerificationReminders(database, { today, profileUrl: 'x' })).toEqual({ reminded: 0, expired: 0 });
    const mails = await withPlatform(database, (tx) => tx.selectFrom('outbox').select('payload').where('kind', '=', 'mail.send').execute());
    const to = mails.map((m) => (m.payload as { to: string }).to).sort();
    expect(to).toEqual(['past@reminder.example', 'soon@reminder.example']);
    const status = await withIdentity(database, { audience: 'operator' }, (tx) => tx.selectFrom('salon_accounts').select(['id', 'verification_status']).where('id', 'in', [soon, past]).execute());
    expect(Object.fromEntries(status.map((s) => [s.id, s.verification_status]))).toEqual({ [soon]: 'verified', [past]: 'expired' });
  });
});
