import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { approveBaseline, proposeBaselineFromWalk, rejectBaseline, requestBaselineApproval } from '../../../domains/monitor/monitor-baselines.service.ts';
import { DomainError, ValidationError } from '../../../domains/shared/domain-error.ts';
import { auditByStaff } from '../../../domains/staff/staff-actor.ts';
import { monitorUnavailableReason } from '../../../monitor/browser-monitor.job.ts';
import { OPERATOR_ROLES, requireStepUp } from '../../../platform/http/auth-guard.ts';
import { parseInput } from '../../../platform/http/input.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inOperator, operatorFormBody, operatorFrame, UUID } from '../operator-guard.ts';
import { monitorWalkStats } from '../security/detection-state.data.ts';
import { loadMonitorDashboard } from './monitor-dashboard.data.ts';
import { MonitorDashboardPage } from './monitor-dashboard.view.tsx';

const reasonSchema = z.object({ reason: z.string().trim().min(1, '理由を入力してください。').max(500, '理由は500文字以内で入力してください。') });
const decisionSchema = z.object({ decision: z.enum(['approve', 'reject'], { message: '承認か却下を選んでください。' }), note: z.string().trim().max(500, 'メモは500文字以内で入力してください。').default('') });

const DONE: Record<string, string> = {
  requested: '承認を依頼しました。別のスタッフが承認します。',
  approved: '基準を承認しました。以後の巡回はこの基準と比較します。',
  rejected: '基準を却下しました。',
  proposed: '新しい基準を提案しました。別のスタッフの承認が必要です。',
};

/** /operator/monitor: the browser monitor's dashboard, baseline history and the two-person approval. */
export function operatorMonitorRoutes(app: FastifyInstance, platform: Platform) {
  const roles = OPERATOR_ROLES;
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, error?: string) {
    const interval = platform.config.MONITOR_INTERVAL_MINUTES;
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({ principal, dashboard: await loadMonitorDashboard(tx), walkStats: await monitorWalkStats(tx, interval) }));
    const done = (request.query as { done?: string }).done;
    return reply.page(
      <MonitorDashboardPage
        {...operatorFrame(platform, request, data.principal)}
        data={data.dashboard}
        unavailable={monitorUnavailableReason(platform.config)}
        protectionRequired={platform.config.PROTECTION_REQUIRED}
        intervalMinutes={interval}
        walkStats={data.walkStats}
        currentUserId={data.principal.userId}
        notice={done ? DONE[done] : undefined}
        error={error}
        now={new Date()}
      />,
      { page: 'operator-monitor', status: error ? 400 : 200 },
    );
  }

  app.get('/operator/monitor', { config }, (request, reply) => render(request, reply));

  /** Runs one staff action; domain refusals (same person, no step-up, already decided) re-render with the reason. */
  async function act(request: FastifyRequest, reply: FastifyReply, done: string, fn: Parameters<typeof inOperator<void>>[3]) {
    try {
      await inOperator(platform, request, roles, fn);
      return reply.redirect(`/operator/monitor?done=${done}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, Object.values(err.fieldErrors)[0] ?? err.message);
      if (err instanceof DomainError && err.code !== 'not_found') return render(request, reply, err.message);
      throw err;
    }
  }

  const idParam = (request: FastifyRequest) => {
    const id = (request.params as { id: string }).id;
    if (!UUID.test(id)) throw new ValidationError({ id: '指定が正しくありません。' });
    return id;
  };

  app.post('/operator/monitor/baselines/:id/request', { config }, (request, reply) =>
    act(request, reply, 'requested', async ({ tx, principal, actor }) => {
      const baselineId = idParam(request);
      const input = parseInput(reasonSchema, operatorFormBody(request));
      await requestBaselineApproval(tx, { baselineId, requesterId: principal.userId, reason: input.reason });
      await auditByStaff(tx, actor, { action: 'monitor.baseline.request', resourceType: 'monitor_baseline', resourceId: baselineId, result: 'success', reason: input.reason });
    }),
  );

  app.post('/operator/monitor/baselines/:id/decide', { config }, (request, reply) => {
    const decision = (operatorFormBody(request).decision === 'reject' ? 'rejected' : 'approved') as string;
    return act(request, reply, decision, async ({ tx, principal, actor }) => {
      requireStepUp(principal, '/operator/monitor');
      const baselineId = idParam(request);
      const input = parseInput(decisionSchema, operatorFormBody(request));
      const approver = { id: principal.userId, steppedUpAt: principal.stepUpAt };
      if (input.decision === 'approve') await approveBaseline(tx, { baselineId, approver, note: input.note });
      else await rejectBaseline(tx, { baselineId, approver, note: input.note });
      await auditByStaff(tx, actor, { action: `monitor.baseline.${input.decision}`, resourceType: 'monitor_baseline', resourceId: baselineId, result: 'success', reason: input.note || undefined });
    });
  });

  app.post('/operator/monitor/walks/:id/propose', { config }, (request, reply) =>
    act(request, reply, 'proposed', async ({ tx, principal, actor }) => {
      const walkId = idParam(request);
      const input = parseInput(reasonSchema, operatorFormBody(request));
      const proposed = await proposeBaselineFromWalk(tx, { walkId, requesterId: principal.userId, reason: input.reason });
      await auditByStaff(tx, actor, { action: 'monitor.baseline.propose', resourceType: 'monitor_baseline', resourceId: proposed.id, result: 'success', reason: input.reason, detail: { walkId } });
    }),
  );
}
