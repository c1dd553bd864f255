import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withIdentity } from '../../platform/db/tenant-scope.ts';
import { enqueueOutbox, type OutboxHandler, registerOutboxHandler } from '../../platform/jobs/outbox.ts';
import { queueMail } from '../../platform/mail/mail.ts';

/**
 * Alerts for critical events: the security officers and the shop's admins by mail, and the
 * SECURITY_WEBHOOK_URL if configured. Re-sent every few minutes until someone acknowledges the
 * event; after a few unanswered rounds the platform admins are added (escalation).
 *
 * Every alert is queued on the platform's outbox (tenant_id NULL) from an operator-audience
 * transaction: the platform is the sender, and the mail log of the operator console shows every
 * alert that went out, whichever shop it concerns.
 */

export const SECURITY_WEBHOOK = 'security.webhook';

export const ESCALATION_DEFAULTS = { resendAfterMinutes: 10, escalateAfterRounds: 3 } as const;

interface EventForAlert {
  id: string;
  tenant_id: string | null;
  layer: string;
  severity: string;
  kind: string;
  page: string;
  summary: string;
  first_seen_at: Date;
  occurrences: number;
  contained_at: Date | null;
  containment_scope: string | null;
  shop_name: string | null;
}

async function loadEvent(tx: Tx, eventId: string): Promise<EventForAlert | undefined> {
  return tx
    .selectFrom('security_events as e')
    .leftJoin('tenants as t', 't.id', 'e.tenant_id')
    .select([
      'e.id',
      'e.tenant_id',
      'e.layer',
      'e.severity',
      'e.kind',
      'e.page',
      'e.summary',
      'e.first_seen_at',
      'e.occurrences',
      'e.contained_at',
      'e.containment_scope',
      't.display_name as shop_name',
    ])
    .where('e.id', '=', eventId)
    .executeTakeFirst();
}

async function recipients(tx: Tx, tenantId: string | null, level: 0 | 1): Promise<string[]> {
  const roles = level === 0 ? ['security_officer', 'shop_admin'] : ['platform_admin'];
  const rows = await tx
    .selectFrom('staff_users')
    .select('email')
    .where('status', '=', 'active')
    .where('role', 'in', roles as never)
    .where((eb) => (level === 0 ? eb.or([eb('tenant_id', 'is', null), tenantId ? eb('tenant_id', '=', tenantId) : eb.lit(false)]) : eb('tenant_id', 'is', null)))
    .orderBy('email')
    .execute();
  return [...new Set(rows.map((r) => String(r.email)))];
}

function mailFor(event: EventForAlert, round: number, level: 0 | 1) {
  const where = event.shop_name ? `ショップ「${event.shop_name}」` : 'プラットフォーム全体';
  const stop = event.contained_at
    ? `カード決済を自動停止しました（${event.containment_scope === 'all' ? '全ショップ' : 'このショップ'}）。銀行振込・代金引換は引き続き利用できます。`
    : 'カード決済の停止は行われていません。';
  const prefix = level === 1 ? '【エスカレーション】' : round > 1 ? `【再通知 ${round}回目】` : '';
  return {
    subject: `${prefix}【重大】セキュリティイベント: ${where}`.slice(0, 200),
    text: [
      `${where}で重大なセキュリティイベントを検知しました。`,
      '',
      `内容: ${event.summary}`,
      `検知レイヤー: ${event.layer} / ${event.kind}`,
      event.page ? `ページ: ${event.page}` : '',
      `初回検知: ${new Date(event.first_seen_at).toISOString()}（発生 ${event.occurrences} 回）`,
      stop,
      '',
      '運営コンソールの「セキュリティ」で証跡を確認し、確認済みにしてください。確認されるまでこの通知は繰り返し送信されます。',
      `/operator/security/events/${event.id}`,
    ]
      .filter((line, i, all) => line !== '' || all[i - 1] !== '')
      .join('\n'),
  };
}

function webhookPayload(event: EventForAlert, round: number, level: 0 | 1): Record<string, unknown> {
  return {
    type: 'security_event',
    eventId: event.id,
    tenantId: event.tenant_id,
    shop: event.shop_name,
    layer: event.layer,
    severity: event.severity,
    kind: event.kind,
    page: event.page,
    summary: event.summary,
    firstSeenAt: new Date(event.first_seen_at).toISOString(),
    occurrences: event.occurrences,
    containedAt: event.contained_at ? new Date(event.contained_at).toISOString() : null,
    containmentScope: event.containment_scope,
    round,
    escalated: level === 1,
  };
}

