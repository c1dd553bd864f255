import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { listAllowlist, parseAllowlistText, replaceAllowlist } from '../../domains/staff/ip-allowlist.service.ts';
import { requireStepUp } from '../../platform/http/auth-guard.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type FieldErrors, FormErrors, Notice, TextArea } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { inOperator, operatorFormBody, operatorFrame } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

function OperatorNetworkPage(props: OperatorPageFrame & { text: string; count: number; clientIp: string; errors?: FieldErrors; notice?: boolean }) {
  return (
    <OperatorLayout {...props} title="接続元制限" active="network">
      <Notice>{props.notice && '接続元の設定を保存しました。'}</Notice>
      <p class="lead">運営コンソールに入れるネットワークです。空にすると制限なし。ショップごとの制限は各ショップの管理者が設定します。</p>
      <p>
        現在: {props.count === 0 ? <span class="badge badge--warn">制限なし</span> : <span class="badge badge--ok">{props.count}件に限定</span>} / いまの接続元: <code>{props.clientIp}</code>
      </p>
      <form method="post" action="/operator/network" class="panel">
        <CsrfField token={props.csrfToken} />
        <FormErrors errors={props.errors} />
        <TextArea name="entries" label="許可するネットワーク(1行に1つ: CIDR と任意のメモ)" rows={8} values={{ entries: props.text }} errors={props.errors} hint="いまの接続元を含まない内容は保存できません。保存には再認証が必要です。" />
        <button type="submit">保存する</button>
      </form>
    </OperatorLayout>
  );
}

/** The operator's staff IP allowlist (tenant_id NULL); step-up to change; audited. */
export function operatorNetworkRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('network');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, form?: { text: string; errors: FieldErrors }) {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({ principal, entries: await listAllowlist(tx, null) }));
    const text = form?.text ?? data.entries.map((e) => `${e.cidr}${e.label ? ` ${e.label}` : ''}`).join('\n');
    return reply.page(
      <OperatorNetworkPage {...operatorFrame(platform, request, data.principal)} text={text} count={data.entries.length} clientIp={request.ip} errors={form?.errors} notice={(request.query as { done?: string }).done === '1'} />,
      { page: 'operator-network', status: form ? 400 : 200 },
    );
  }

  app.get('/operator/network', { config }, (request, reply) => render(request, reply));
  app.post('/operator/network', { config }, async (request, reply) => {
    const body = operatorFormBody(request);
    try {
      await inOperator(platform, request, roles, async ({ tx, principal, actor }) => {
        requireStepUp(principal, '/operator/network');
        await replaceAllowlist(tx, actor, null, parseAllowlistText(body.entries ?? ''), request.ip);
      });
      return reply.redirect('/operator/network?done=1', 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { text: body.entries ?? '', errors: { ...err.fieldErrors } });
      throw err;
    }
  });
}
