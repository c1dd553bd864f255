import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type KillSwitchActor, setCardKillSwitch } from '../../../domains/payments/card-kill-switch.service.ts';
import { ValidationError } from '../../../domains/shared/domain-error.ts';
import { type Tx, withIdentity } from '../../../platform/db/tenant-scope.ts';
import { requireStepUp } from '../../../platform/http/auth-guard.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inOperator, operatorFormBody, operatorFrame, UUID } from '../operator-guard.ts';
import { operatorNavRoles } from '../operator-nav.ts';
import { loadKillSwitchBoard } from './kill-switch.read.ts';
import { KILL_SWITCH_NOTICES, type KillSwitchForm, KillSwitchPage } from './kill-switch.view.tsx';

const PAGE = '/operator/kill-switch';

/**
 * カード停止 (platform admins, security officers): every shop's card switch and the platform-wide
 * one. Engaging needs nothing more than the role (stop first, ask later); releasing needs step-up,
 * and releasing an automatic stop is recorded as this operator's approval. A shop's switch is
 * changed in that shop's own scope so the change lands in the shop's audit chain.
 */
export function operatorKillSwitchRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('kill-switch');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, form?: KillSwitchForm) {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({ principal, board: await loadKillSwitchBoard(tx) }));
    const done = (request.query as { done?: string }).done;
    return reply.page(
      <KillSwitchPage {...operatorFrame(platform, request, data.principal)} board={data.board} notice={!form && done && KILL_SWITCH_NOTICES[done] ? done : undefined} form={form} />,
      { page: 'operator-kill-switch', status: form ? 400 : 200 },
    );
  }

  /** Runs the change in the right scope: the platform's (operator session) for 'all', the shop's otherwise. */
  async function change(request: FastifyRequest, target: string, stepUp: boolean, fn: (tx: Tx, tenantId: string | null, actor: KillSwitchActor) => Promise<string>): Promise<string> {
    if (target !== 'all' && !UUID.test(target)) throw new ValidationError({ target: '対象を選んでください。' });
    const tenantId = target === 'all' ? null : target;
    const authorised = await inOperator(platform, request, roles, async ({ tx, principal }) => {
      if (stepUp) requireStepUp(principal, PAGE);
      const actor: KillSwitchActor = { type: 'operator', id: principal.userId, label: `${principal.displayName} <${principal.email}>`, sourceIp: request.ip, requestId: String(request.id) };
      if (tenantId === null) return { kind: 'done' as const, done: await fn(tx, null, actor) };
      const exists = await tx.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
      if (!exists) throw new ValidationError({ target: '対象のショップが見つかりません。' });
      return { kind: 'shop' as const, actor };
    });
    if (authorised.kind === 'done') return authorised.done;
    const { actor } = authorised;
    return withIdentity(platform.database, { tenantId, principalId: actor.id, audience: 'operator' }, (tx) => fn(tx, tenantId, actor));
  }

  app.get(PAGE, { config }, (request, reply) => render(request, reply));

  app.post(`${PAGE}/engage`, { config }, async (request, reply) => {
    const body = operatorFormBody(request);
    try {
      const done = await change(request, body.target ?? '', false, async (tx, tenantId, actor) => {
        await setCardKillSwitch(tx, { tenantId, engaged: true, reason: body.reason ?? '', actor });
        return 'stopped';
      });
      return reply.redirect(`${PAGE}?done=${done}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { kind: 'engage', values: { target: body.target, reason: body.reason }, errors: { ...err.fieldErrors } });
      throw err;
    }
  });

  app.post(`${PAGE}/:target/release`, { config }, async (request, reply) => {
    const { target } = request.params as { target: string };
    const body = operatorFormBody(request);
    try {
      const done = await change(request, target, true, async (tx, tenantId, actor) => {
        const current = await tx
          .selectFrom('card_kill_switches')
          .select(['engaged', 'automatic'])
          .where((eb) => (tenantId ? eb('tenant_id', '=', tenantId) : eb('tenant_id', 'is', null)))
          .executeTakeFirst();
        await setCardKillSwitch(tx, { tenantId, engaged: false, reason: body.reason ?? '', actor });
        return current?.engaged && current.automatic ? 'approved' : 'resumed';
      });
      return reply.redirect(`${PAGE}?done=${done}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { kind: 'release', target, values: { reason: body.reason }, errors: { ...err.fieldErrors } });
      throw err;
    }
  });
}
