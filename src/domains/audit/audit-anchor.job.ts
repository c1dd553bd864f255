import type { Logger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import { type AnchorRunResult, anchorAuditHeads } from './audit-anchor.ts';
import type { AuditSigningKey } from './audit-anchor-key.ts';

export const AUDIT_ANCHOR_QUEUE = 'audit-anchor';
/** Every five minutes: the window in which a rewritten chain could go unanchored. */
export const AUDIT_ANCHOR_CRON = '*/5 * * * *';

export interface AuditAnchoringContext {
  database: Database;
  log: Logger;
  signingKey: AuditSigningKey;
  anchorDir: string;
}

/** One anchoring pass, logged; a chain that no longer matches its anchor is a security event. */
export async function runAuditAnchoring(ctx: AuditAnchoringContext): Promise<AnchorRunResult> {
  const result = await anchorAuditHeads(ctx.database, { signingKey: ctx.signingKey, anchorDir: ctx.anchorDir });
  for (const mismatch of result.mismatches) {
    ctx.log.fatal({ event: 'security.audit_anchor_mismatch', chain: mismatch.chain, reason: mismatch.reason }, 'audit chain no longer matches its signed anchor');
  }
  if (result.anchored.length) ctx.log.info({ anchored: result.anchored.map((a) => `${a.chain}@${a.seq}`) }, 'audit heads anchored');
  return result;
}

/**
 * Anchors once now (boot), then every few minutes through the job queue. pg-boss runs a cron
 * once across all processes, so several web processes do not multiply the anchors.
 */
export async function startAuditAnchoring(queue: JobQueue, ctx: AuditAnchoringContext, cron = AUDIT_ANCHOR_CRON): Promise<AnchorRunResult> {
  const atBoot = await runAuditAnchoring(ctx);
  await queue.work(AUDIT_ANCHOR_QUEUE, async () => {
    await runAuditAnchoring(ctx);
  }, { retryLimit: 2, retryDelay: 30, expireInSeconds: 120 });
  await queue.schedule(AUDIT_ANCHOR_QUEUE, cron, {});
  return atBoot;
}
