import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity } from '../../platform/db/tenant-scope.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { isoDate } from './salon-profile.service.ts';

/**
 * Daily: salons whose verification expires within REMINDER_DAYS get one reminder mail (to their
 * active owners) per verification period; salons past their expiry are marked expired and told.
 * Salon accounts are not shop data, so the job reads them as the operator audience.
 */

export const VERIFICATION_REMINDER_JOB = 'accounts.verification-reminder';
/** 06:00 JST every day (pg-boss cron runs in UTC). */
export const VERIFICATION_REMINDER_CRON = '0 21 * * *';
export const REMINDER_DAYS = 30;

export interface ReminderRun {
  reminded: number;
  expired: number;
}

export async function runVerificationReminders(database: Database, options: { today?: Date; profileUrl: string }): Promise<ReminderRun> {
  const today = isoDate(options.today ?? new Date());
  return withIdentity(database, { audience: 'operator' }, async (tx) => {
    const expiring = await tx
      .updateTable('salon_accounts')
      .set({ verification_reminded_at: sql<Date>`now()` })
      .where('verification_status', '=', 'verified')
      .where('verification_expires_at', '>=', today)
      .where('verification_expires_at', '<=', sql<string>`(${today}::date + ${REMINDER_DAYS}::int)::date`)
      // Reminded once per period: a reminder sent before this period's window opened does not count.
      .where((eb) =>
        eb.or([
          eb('verification_reminded_at', 'is', null),
          eb('verification_reminded_at', '<', sql<Date>`(verification_expires_at - ${REMINDER_DAYS}::int - 1)::timestamptz`),
        ]),
      )
      .returning(['id', 'salon_name', 'verification_expires_at'])
      .execute();
    const expired = await tx
      .updateTable('salon_accounts')
      .set({ verification_status: 'expired' })
      .where('verification_status', '=', 'verified')
      .where('verification_expires_at', '<', today)
      .returning(['id', 'salon_name', 'verification_expires_at'])
      .execute();

    const mailOwners = async (accountId: string, subject: string, text: string) => {
      const owners = await tx.selectFrom('salon_users').select('email').where('account_id', '=', accountId).where('role', '=', 'owner').where('status', '=', 'active').where('is_synthetic', '=', false).execute();
      for (const owner of owners) await queueMail(tx, { tenantId: null, to: owner.email, subject, text });
    };
    for (const a of expiring) {
      await mailOwners(
        a.id,
        '【Oroshi】サロン情報の確認期限が近づいています',
        [
          `${a.salon_name} ご担当者様`,
          '',
          `サロン情報（美容所登録）の確認の有効期限は ${a.verification_expires_at} です。`,
          '期限を過ぎると、各ショップで会員限定の商品をご覧いただけなくなる場合があります。',
          '最新の確認書類をアップロードし、再確認を申し込んでください。',
          '',
          options.profileUrl,
        ].join('\n'),
      );
    }
    for (const a of expired) {
      await mailOwners(
        a.id,
        '【Oroshi】サロン情報の確認期限が切れました',
        [
          `${a.salon_name} ご担当者様`,
          '',
          `サロン情報（美容所登録）の確認の有効期限（${a.verification_expires_at}）が過ぎました。`,
          '最新の確認書類をアップロードし、再確認を申し込んでください。',
          '',
          options.profileUrl,
        ].join('\n'),
      );
    }
    return { reminded: expiring.length, expired: expired.length };
  });
}

/** Registers the daily schedule and its worker on the job queue (call once per process at boot). */
export async function registerVerificationReminderJob(queue: JobQueue, database: Database, log: Logger, profileUrl: string): Promise<void> {
  await queue.work(VERIFICATION_REMINDER_JOB, async () => {
    const run = await runVerificationReminders(database, { profileUrl });
    log.info({ job: VERIFICATION_REMINDER_JOB, ...run }, 'verification reminders');
  });
  await queue.schedule(VERIFICATION_REMINDER_JOB, VERIFICATION_REMINDER_CRON, {}, { tz: 'UTC' });
}
