import type { StaffRole } from '../../domains/accounts/accounts.tables.ts';
import { type listStaff, STAFF_ROLE_LABELS } from '../../domains/staff/staff.service.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, SelectField } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { StatusBadge, toneOf, USER_STATUS_TONE } from '../../platform/views/status-badge.tsx';
import { TableRegion } from '../../platform/views/table-region.tsx';

/**
 * The staff roster and invitation form, shared by a shop's スタッフ screen and the operator's
 * 運営スタッフ screen: the same people model (invite → active → disabled, one role each), only
 * the roles on offer and the form's address differ.
 */

export type StaffRow = Awaited<ReturnType<typeof listStaff>>[number];

const STATUS_LABELS = { invited: '招待中', active: '有効', disabled: '無効' } as const;

export const STAFF_NOTICES: Record<string, string> = {
  invited: '招待メールを送りました。',
  role: '役割を変更しました。対象者のセッションは終了しました。',
  disabled: 'スタッフを無効化し、セッションを終了しました。',
};

/** Staff pages live on the staff origin (staff.{BASE_DOMAIN}); in development on the one host. */
export function staffOrigin(platform: Platform): string {
  const { BASE_DOMAIN, baseOrigin } = platform.config;
  return BASE_DOMAIN ? `${new URL(baseOrigin).protocol}//staff.${BASE_DOMAIN}` : baseOrigin;
}

export function staffInvitationUrl(platform: Platform): string {
  return `${staffOrigin(platform)}/admin/invitations/accept`;
}

function roleOptionsOf(roles: readonly StaffRole[]) {
  return roles.map((r) => ({ value: r, label: STAFF_ROLE_LABELS[r] }));
}

/** Everyone on the team; one's own row and disabled rows can't be changed from here. */
export function StaffRoster(props: { label: string; base: string; members: StaffRow[]; selfId: string; roles: readonly StaffRole[]; csrfToken: string }) {
  const roleOptions = roleOptionsOf(props.roles);
  return (
    <TableRegion label={props.label}>
      <table>
        <caption class="visually-hidden">{props.label}</caption>
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
                  <form method="post" action={`${props.base}/${s.id}/role`} class="console-inline">
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
                  <form method="post" action={`${props.base}/${s.id}/disable`}>
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
  );
}

export function StaffInviteForm(props: {
  heading: string;
  action: string;
  roles: readonly StaffRole[];
  defaultRole: StaffRole;
  note: string;
  csrfToken: string;
  form?: { values: FormValues; errors: FieldErrors };
}) {
  return (
    <section class="panel" aria-labelledby="invite-h">
      <h2 id="invite-h">{props.heading}</h2>
      <form method="post" action={props.action}>
        <CsrfField token={props.csrfToken} />
        <FormErrors errors={props.form?.errors} />
        <Field name="displayName" label="氏名" required values={props.form?.values} errors={props.form?.errors} />
        <Field name="email" label="メールアドレス" type="email" required values={props.form?.values} errors={props.form?.errors} />
        <SelectField name="role" label="役割" required options={roleOptionsOf(props.roles)} values={props.form?.values ?? { role: props.defaultRole }} errors={props.form?.errors} />
        <p class="muted">{props.note}</p>
        <button type="submit">招待メールを送る</button>
      </form>
    </section>
  );
}