/** First round of alerts for one event; runs in an operator-audience platform transaction. Returns how many were queued. */
export async function queueSecurityAlerts(tx: Tx, input: { eventId: string; tenantId: string | null; webhookUrl: string | null }): Promise<number> {
  const event = await loadEvent(tx, input.eventId);
  if (!event) throw new Error(`security event ${input.eventId} not visible to the operator scope`);
  let queued = 0;
  for (const to of await recipients(tx, event.tenant_id, 0)) {
    await sendAlert(tx, event, { channel: 'email', recipient: to, level: 0, round: 1 });
    queued++;
  }
  if (input.webhookUrl) {
    await sendAlert(tx, event, { channel: 'webhook', recipient: input.webhookUrl, level: 0, round: 1 });
    queued++;
  }
  return queued;
}

async function sendAlert(tx: Tx, event: EventForAlert, alert: { channel: 'email' | 'webhook'; recipient: string; level: 0 | 1; round: number }) {
  if (alert.channel === 'email') {
    await queueMail(tx, { tenantId: null, to: alert.recipient, ...mailFor(event, alert.round, alert.level) });
  } else {
    await enqueueOutbox(tx, { kind: SECURITY_WEBHOOK, tenantId: null, payload: { url: alert.recipient, body: webhookPayload(event, alert.round, alert.level) } });
  }
  await tx
    .insertInto('security_alerts')
    .values({ tenant_id: event.tenant_id, event_id: event.id, channel: alert.channel, recipient: alert.recipient, level: alert.level, send_count: alert.round })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'event_id', 'channel', 'recipient']).doUpdateSet({ last_sent_at: sql`now()`, send_count: sql`security_alerts.send_count + 1` }),
    )
    .execute();
}

export interface EscalationResult {
  resent: number;
  escalated: number;
}

/**
 * The escalation job's pass: for every unacknowledged critical event whose alerts went out more
 * than `resendAfterMinutes` ago, send them again; once the first recipients have had
 * `escalateAfterRounds` rounds without an answer, add the platform admins.
 */
export async function runSecurityEscalation(
  database: Database,
  options: { webhookUrl: string | null; resendAfterMinutes?: number; escalateAfterRounds?: number; now?: Date } = { webhookUrl: null },
): Promise<EscalationResult> {
  const resendAfter = options.resendAfterMinutes ?? ESCALATION_DEFAULTS.resendAfterMinutes;
  const escalateAfter = options.escalateAfterRounds ?? ESCALATION_DEFAULTS.escalateAfterRounds;
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - resendAfter * 60_000);
  return withIdentity(database, { audience: 'operator' }, async (tx) => {
    const due = await tx
      .selectFrom('security_alerts as a')
      .innerJoin('security_events as e', 'e.id', 'a.event_id')
      .select(['a.event_id', (eb) => eb.fn.max('a.last_sent_at').as('last_sent'), (eb) => eb.fn.min('a.send_count').as('rounds')])
      .where('e.acknowledged_at', 'is', null)
      .where('a.acknowledged_at', 'is', null)
      .groupBy('a.event_id')
      .having((eb) => eb.fn.max('a.last_sent_at'), '<', cutoff)
      .execute();
    const result: EscalationResult = { resent: 0, escalated: 0 };
    for (const row of due) {
      const event = await loadEvent(tx, row.event_id);
      if (!event) continue;
      const alerts = await tx.selectFrom('security_alerts').selectAll().where('event_id', '=', row.event_id).where('acknowledged_at', 'is', null).execute();
      for (const alert of alerts) {
        await sendAlert(tx, event, { channel: alert.channel, recipient: alert.recipient, level: alert.level as 0 | 1, round: alert.send_count + 1 });
        result.resent++;
      }
      const levelZeroRounds = Math.min(...alerts.filter((a) => a.level === 0).map((a) => a.send_count + 1), Number.POSITIVE_INFINITY);
      const escalatedAlready = alerts.some((a) => a.level === 1);
      if (!escalatedAlready && levelZeroRounds >= escalateAfter) {
        for (const to of await recipients(tx, event.tenant_id, 1)) {
          if (alerts.some((a) => a.channel === 'email' && a.recipient === to)) continue;
          await sendAlert(tx, event, { channel: 'email', recipient: to, level: 1, round: 1 });
          result.escalated++;
        }
      }
    }
    return result;
  });
}

/** Delivers a queued webhook alert (at least once; the outbox id is the idempotency key). */
export function securityWebhookHandler(post: typeof fetch = (...args) => fetch(...args)): OutboxHandler {
  return async (item) => {
    const { url, body } = item.payload as { url: string; body: Record<string, unknown> };
    const response = await post(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': item.id, 'user-agent': 'Oroshi-Security/1' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`security webhook answered ${response.status}`);
  };
}

export function registerSecurityWebhookHandler(post?: typeof fetch): () => void {
  return registerOutboxHandler(SECURITY_WEBHOOK, securityWebhookHandler(post));
}
