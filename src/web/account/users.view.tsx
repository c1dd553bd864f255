import type { SalonUserRole } from '../../domains/accounts/accounts.tables.ts';
import { type PendingInvite, SALON_ROLE_LABELS, type SalonUserRow } from '../../domains/accounts/salon-users.service.ts';
import { CsrfField } from '../../platform/views/layout.tsx';
import { StatusBadge } from '../../platform/views/status-badge.tsx';
import { TableRegion } from '../../platform/views/table-region.tsx';
import { Field, FormErrors, type FormState, Notice } from './account-form.tsx';
import { AccountLayout } from './account-layout.tsx';

const DONE: Record<string, string> = {
  invited: '招待メールを送りました。',
  role: '権限を変更しました。',
  removed: 'ユーザーを削除しました。',
};

function RoleSelect(props: { id: string; value: string; name?: string; error?: string }) {
  return (
    <select id={props.id} name={props.name ?? 'role'} aria-invalid={props.error ? 'true' : undefined}>
      {(Object.entries(SALON_ROLE_LABELS) as [SalonUserRole, string][]).map(([role, label]) => (
        <option key={role} value={role} selected={props.value === role}>
          {label}
        </option>
      ))}
    </select>
  );
}

export function UsersPage(props: {
  stylesheetUrl: string;
  csrfToken: string;
  userName: string;
  currentUserId: string;
  canManage: boolean;
  users: SalonUserRow[];
  form: FormState;
  done?: string;
  error?: string;
}) {
  return (
    <AccountLayout title="ユーザー" section="users" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>ユーザー</h1>
      <p class="lead">サロンのスタッフを招待して、発注や閲覧を分担できます。</p>
      {props.done && DONE[props.done] && <Notice kind="ok">{DONE[props.done]}</Notice>}
      {props.error && <Notice kind="error">{props.error}</Notice>}
      {!props.canManage && <Notice kind="info">ユーザーの招待・権限の変更はオーナーだけが行えます。</Notice>}
      <TableRegion label="ユーザー一覧">
        <table class="stack-table">
          <caption class="visually-hidden">ユーザー一覧</caption>
          <thead>
            <tr>
              <th scope="col">お名前</th>
              <th scope="col">メールアドレス</th>
              <th scope="col">権限</th>
              <th scope="col">状態</th>
              {props.canManage && <th scope="col">操作</th>}
            </tr>
          </thead>
          <tbody>
            {props.users.map((u) => (
              <tr key={u.id}>
                <td>{u.display_name}</td>
                <td class="break" data-label="メールアドレス">
                  {u.email}
                </td>
                <td data-label="権限">
                  {props.canManage && u.id !== props.currentUserId ? (
                    <form method="post" action={`/account/users/${u.id}/role`} class="inline-form">
                      <CsrfField token={props.csrfToken} />
                      <label class="visually-hidden" for={`role-${u.id}`}>
                        {u.display_name} の権限
                      </label>
                      <RoleSelect id={`role-${u.id}`} value={u.role} />
                      <button type="submit" class="button--secondary button--small">
                        変更
                      </button>
                    </form>
                  ) : (
                    SALON_ROLE_LABELS[u.role]
                  )}
                </td>
                <td data-label="状態">{u.status === 'invited' ? <StatusBadge tone="warn">招待中</StatusBadge> : <StatusBadge tone="ok">利用中</StatusBadge>}</td>
                {props.canManage && (
                  <td>
                    {u.id !== props.currentUserId && (
                      <form method="post" action={`/account/users/${u.id}/remove`} class="inline-form">
                        <CsrfField token={props.csrfToken} />
                        <button type="submit" class="button--danger button--small" aria-label={`${u.display_name} を削除`}>
                          削除
                        </button>
                      </form>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {props.canManage && (
        <form method="post" action="/account/users/invite" class="panel invite-form" novalidate>
          <h2>ユーザーを招待する</h2>
          <CsrfField token={props.csrfToken} />
          <FormErrors form={props.form} />
          <Field name="display_name" label="お名前" form={props.form} required maxLength={100} idPrefix="invite" />
          <Field name="email" label="メールアドレス" form={props.form} type="email" required autocomplete="off" maxLength={254} idPrefix="invite" />
          <div class="field">
            <label for="invite-role">権限</label>
            <RoleSelect id="invite-role" value={props.form.values.role ?? 'buyer'} error={props.form.errors.role} />
            {props.form.errors.role && <span class="field__error">{props.form.errors.role}</span>}
          </div>
          <button type="submit">招待メールを送る</button>
        </form>
      )}
    </AccountLayout>
  );
}

export function AcceptInvitePage(props: { stylesheetUrl: string; csrfToken: string; token: string; invite: PendingInvite; form: FormState }) {
  return (
    <AccountLayout title="招待の受け入れ" section="none" stylesheetUrl={props.stylesheetUrl}>
      <section class="panel panel--narrow">
        <h1>{props.invite.salonName} への招待</h1>
        <p>
          {props.invite.email} を「{SALON_ROLE_LABELS[props.invite.role]}」として登録します。パスワードを設定してください。
        </p>
        <form method="post" action={`/account/invite/${props.token}`} novalidate>
          <CsrfField token={props.csrfToken} />
          <FormErrors form={props.form} />
          <Field name="display_name" label="お名前" form={props.form} required maxLength={100} autocomplete="name" />
          <Field name="password" label="パスワード" form={props.form} type="password" required autocomplete="new-password" hint="10文字以上" maxLength={128} />
          <Field name="password_confirm" label="パスワード（確認）" form={props.form} type="password" required autocomplete="new-password" maxLength={128} />
          <button type="submit">登録する</button>
        </form>
      </section>
    </AccountLayout>
  );
}
