import type { Logger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import { unsafeAcrossTenants } from '../operator/across-tenants.ts';
import { attachStatementPdf, closeStatement } from './statement.service.ts';

/**
 * Daily after midnight JST: every invoice-terms member whose period closed gets its statement
 * (idempotent by account and period end), then every statement still without a PDF gets one
 * and its mail. No transaction is open while a PDF is drawn.
 */

export const MONTHLY_STATEMENT_JOB = 'receivables.monthly-statements';
/** 00:30 JST: the closing day's purchases are all in. */
export const MONTHLY_STATEMENT_CRON = '30 15 * * *';

export interface StatementRun {
  created: number;
  documents: number;
}

export async function runMonthlyStatements(database: Database, options: { dataDir: string; now?: Date }): Promise<StatementRun> {
  const now = options.now ?? new Date();
  const today = jstDateTime(now).date;
  const pending = await unsafeAcrossTenants(
    database,
    { actor: { type: 'system', label: MONTHLY_STATEMENT_JOB }, reason: '掛け払い会員の締め請求書の作成', tenantIds: 'all' },
    async (tenantId, tx) => {
      const members = await tx
        .selectFrom('memberships')
        .select(['id', 'account_id', 'closing_day', 'payment_month_offset', 'payment_day'])
        .where('tenant_id', '=', tenantId)
        .where('invoice_terms_enabled', '=', true)
        .execute();
      let created = 0;
      for (const m of members) {
        const before = await tx.selectFrom('statements').select('id').where('tenant_id', '=', tenantId).where('account_id', '=', m.account_id).execute();
        const statement = await closeStatement(tx, tenantId, m, today);
        if (statement && !before.some((b) => b.id === statement.id)) created++;
      }
      const missing = await tx.selectFrom('statements').select('id').where('tenant_id', '=', tenantId).where('document_id', 'is', null).execute();
      return { created, missing: missing.map((s) => s.id) };
    },
  );
  const run: StatementRun = { created: 0, documents: 0 };
  for (const [tenantId, result] of pending) {
    run.created += result.created;
    for (const statementId of result.missing) {
      const attached = await attachStatementPdf({ inScope: (fn) => withTenant(database, tenantId, fn), dataDir: options.dataDir, now }, tenantId, statementId);
      if (attached) run.documents++;
    }
  }
  return run;
}

export async function registerMonthlyStatementJob(queue: JobQueue, database: Database, log: Logger, dataDir: string): Promise<void> {
  await queue.work(MONTHLY_STATEMENT_JOB, async () => {
    const run = await runMonthlyStatements(database, { dataDir });
    log.info({ job: MONTHLY_STATEMENT_JOB, ...run }, 'monthly statements closed');
  });
  await queue.schedule(MONTHLY_STATEMENT_JOB, MONTHLY_STATEMENT_CRON, {}, { tz: 'UTC' });
}
