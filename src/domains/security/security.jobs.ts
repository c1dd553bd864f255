import type { Logger } from 'pino';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { engageCardKillSwitch } from '../payments/card-kill-switch.service.ts';
import { providerHostPolicy } from '../payments/provider-hosts.ts';
import { registerSecurityWebhookHandler, runSecurityEscalation } from './security-alerts.service.ts';
import { configureSecurityEvents } from './security-events.service.ts';
import { registerSettingsChangeHandler } from './settings-change.events.ts';
import { checkVerifierHeartbeat } from './verifier-heartbeat.service.ts';

export const SECURITY_ESCALATION_QUEUE = 'security-escalation';
export const VERIFIER_WATCH_QUEUE = 'security-verifier-watch';

interface SecurityJobContext {
  config: Pick<Config, 'APP_ENV' | 'SECURITY_WEBHOOK_URL' | 'VERIFIER_INTERVAL_SECONDS' | 'EGRESS_ALLOW_HOSTS'>;
  database: Database;
  log: Logger;
}

/**
 * Security wiring every process needs (the kill switch and webhook behind raiseSecurityEvent, the
 * outbox handlers of the webhook and of security-relevant setting changes), and, with a job queue,
 * the two schedules: alert escalation and the verifier's dead-man's switch, each once a minute
 * across all processes.
 */
export function configureSecurity(ctx: SecurityJobContext): () => void {
  const webhookUrl = ctx.config.SECURITY_WEBHOOK_URL ?? null;
  configureSecurityEvents({ engageCardKillSwitch, webhookUrl });
  const unregister = [registerSecurityWebhookHandler(), registerSettingsChangeHandler(providerHostPolicy(ctx.config))];
  return () => {
    for (const fn of unregister) fn();
  };
}

export async function startSecurityJobs(queue: JobQueue, ctx: SecurityJobContext, since = new Date()): Promise<void> {
  const webhookUrl = ctx.config.SECURITY_WEBHOOK_URL ?? null;
  await queue.work(SECURITY_ESCALATION_QUEUE, async () => {
    const result = await runSecurityEscalation(ctx.database, { webhookUrl });
    if (result.resent || result.escalated) ctx.log.warn({ event: 'security.alerts_repeated', ...result }, 'unacknowledged security events: alerts repeated');
  }, { retryLimit: 1, expireInSeconds: 120 });
  await queue.schedule(SECURITY_ESCALATION_QUEUE, '* * * * *', {});
  await queue.work(VERIFIER_WATCH_QUEUE, async () => {
    await checkVerifierHeartbeat(ctx.database, {
      intervalSeconds: ctx.config.VERIFIER_INTERVAL_SECONDS,
      since,
      neverSeenSeverity: ctx.config.APP_ENV === 'production' ? 'critical' : 'warning',
    });
  }, { retryLimit: 1, expireInSeconds: 120 });
  await queue.schedule(VERIFIER_WATCH_QUEUE, '* * * * *', {});
}
