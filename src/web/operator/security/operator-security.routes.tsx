import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { acknowledgeSecurityEvent, getSecurityEvent, listSecurityEvents } from '../../../domains/security/security-event-review.service.ts';
import { listVerifierStatus } from '../../../domains/security/verifier-heartbeat.service.ts';
import { NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import { monitorUnavailableReason } from '../../../monitor/browser-monitor.job.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';
import { parseInput } from '../../../platform/http/input.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import type { FieldErrors } from '../../../platform/views/console-form.tsx';
import { inOperator, operatorFormBody, operatorFrame, UUID } from '../operator-guard.ts';
import { operatorNavRoles } from '../operator-nav.ts';
import { loadDetectionState } from './detection-state.data.ts';
import { SecurityDashboardPage, SecurityEventPage, type ShopCardState } from './operator-security.view.tsx';

const acknowledgeSchema = z.object({ note: z.string().trim().min(1, '確認内容を入力してください。').max(1000, '1000文字以内で入力してください。') });

/** Card kill-switch state of every shop and the platform-wide switch (operator audience reads them all). */
async function cardStates(tx: Tx): Promise<ShopCardState[]> {
  const shops = await tx.selectFrom('tenants').select(['id', 'display_name']).orderBy('sort_order').orderBy('display_name').execute();
  const switches = await tx.selectFrom('card_kill_switches').select(['tenant_id', 'engaged', 'automatic', 'reason', 'changed_at']).execute();
  const open = await tx
    .selectFrom('security_events')
    .select(['tenant_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('acknowledged_at', 'is', null)
    .groupBy('tenant_id')
    .execute();
  const state = (id: string | null, name: string): ShopCardState => {
    const s = switches.find((w) => w.tenant_id === id);
    return {
      id,
      name,
      engaged: Boolean(s?.engaged),
      automatic: Boolean(s?.automatic),
      reason: s?.engaged ? s.reason : '',
      changedAt: s?.engaged ? new Date(s.changed_at) : null,
      openEvents: Number(open.find((o) => o.tenant_id === id)?.n ?? 0),
    };
  };
  return [state(null, '全ショップ（プラットフォーム）'), ...shops.map((s) => state(s.id, s.display_name))];
}

/** セキュリティ: events (with evidence), acknowledgement (audited), card stop state, verifier status. */
export function operatorSecurityRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('security');
  const config = { staffRoles: roles };

  app.get('/operator/security', { config }, async (request, reply) => {
    const status = (request.query as { status?: string }).status === 'all' ? 'all' : 'open';
    const { config: c } = platform;
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => {
      const verifiers = await listVerifierStatus(tx);
      return {
        principal,
        events: await listSecurityEvents(tx, { status, limit: 200 }),
        shops: await cardStates(tx),
        verifiers,
        detection: await loadDetectionState(tx, {
          monitorIntervalMinutes: c.MONITOR_INTERVAL_MINUTES,
          verifierIntervalSeconds: c.VERIFIER_INTERVAL_SECONDS,
          monitorUnavailable: monitorUnavailableReason(c),
          verifiers,
        }),
      };
    });
    const acknowledged = (request.query as { acknowledged?: string }).acknowledged === '1';
    return reply.page(
      <SecurityDashboardPage
        {...operatorFrame(platform, request, data.principal)}
        status={status}
        events={data.events}
        shops={data.shops}
        verifiers={data.verifiers}
        detection={data.detection}
        notice={acknowledged ? 'イベントを確認済みにしました。' : undefined}
      />,
      { page: 'operator-security' },
    );
  });

  async function renderEvent(request: FastifyRequest, reply: FastifyReply, id: string, form?: { values: Record<string, string>; errors: FieldErrors }) {
    if (!UUID.test(id)) throw new NotFoundError('セキュリティイベントが見つかりません。');
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({ principal, event: await getSecurityEvent(tx, id) }));
    if (!data.event) throw new NotFoundError('セキュリティイベントが見つかりません。');
    return reply.page(<SecurityEventPage {...operatorFrame(platform, request, data.principal)} event={data.event} form={form} />, {
      page: 'operator-security-event',
      status: form ? 400 : 200,
    });
  }

  app.get('/operator/security/events/:id', { config }, (request, reply) => renderEvent(request, reply, (request.params as { id: string }).id));

  app.post('/operator/security/events/:id/acknowledge', { config }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    if (!UUID.test(id)) throw new NotFoundError('セキュリティイベントが見つかりません。');
    const body = operatorFormBody(request);
    try {
      await inOperator(platform, request, roles, async ({ tx, actor }) => {
        const input = parseInput(acknowledgeSchema, body);
        await acknowledgeSecurityEvent(tx, actor, id, input.note);
      });
    } catch (err) {
      if (err instanceof ValidationError) return renderEvent(request, reply, id, { values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
    return reply.redirect('/operator/security?acknowledged=1', 303);
  });
}
