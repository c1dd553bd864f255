import { registerVerificationReminderJob } from '../domains/accounts/verification-reminder.job.ts';
import { runAuditAnchoring, startAuditAnchoring } from '../domains/audit/audit-anchor.job.ts';
import { anchorDirFromConfig } from '../domains/audit/audit-anchor.ts';
import { loadAuditSigningKey } from '../domains/audit/audit-anchor-key.ts';
import { registerBankTransferExpiryJob } from '../domains/orders/bank-transfer.ts';
import { registerPageViewPartitionJob } from '../domains/page-views/page-view-partitions.job.ts';
import { startPaymentJobs } from '../domains/payments/payment-reconcile.job.ts';
import { registerMonthlyStatementJob } from '../domains/receivables/statement.job.ts';
import { configureSecurity, startSecurityJobs } from '../domains/security/security.jobs.ts';
import { setSettingsChangeWalkRequester } from '../domains/security/settings-change.events.ts';
import { requestMonitorWalk, startBrowserMonitor } from '../monitor/browser-monitor.job.ts';
import { registerRetentionPurgeJob } from '../platform/backup/retention-purge.job.ts';
import { SecretBox } from '../platform/crypto/secret-box.ts';
import type { Platform } from '../platform/http/platform.ts';
import { type JobQueue, startJobQueue } from '../platform/jobs/job-queue.ts';
import { startOutboxWorker } from '../platform/jobs/outbox.ts';
import { registerMailHandler } from '../platform/mail/mail.ts';
import { createMailTransport } from '../platform/mail/mail-transport.ts';

/**
 * The composition root of background work, as src/web/routes.ts is for the web: every job and
 * schedule this process runs. Any number of processes may run them; pg-boss hands each job (and
 * each cron tick) to one. JOBS_ENABLED=false keeps a process web-only.
 */
export interface BackgroundWork {
  queue: JobQueue | null;
  stop(): Promise<void>;
}

export async function startBackgroundWork(platform: Platform): Promise<BackgroundWork> {
  const { config, database, log } = platform;
  // Handlers are registered in every process: a web-only process still enqueues.
  registerMailHandler(createMailTransport({ SMTP_URL: config.SMTP_URL, MAIL_FROM: config.MAIL_FROM }));
  configureSecurity(platform);
  const anchoring = { database, log, signingKey: loadAuditSigningKey(config), anchorDir: anchorDirFromConfig(config) };
  if (!config.JOBS_ENABLED) {
    // A web-only process still anchors the audit heads it finds at boot.
    await runAuditAnchoring(anchoring);
    return { queue: null, stop: async () => undefined };
  }
  const queue = await startJobQueue({ database, log });
  await startOutboxWorker(queue, database, log);
  await startAuditAnchoring(queue, anchoring);
  await startSecurityJobs(queue, platform);
  await registerBankTransferExpiryJob(queue, database, log);
  await registerMonthlyStatementJob(queue, database, log, config.dataDir);
  await startPaymentJobs(queue, { database, box: new SecretBox(platform.secrets), log });
  await registerVerificationReminderJob(queue, database, log, `${config.baseOrigin}/account/profile`);
  await registerRetentionPurgeJob(queue, database, log);
  await registerPageViewPartitionJob(queue, database, log);
  await startBrowserMonitor(queue, { database, log, config });
  // A security-relevant setting change has the monitor walk that shop now (settings-change.events.ts).
  setSettingsChangeWalkRequester((tenantId, reason) => requestMonitorWalk(queue, tenantId, reason));
  return { queue, stop: () => queue.stop() };
}
