import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { changeStaffRole, disableStaff, inviteStaff, listStaff, SHOP_STAFF_ROLES, STAFF_ROLE_LABELS, staffInviteSchema } from '../../domains/staff/staff.service.ts';
import { requireStepUp } from '../../platform/http/auth-guard.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, SelectField } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { StatusBadge, toneOf, USER_STATUS_TONE } from '../../platform/views/status-badge.tsx';
import { TableRegion } from '../../platform/views/table-region.tsx';
import { formBody, frameOf, inAdmin } from './admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';
import { navRoles } from './admin-nav.ts';

type StaffRow = Awaited<ReturnType<typeof listStaff>>[number];

const STATUS_LABELS = { invited: '招待中', active: '有効', disabled: '無効' } as const;
const NOTICES: Record<string, string> = { invited: '招待メールを送りました。', role: '役割を変更しました。対象者のセッションは終了しました。', disabled: 'スタッフを無効化し、セッションを終了しました。' };

/** Staff pages live on the staff origin (staff.{BASE_DOMAIN}); in development on the one host. */
export function staffOrigin(platform: Platform): string {
  const { BASE_DOMAIN, baseOrigin } = platform.config;
  return BASE_DOMAIN ? `${new URL(baseOrigin).protocol}//staff.${BASE_DOMAIN}` : baseOrigin;
}

export function staffInvitationUrl(platform: Platform): string {
  return `${staffOrigin(platform)}/admin/invitations/accept`;
}

function StaffPage(props: AdminPageFrame & { members: StaffRow[]; selfId: string; notice?: string; form?: { values: FormValues; errors: FieldErrors } }) {
  const base = `${adminBase(props.shop.slug)}/staff`;
  const roleOptions = SHOP_STAFF_ROLES.map((r) => ({ value: r, label: STAFF_ROLE_LABELS[r] }));
  return (
    <AdminLayout {...props} title="スタッフ" active="staff">
      <Notice>{props.notice && NOTICES[props.notice]}</Notice>
      <p class="lead">ショップ管理者は会員・スタッフ・設定を、受注担当は受注を、商品担当は商品を扱えます。全員に二段階認証が必須です。</p>
      <TableRegion label="スタッフ一覧">
        <table>
          <caption class="visually-hidden">スタッフ一覧</caption>
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
                <td>
                  <StatusBadge tone={toneOf(USER_STATUS_TONE, s.status)}>{STATUS_LABELS[s.status]}</StatusBadge>
                </td>
                <td>{formatDateTime(s.last_login_at)}</td>
                <td>
                  {s.id === props.selfId || s.status === 'disabled' ? (
                    STAFF_ROLE_LABELS[s.role]
                  ) : (
                    <form method="post" action={`${base}/${s.id}/role`} class="console-inline">
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
                    <form method="post" action={`${base}/${s.id}/disable`}>
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
      </TableRegion>
      <section class="panel" aria-labelledby="invite-h">
        <h2 id="invite-h">スタッフを招待</h2>
        <form method="post" action={base}>
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={props.form?.errors} />
          <Field name="displayName" label="氏名" required values={props.form?.values} errors={props.form?.errors} />
          <Field name="email" label="メールアドレス" type="email" required values={props.form?.values} errors={props.form?.errors} />
          <SelectField name="role" label="役割" required options={roleOptions} values={props.form?.values ?? { role: 'order_clerk' }} errors={props.form?.errors} />
          <p class="muted">招待には再認証が必要です。招待された人はメールのリンクからパスワードと二段階認証を設定します。</p>
          <button type="submit">招待メールを送る</button>
        </form>
      </section>
    </AdminLayout>
  );
}

/** スタッフ: shop admins invite (with step-up), change roles, disable. */
export function adminStaffRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('staff');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, form?: { values: FormValues; errors: FieldErrors }, status = 400) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, staff: await listStaff(s.tx, s.tenant.id) }));
    const done = (request.query as { done?: string }).done;
    return reply.page(<StaffPage {...frameOf(platform, request, data)} members={data.staff} selfId={data.principal.userId} notice={done && NOTICES[done] ? done : undefined} form={form} />, {
      page: 'admin-staff',
      status: form ? status : 200,
    });
  }

  app.get('/staff', { config }, (request, reply) => render(request, reply));

  app.post('/staff', { config }, async (request, reply) => {
    const body = formBody(request);
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        requireStepUp(s.principal, `${adminBase(s.tenant.slug)}/staff`);
        await inviteStaff(s.tx, s.actor, s.tenant.id, parseInput(staffInviteSchema(SHOP_STAFF_ROLES), body), staffInvitationUrl(platform));
        return s.tenant.slug;
      });
      return reply.redirect(`${adminBase(slug)}/staff?done=invited`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
  });

  app.post('/staff/:id/role', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = formBody(request);
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        requireStepUp(s.principal, `${adminBase(s.tenant.slug)}/staff`);
        await changeStaffRole(s.tx, s.actor, s.tenant.id, id, body.role as StaffRole);
        return s.tenant.slug;
      });
      return reply.redirect(`${adminBase(slug)}/staff?done=role`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { values: {}, errors: { _form: '役割を選んでください。' } });
      throw err;
    }
  });

  app.post('/staff/:id/disable', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const slug = await inAdmin(platform, request, roles, async (s) => {
      await disableStaff(s.tx, s.actor, s.tenant.id, id);
      return s.tenant.slug;
    });
    return reply.redirect(`${adminBase(slug)}/staff?done=disabled`, 303);
  });
}
