import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { approvedHashes, decideScriptApproval, requestScriptApproval, scriptApprovalHistory } from '../../../domains/monitor/script-approvals.service.ts';
import { isProtectedPage, PROTECTED_PAGE_IDS } from '../../../domains/security/protected-pages.ts';
import { DomainError, ValidationError } from '../../../domains/shared/domain-error.ts';
import { auditByStaff } from '../../../domains/staff/staff-actor.ts';
import { OPERATOR_ROLES, requireStepUp } from '../../../platform/http/auth-guard.ts';
import { parseInput } from '../../../platform/http/input.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { EVERY_PROTECTED_PAGE, SCRIPT_INVENTORY } from '../../../platform/http/script-inventory.ts';
import { inOperator, operatorFormBody, operatorFrame, UUID } from '../operator-guard.ts';
import { ScriptInventoryPage } from './script-inventory.view.tsx';

const requestSchema = z.object({
  scriptId: z.string().refine((id) => SCRIPT_INVENTORY.some((s) => s.id === id), 'スクリプトを選んでください。'),
  changeReason: z.string().trim().min(1, '変更の理由を入力してください。').max(1000, '理由は1000文字以内で入力してください。'),
});
const decisionSchema = z.object({ decision: z.enum(['approve', 'reject'], { message: '承認か却下を選んでください。' }), note: z.string().trim().max(500, 'メモは500文字以内で入力してください。').default('') });

const DONE: Record<string, string> = { requested: '承認を依頼しました。別のスタッフが承認します。', approved: '承認を記録しました。', rejected: '却下を記録しました。' };

/** /operator/inventory: the script inventory as 6.4.3 evidence, and its two-person approvals. */
export function operatorInventoryRoutes(app: FastifyInstance, platform: Platform) {
  const roles = OPERATOR_ROLES;
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, error?: string) {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({ principal, approved: await approvedHashes(tx), history: await scriptApprovalHistory(tx) }));
    const pageIds = [...new Set([...PROTECTED_PAGE_IDS, ...SCRIPT_INVENTORY.flatMap((s) => s.pages).filter(isProtectedPage)])].sort();
    const done = (request.query as { done?: string }).done;
    return reply.page(
      <ScriptInventoryPage
        {...operatorFrame(platform, request, data.principal)}
        scripts={SCRIPT_INVENTORY.map((s) => ({ ...s, approved: data.approved.has(`${s.id}|${s.sha384}`) }))}
        pages={pageIds.map((page) => ({ page, scripts: SCRIPT_INVENTORY.filter((s) => s.pages.includes(page) || s.pages.includes(EVERY_PROTECTED_PAGE)) }))}
        history={data.history}
        currentUserId={data.principal.userId}
        notice={done ? DONE[done] : undefined}
        error={error}
      />,
      { page: 'operator-inventory', status: error ? 400 : 200 },
    );
  }

  app.get('/operator/inventory', { config }, (request, reply) => render(request, reply));

  async function act(request: FastifyRequest, reply: FastifyReply, done: string, fn: Parameters<typeof inOperator<void>>[3]) {
    try {
      await inOperator(platform, request, roles, fn);
      return reply.redirect(`/operator/inventory?done=${done}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, Object.values(err.fieldErrors)[0] ?? err.message);
      if (err instanceof DomainError && err.code !== 'not_found') return render(request, reply, err.message);
      throw err;
    }
  }

  app.post('/operator/inventory/requests', { config }, (request, reply) =>
    act(request, reply, 'requested', async ({ tx, principal, actor }) => {
      const input = parseInput(requestSchema, operatorFormBody(request));
      const script = SCRIPT_INVENTORY.find((s) => s.id === input.scriptId)!;
      // The request is for the hash the code inventory ships now: the evidence is about what runs.
      const { id } = await requestScriptApproval(tx, { scriptId: script.id, sha384: script.sha384, file: script.file, purpose: script.purpose, owner: script.owner, pages: script.pages, changeReason: input.changeReason, requesterId: principal.userId });
      await auditByStaff(tx, actor, { action: 'inventory.approval.request', resourceType: 'script', resourceId: script.id, result: 'success', reason: input.changeReason, detail: { approvalId: id, sha384: script.sha384 } });
    }),
  );

  app.post('/operator/inventory/requests/:id/decide', { config }, (request, reply) => {
    const decision = operatorFormBody(request).decision === 'reject' ? 'rejected' : 'approved';
    return act(request, reply, decision, async ({ tx, principal, actor }) => {
      requireStepUp(principal, '/operator/inventory');
      const approvalId = (request.params as { id: string }).id;
      if (!UUID.test(approvalId)) throw new ValidationError({ id: '指定が正しくありません。' });
      const input = parseInput(decisionSchema, operatorFormBody(request));
      const result = await decideScriptApproval(tx, { approvalId, decider: { id: principal.userId, steppedUpAt: principal.stepUpAt }, approve: input.decision === 'approve', note: input.note });
      await auditByStaff(tx, actor, { action: `inventory.approval.${input.decision}`, resourceType: 'script', resourceId: result.scriptId, result: 'success', reason: input.note || undefined, detail: { approvalId, sha384: result.sha384 } });
    });
  });
}
