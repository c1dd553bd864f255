import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { changeStaffRole, disableStaff, inviteStaff, listStaff, OPERATOR_STAFF_ROLES, staffInviteSchema } from '../../domains/staff/staff.service.ts';
import { requireStepUp } from '../../platform/http/auth-guard.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type FieldErrors, type FormValues, Notice } from '../../platform/views/console-form.tsx';
import { STAFF_NOTICES, StaffInviteForm, StaffRoster, type StaffRow, staffInvitationUrl } from '../admin/staff-roster.view.tsx';
import { inOperator, operatorFormBody, operatorFrame } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

function OperatorStaffPage(props: OperatorPageFrame & { members: StaffRow[]; selfId: string; notice?: string; form?: { values: FormValues; errors: FieldErrors } }) {
  return (
    <OperatorLayout {...props} title="運営スタッフ" active="staff">
      <Notice>{props.notice && STAFF_NOTICES[props.notice]}</Notice>
      <StaffRoster label="運営スタッフ一覧" base="/operator/staff" members={props.members} selfId={props.selfId} roles={OPERATOR_STAFF_ROLES} csrfToken={props.csrfToken} />
      <StaffInviteForm
        heading="運営スタッフを招待"
        action="/operator/staff"
        roles={OPERATOR_STAFF_ROLES}
        defaultRole="security_officer"
        note="招待には再認証が必要です。招待された人はメールのリンクからパスワードと二段階認証を設定します。"
        csrfToken={props.csrfToken}
        form={props.form}
      />
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
      <OperatorStaffPage {...operatorFrame(platform, request, data.principal)} members={data.members} selfId={data.principal.userId} notice={done && STAFF_NOTICES[done] ? done : undefined} form={form} />,
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
