import { sql } from 'kysely';
import { withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { hitRateLimit } from '../../platform/http/rate-limit.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { RateLimitedError } from '../shared/domain-error.ts';
import type { PaymentDeps } from './card-payment.service.ts';

/**
 * Card testing (fraudsters checking stolen numbers through a shop's checkout) shows up as many
 * payment starts and many declines in a short time. Starts are throttled per member user, per
 * client address and per shop, in the database so every process counts together; a burst of
 * declines in one shop raises a critical alert (log, audit row, mail to the operator's security
 * staff) at most once per window.
 */

export const CARD_START_LIMITS = {
  perUser: { limit: 10, windowSeconds: 600 },
  perIp: { limit: 20, windowSeconds: 600 },
  perShop: { limit: 300, windowSeconds: 600 },
} as const;

export const DECLINE_VELOCITY = { failures: 8, windowMinutes: 10 } as const;

export async function throttleCardStart(deps: Pick<PaymentDeps, 'database' | 'log'>, input: { tenantId: string; userId: string; clientIp: string }): Promise<void> {
  const buckets: [string, { limit: number; windowSeconds: number }][] = [
    [`card-start:user:${input.userId}`, CARD_START_LIMITS.perUser],
    [`card-start:ip:${input.clientIp}`, CARD_START_LIMITS.perIp],
    [`card-start:shop:${input.tenantId}`, CARD_START_LIMITS.perShop],
  ];
  // The three counters in one short transaction, in order, stopping at the first refusal; it
  // commits before the refusal is thrown (a rolled-back hit would limit nothing).
  const refused = await withPlatform(deps.database, async (tx) => {
    for (const [bucket, rule] of buckets) {
      const hit = await hitRateLimit(tx, bucket, rule.limit, rule.windowSeconds);
      if (!hit.allowed) return { scope: bucket.split(':')[1], retryAfter: hit.retryAfter };
    }
    return null;
  });
  if (refused) {
    await raiseCardTestingAlert(deps, input.tenantId, `カード決済の開始回数が上限を超えました（${refused.scope}）`, { bucket: refused.scope, clientIp: input.clientIp, userId: input.userId });
    throw new RateLimitedError(refused.retryAfter, 'カード決済のお試し回数が多すぎます。しばらくしてからもう一度お試しください。');
  }
}

/** After a declined or failed card attempt: count the shop's recent failures and alert on a burst. */
export async function noteFailedCardAttempt(deps: Pick<PaymentDeps, 'database' | 'log'>, tenantId: string): Promise<void> {
  const failures = await withTenant(deps.database, tenantId, async (tx) => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM payments
       WHERE tenant_id = ${tenantId}::uuid AND method = 'card' AND status = 'failed'
         AND updated_at > now() - make_interval(mins => ${DECLINE_VELOCITY.windowMinutes})`.execute(tx);
    return rows[0]?.n ?? 0;
  });
  if (failures >= DECLINE_VELOCITY.failures) {
    await raiseCardTestingAlert(deps, tenantId, `${DECLINE_VELOCITY.windowMinutes}分間にカード決済の失敗が${failures}件ありました`, { failures });
  }
}

/** One alert per shop per window, whichever process notices first. */
export async function raiseCardTestingAlert(deps: Pick<PaymentDeps, 'database' | 'log'>, tenantId: string, summary: string, evidence: Record<string, unknown>): Promise<boolean> {
  const first = await withPlatform(deps.database, (tx) => hitRateLimit(tx, `card-testing-alert:${tenantId}`, 1, DECLINE_VELOCITY.windowMinutes * 60));
  if (!first.allowed) return false;
  deps.log.fatal({ event: 'security.card_testing_suspected', severity: 'critical', tenantId, summary, evidence }, 'card testing suspected');
  const shop = await withTenant(deps.database, tenantId, async (tx) => {
    await appendAudit(tx, {
      actorType: 'system',
      actorLabel: 'card-testing-guard',
      action: 'security.card_testing_suspected',
      resourceType: 'shop',
      resourceId: tenantId,
      result: 'failure',
      reason: summary,
      detail: evidence,
    });
    return tx.selectFrom('tenants').select(['slug', 'display_name']).where('id', '=', tenantId).executeTakeFirst();
  });
  await withIdentity(deps.database, { audience: 'operator' }, async (tx) => {
    const officers = await tx
      .selectFrom('staff_users')
      .select('email')
      .where('tenant_id', 'is', null)
      .where('role', 'in', ['security_officer', 'platform_admin'])
      .where('status', '=', 'active')
      .execute();
    for (const officer of officers) {
      await queueMail(tx, {
        tenantId: null,
        to: officer.email,
        subject: `【重要】カード不正利用（カードテスティング）の疑い: ${shop?.display_name ?? tenantId}`,
        text: `${summary}\n\nショップ: ${shop?.display_name ?? ''} (${shop?.slug ?? tenantId})\n必要に応じて運営コンソールの「カード決済停止」から、このショップのカード決済を停止してください。\n`,
      });
    }
  });
  return true;
}

