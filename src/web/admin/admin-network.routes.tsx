import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { listAllowlist, parseAllowlistText, replaceAllowlist } from '../../domains/staff/ip-allowlist.service.ts';
import { requireStepUp } from '../../platform/http/auth-guard.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type FieldErrors, FormErrors, Notice, TextArea } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { formBody, frameOf, inAdmin } from './admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';
import { navRoles } from './admin-nav.ts';

function NetworkPage(props: AdminPageFrame & { entriesText: string; count: number; clientIp: string; errors?: FieldErrors; notice?: boolean }) {
  return (
    <AdminLayout {...props} title="接続元制限" active="network">
      <Notice>{props.notice && '接続元の設定を保存しました。'}</Notice>
      <p class="lead">登録したネットワークからだけ、このショップの管理画面に入れます。空にすると制限なしです。</p>
      <p>
        現在の設定: {props.count === 0 ? <span class="badge badge--warn">制限なし</span> : <span class="badge badge--ok">{props.count}件のネットワークに限定</span>} / いまの接続元:{' '}
        <code>{props.clientIp}</code>
      </p>
      <form method="post" action={`${adminBase(props.shop.slug)}/network`} class="panel">
        <CsrfField token={props.csrfToken} />
        <FormErrors errors={props.errors} />
        <TextArea
          name="entries"
          label="許可するネットワーク(1行に1つ: CIDR と任意のメモ)"
          rows={8}
          values={{ entries: props.entriesText }}
          errors={props.errors}
          hint="例: 203.0.113.0/24 本社 / 198.51.100.7 倉庫。いまの接続元を含まない内容は保存できません。保存には再認証が必要です。"
        />
        <button type="submit">保存する</button>
      </form>
    </AdminLayout>
  );
}

/** The shop's staff IP allowlist; changing it needs a fresh step-up and is audited. */
export function adminNetworkRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('network');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, form?: { text: string; errors: FieldErrors }) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, entries: await listAllowlist(s.tx, s.tenant.id) }));
    const text = form?.text ?? data.entries.map((e) => `${e.cidr}${e.label ? ` ${e.label}` : ''}`).join('\n');
    const notice = (request.query as { done?: string }).done === '1';
    return reply.page(<NetworkPage {...frameOf(platform, request, data)} entriesText={text} count={data.entries.length} clientIp={request.ip} errors={form?.errors} notice={notice} />, {
      page: 'admin-network',
      status: form ? 400 : 200,
    });
  }

  app.get('/network', { config }, (request, reply) => render(request, reply));
  app.post('/network', { config }, async (request, reply) => {
    const body = formBody(request);
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        requireStepUp(s.principal, `${adminBase(s.tenant.slug)}/network`);
        await replaceAllowlist(s.tx, s.actor, s.tenant.id, parseAllowlistText(body.entries ?? ''), request.ip);
        return s.tenant.slug;
      });
      return reply.redirect(`${adminBase(slug)}/network?done=1`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { text: body.entries ?? '', errors: { ...err.fieldErrors } });
      throw err;
    }
  });
}
