import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { changeStaffRole, disableStaff, inviteStaff, listStaff, SHOP_STAFF_ROLES, staffInviteSchema } from '../../domains/staff/staff.service.ts';
import { requireStepUp } from '../../platform/http/auth-guard.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type FieldErrors, type FormValues, Notice } from '../../platform/views/console-form.tsx';
import { formBody, frameOf, inAdmin } from './admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';
import { navRoles } from './admin-nav.ts';
import { STAFF_NOTICES, StaffInviteForm, StaffRoster, type StaffRow, staffInvitationUrl } from './staff-roster.view.tsx';

function StaffPage(props: AdminPageFrame & { members: StaffRow[]; selfId: string; notice?: string; form?: { values: FormValues; errors: FieldErrors } }) {
  const base = `${adminBase(props.shop.slug)}/staff`;
  return (
    <AdminLayout {...props} title="スタッフ" active="staff">
      <Notice>{props.notice && STAFF_NOTICES[props.notice]}</Notice>
      <p class="lead">ショップ管理者は会員・スタッフ・設定を、受注担当は受注を、商品担当は商品を扱えます。全員に二段階認証が必須です。</p>
      <StaffRoster label="スタッフ一覧" base={base} members={props.members} selfId={props.selfId} roles={SHOP_STAFF_ROLES} csrfToken={props.csrfToken} />
      <StaffInviteForm
        heading="スタッフを招待"
        action={base}
        roles={SHOP_STAFF_ROLES}
        defaultRole="order_clerk"
        note="招待には再認証が必要です。招待された人はメールのリンクからパスワードと二段階認証を設定します。"
        csrfToken={props.csrfToken}
        form={props.form}
      />
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
    return reply.page(<StaffPage {...frameOf(platform, request, data)} members={data.staff} selfId={data.principal.userId} notice={done && STAFF_NOTICES[done] ? done : undefined} form={form} />, {
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
