import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { revokeAllSessions, revokeShopSessions } from '../../domains/auth/session.service.ts';
import { NotFoundError, ValidationError } from '../../domains/shared/domain-error.ts';
import { auditByStaff } from '../../domains/staff/staff-actor.ts';
import { requireStepUp } from '../../platform/http/auth-guard.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type FieldErrors, FormErrors, Notice, SelectField, TextArea } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { inOperator, operatorFormBody, operatorFrame } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

const AUDIENCE_LABELS = { salon: 'サロン', staff: 'ショップスタッフ', operator: '運営スタッフ' } as const;

const reason = z.string().trim().min(1, '理由を入力してください。').max(500, '理由は500文字以内で入力してください。');
const shopSchema = z.object({ tenantId: z.string().uuid('ショップを選んでください。'), reason });
const allSchema = z.object({ audience: z.enum(['all', 'salon', 'staff', 'operator'], { message: '対象を選んでください。' }), reason });

interface SessionFigures {
  byAudience: { audience: keyof typeof AUDIENCE_LABELS; n: number }[];
  byShop: { id: string; display_name: string; n: number }[];
}

function SessionsPage(props: OperatorPageFrame & SessionFigures & { notice?: string; form?: { which: string; values: Record<string, string>; errors: FieldErrors } }) {
  const f = (which: string) => (props.form?.which === which ? props.form : undefined);
  return (
    <OperatorLayout {...props} title="セッション" active="sessions">
      <Notice>{props.notice}</Notice>
      <p class="lead">インシデント対応: ショップ単位、または全員のセッションを直ちに終了できます。すべてのサーバーで即時に無効になります。</p>
      <section class="panel" aria-labelledby="active-h">
        <h2 id="active-h">有効なセッション</h2>
        <ul>
          {props.byAudience.map((a) => (
            <li key={a.audience}>
              {AUDIENCE_LABELS[a.audience]}: {a.n}
            </li>
          ))}
        </ul>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">ショップ</th>
                <th scope="col" class="num">
                  ショップに結び付いたセッション
                </th>
              </tr>
            </thead>
            <tbody>
              {props.byShop.map((s) => (
                <tr key={s.id}>
                  <td>{s.display_name}</td>
                  <td class="num">{s.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div class="console-columns">
        <section class="panel" aria-labelledby="revoke-shop-h">
          <h2 id="revoke-shop-h">ショップのセッションを終了</h2>
          <form method="post" action="/operator/sessions/revoke-shop">
            <CsrfField token={props.csrfToken} />
            <FormErrors errors={f('shop')?.errors} />
            <SelectField name="tenantId" label="ショップ" required placeholder="選んでください" idPrefix="shop" options={props.byShop.map((s) => ({ value: s.id, label: s.display_name }))} values={f('shop')?.values} errors={f('shop')?.errors} />
            <TextArea name="reason" label="理由" required idPrefix="shop" values={f('shop')?.values} errors={f('shop')?.errors} />
            <button type="submit" class="button--danger">
              このショップのセッションを終了
            </button>
          </form>
        </section>
        <section class="panel" aria-labelledby="revoke-all-h">
          <h2 id="revoke-all-h">全員のセッションを終了</h2>
          <form method="post" action="/operator/sessions/revoke-all">
            <CsrfField token={props.csrfToken} />
            <FormErrors errors={f('all')?.errors} />
            <SelectField
              name="audience"
              label="対象"
              required
              idPrefix="all"
              options={[
                { value: 'all', label: '全員(あなた自身も含む)' },
                { value: 'salon', label: 'サロンのみ' },
                { value: 'staff', label: 'ショップスタッフのみ' },
                { value: 'operator', label: '運営スタッフのみ(あなた自身も含む)' },
              ]}
              values={f('all')?.values ?? { audience: 'all' }}
              errors={f('all')?.errors}
            />
            <TextArea name="reason" label="理由" required idPrefix="all" values={f('all')?.values} errors={f('all')?.errors} />
            <button type="submit" class="button--danger">
              セッションを終了
            </button>
          </form>
        </section>
      </div>
      <p class="muted">どちらの操作も再認証が必要で、監査ログに記録されます。</p>
    </OperatorLayout>
  );
}

/** セッション: revoke every session of a shop, or of everyone (incident response; step-up; audited). */
export function operatorSessionRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('sessions');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, form?: { which: string; values: Record<string, string>; errors: FieldErrors }) {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => {
      const live = sql<boolean>`s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()`;
      const byAudience = await tx.selectFrom('sessions as s').select(['s.audience', (eb) => eb.fn.countAll<number>().as('n')]).where(live).groupBy('s.audience').orderBy('s.audience').execute();
      const byShop = await tx
        .selectFrom('tenants as t')
        .leftJoin('sessions as s', (j) => j.onRef('s.bound_tenant_id', '=', 't.id').on(live))
        .select(['t.id', 't.display_name', (eb) => eb.fn.count<number>('s.id').as('n')])
        .groupBy(['t.id', 't.display_name', 't.sort_order'])
        .orderBy('t.sort_order')
        .execute();
      return { principal, byAudience: byAudience.map((r) => ({ ...r, n: Number(r.n) })), byShop: byShop.map((r) => ({ ...r, n: Number(r.n) })) };
    });
    const done = (request.query as { revoked?: string }).revoked;
    const notice = done && /^\d{1,9}$/.test(done) ? `${done}件のセッションを終了しました。` : undefined;
    return reply.page(<SessionsPage {...operatorFrame(platform, request, data.principal)} byAudience={data.byAudience} byShop={data.byShop} notice={notice} form={form} />, {
      page: 'operator-sessions',
      status: form ? 400 : 200,
    });
  }

  app.get('/operator/sessions', { config }, (request, reply) => render(request, reply));

  app.post('/operator/sessions/revoke-shop', { config }, async (request, reply) => {
    const body = operatorFormBody(request);
    try {
      const count = await inOperator(platform, request, roles, async ({ tx, principal, actor }) => {
        requireStepUp(principal, '/operator/sessions');
        const input = parseInput(shopSchema, body);
        const shop = await tx.selectFrom('tenants').select('id').where('id', '=', input.tenantId).executeTakeFirst();
        if (!shop) throw new NotFoundError('ショップが見つかりません。');
        const revoked = await revokeShopSessions(tx, input.tenantId, `operator: ${input.reason}`);
        await auditByStaff(tx, actor, { action: 'sessions.revoke_shop', resourceType: 'tenant', resourceId: input.tenantId, result: 'success', reason: input.reason, detail: { revoked } });
        return revoked;
      });
      return reply.redirect(`/operator/sessions?revoked=${count}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { which: 'shop', values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
  });

  app.post('/operator/sessions/revoke-all', { config }, async (request, reply) => {
    const body = operatorFormBody(request);
    try {
      const { count, selfRevoked } = await inOperator(platform, request, roles, async ({ tx, principal, actor }) => {
        requireStepUp(principal, '/operator/sessions');
        const input = parseInput(allSchema, body);
        const audience = input.audience === 'all' ? undefined : input.audience;
        // Audited first, in the same transaction: the record exists exactly when the revocation does.
        await auditByStaff(tx, actor, { action: 'sessions.revoke_all', resourceType: 'sessions', resourceId: input.audience, result: 'success', reason: input.reason });
        const revoked = await revokeAllSessions(tx, `operator: ${input.reason}`, audience);
        return { count: revoked, selfRevoked: audience === undefined || audience === 'operator' };
      });
      return reply.redirect(selfRevoked ? '/admin/sign-in' : `/operator/sessions?revoked=${count}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { which: 'all', values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
  });
}
