import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { changeStaffRole, disableStaff, inviteStaff, listStaff, OPERATOR_STAFF_ROLES, STAFF_ROLE_LABELS, staffInviteSchema } from '../../domains/staff/staff.service.ts';
import { requireStepUp } from '../../platform/http/auth-guard.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, SelectField } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { inOperator, operatorFormBody, operatorFrame } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

type StaffRow = Awaited<ReturnType<typeof listStaff>>[number];
const STATUS_LABELS = { invited: '招待中', active: '有効', disabled: '無効' } as const;
const NOTICES: Record<string, string> = { invited: '招待メールを送りました。', role: '役割を変更しました。対象者のセッションは終了しました。', disabled: '無効化し、セッションを終了しました。' };

function staffInvitationUrl(platform: Platform): string {
  const { BASE_DOMAIN, baseOrigin } = platform.config;
  return `${BASE_DOMAIN ? `${new URL(baseOrigin).protocol}//staff.${BASE_DOMAIN}` : baseOrigin}/admin/invitations/accept`;
}

function OperatorStaffPage(props: OperatorPageFrame & { members: StaffRow[]; selfId: string; notice?: string; form?: { values: FormValues; errors: FieldErrors } }) {
  const roleOptions = OPERATOR_STAFF_ROLES.map((r) => ({ value: r, label: STAFF_ROLE_LABELS[r] }));
  return (
    <OperatorLayout {...props} title="運営スタッフ" active="staff">
      <Notice>{props.notice && NOTICES[props.notice]}</Notice>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">運営スタッフ一覧</caption>
          <thead>
            <tr>
              <th scope="col">氏名・メール</th>
              <th scope="col">状態</th>
              <th scope="col">最終サインイン</th>
              <th scope="col">役割</th>
              <th scope="col">無効化</th>
            </tr>
          </thead>
          <tbody>
            {props.members.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.display_name}
                  <div class="muted">{s.email}</div>
                </td>
                <td>{STATUS_LABELS[s.status]}</td>
                <td>{formatDateTime(s.last_login_at)}</td>
                <td>
                  {s.id === props.selfId || s.status === 'disabled' ? (
                    STAFF_ROLE_LABELS[s.role]
                  ) : (
                    <form method="post" action={`/operator/staff/${s.id}/role`} class="console-inline">
                      <CsrfField token={props.csrfToken} />
                      <label class="visually-hidden" for={`role-${s.id}`}>
                        {s.display_name} の役割
                      </label>
                      <select id={`role-${s.id}`} name="role">
                        {roleOptions.map((o) => (
                          <option key={o.value} value={o.value} selected={o.value === s.role}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="button--secondary">
                        変更
                      </button>
                    </form>
                  )}
                </td>
                <td>
                  {s.id !== props.selfId && s.status !== 'disabled' && (
                    <form method="post" action={`/operator/staff/${s.id}/disable`}>
                      <CsrfField token={props.csrfToken} />
                      <button type="submit" class="button--danger" aria-label={`${s.display_name} を無効化`}>
                        無効化
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section class="panel" aria-labelledby="invite-h">
        <h2 id="invite-h">運営スタッフを招待</h2>
        <form method="post" action="/operator/staff">
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={props.form?.errors} />
          <Field name="displayName" label="氏名" required values={props.form?.values} errors={props.form?.errors} />
          <Field name="email" label="メールアドレス" type="email" required values={props.form?.values} errors={props.form?.errors} />
          <SelectField name="role" label="役割" required options={roleOptions} values={props.form?.values ?? { role: 'security_officer' }} errors={props.form?.errors} />
          <p class="muted">招待には再認証が必要です。</p>
          <button type="submit">招待メールを送る</button>
        </form>
      </section>
    </OperatorLayout>
  );
}

/** 運営スタッフ: platform admins invite (step-up), change roles, disable (sessions end). */
export function operatorStaffRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('staff');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, form?: { values: FormValues; errors: FieldErrors }) {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({ principal, members: await listStaff(tx, null) }));
    const done = (request.query as { done?: string }).done;
    return reply.page(
      <OperatorStaffPage {...operatorFrame(platform, request, data.principal)} members={data.members} selfId={data.principal.userId} notice={done && NOTICES[done] ? done : undefined} form={form} />,
      { page: 'operator-staff', status: form ? 400 : 200 },
    );
  }

  app.get('/operator/staff', { config }, (request, reply) => render(request, reply));

  app.post('/operator/staff', { config }, async (request, reply) => {
    const body = operatorFormBody(request);
    try {
      await inOperator(platform, request, roles, async ({ tx, principal, actor }) => {
        requireStepUp(principal, '/operator/staff');
        await inviteStaff(tx, actor, null, parseInput(staffInviteSchema(OPERATOR_STAFF_ROLES), body), staffInvitationUrl(platform));
      });
      return reply.redirect('/operator/staff?done=invited', 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
  });

  app.post('/operator/staff/:id/role', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = operatorFormBody(request);
    try {
      await inOperator(platform, request, roles, async ({ tx, principal, actor }) => {
        requireStepUp(principal, '/operator/staff');
        await changeStaffRole(tx, actor, null, id, body.role as StaffRole);
      });
      return reply.redirect('/operator/staff?done=role', 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { values: {}, errors: { _form: '役割を選んでください。' } });
      throw err;
    }
  });

  app.post('/operator/staff/:id/disable', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    await inOperator(platform, request, roles, ({ tx, actor }) => disableStaff(tx, actor, null, id));
    return reply.redirect('/operator/staff?done=disabled', 303);
  });
}
