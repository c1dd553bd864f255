import { type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, SelectField, TextArea } from '../../../platform/views/console-form.tsx';
import { EmptyState } from '../../../platform/views/empty-state.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { StatusBadge } from '../../../platform/views/status-badge.tsx';
import { TableRegion } from '../../../platform/views/table-region.tsx';
import { OperatorLayout, type OperatorPageFrame } from '../operator-layout.tsx';
import type { KillSwitchBoard, SwitchRow } from './kill-switch.read.ts';

export const KILL_SWITCH_NOTICES: Readonly<Record<string, string>> = {
  stopped: 'カード決済を停止しました。対象のチェックアウトではカードが表示されず、他の支払い方法はそのまま使えます。',
  resumed: 'カード決済を再開しました。',
  approved: '自動停止の解除を承認し、カード決済を再開しました。承認は履歴と監査ログに記録されました。',
};

export type KillSwitchForm = { kind: 'engage'; values: FormValues; errors: FieldErrors } | { kind: 'release'; target: string; values: FormValues; errors: FieldErrors };

export const targetOf = (row: Pick<SwitchRow, 'tenantId'>) => row.tenantId ?? 'all';

function StateBadge(props: { row: SwitchRow }) {
  if (!props.row.engaged) return <StatusBadge tone="ok">受付中</StatusBadge>;
  return <StatusBadge tone="danger">{props.row.automatic ? '自動停止中' : '停止中'}</StatusBadge>;
}

function ReleaseForm(props: { row: SwitchRow; csrfToken: string; form?: KillSwitchForm }) {
  const target = targetOf(props.row);
  const mine = props.form?.kind === 'release' && props.form.target === target ? props.form : undefined;
  const id = `release-${target.slice(0, 8)}`;
  return (
    <details class="kill-release" open={mine ? true : undefined}>
      <summary>{props.row.automatic ? '承認して再開' : '再開'}</summary>
      <form method="post" action={`/operator/kill-switch/${target}/release`}>
        <CsrfField token={props.csrfToken} />
        <FormErrors errors={mine?.errors} />
        <TextArea
          name="reason"
          label={props.row.automatic ? '承認の理由（確認した内容）' : '再開の理由'}
          required
          rows={2}
          idPrefix={id}
          values={mine?.values}
          errors={mine?.errors}
          hint={props.row.automatic ? 'あなたの承認として記録されます。再認証が必要です。' : '再認証が必要です。'}
        />
        <button type="submit" class="button--secondary">
          {props.row.automatic ? '承認してカード決済を再開' : 'カード決済を再開'}
        </button>
      </form>
    </details>
  );
}

function SwitchTable(props: { rows: SwitchRow[]; csrfToken: string; form?: KillSwitchForm }) {
  return (
    <TableRegion label="カード決済の停止状態">
      <table>
        <caption class="visually-hidden">ショップごとのカード決済の停止状態</caption>
        <thead>
          <tr>
            <th scope="col">対象</th>
            <th scope="col">状態</th>
            <th scope="col">理由・日時</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={targetOf(row)}>
              <th scope="row">
                {row.name}
                {row.slug && <div class="muted">{row.slug}</div>}
              </th>
              <td>
                <StateBadge row={row} />
              </td>
              <td>
                {row.engaged ? (
                  <>
                    {row.reason}
                    <div class="muted">{formatDateTime(row.changedAt)}</div>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>{row.engaged ? <ReleaseForm row={row} csrfToken={props.csrfToken} form={props.form} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

export function KillSwitchPage(props: OperatorPageFrame & { board: KillSwitchBoard; notice?: string; form?: KillSwitchForm }) {
  const engage = props.form?.kind === 'engage' ? props.form : undefined;
  const options = [{ value: 'all', label: '全ショップ（プラットフォーム全体）' }, ...props.board.shops.map((s) => ({ value: s.tenantId as string, label: s.name }))];
  return (
    <OperatorLayout {...props} title="カード決済の停止" active="kill-switch">
      <Notice>{props.notice && KILL_SWITCH_NOTICES[props.notice]}</Notice>
      <p class="lead">カード決済をショップごと、または全ショップ一斉に止めます。停止はすぐ全プロセスに効き、銀行振込・代金引換・掛け払いは使えるままです。再開には再認証が必要で、監視による自動停止の再開は運営の承認として記録されます。</p>
      {props.board.platform.engaged && (
        <p class="alert alert--error" role="status">
          全ショップのカード決済を停止中です: {props.board.platform.reason}
        </p>
      )}
      <section class="panel" aria-labelledby="engage-h">
        <h2 id="engage-h">カード決済を停止する</h2>
        <form method="post" action="/operator/kill-switch/engage">
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={engage?.errors} />
          <SelectField name="target" label="対象" required idPrefix="engage" options={options} values={engage?.values ?? { target: 'all' }} errors={engage?.errors} />
          <TextArea name="reason" label="停止の理由" required rows={2} idPrefix="engage" values={engage?.values} errors={engage?.errors} />
          <button type="submit" class="button--danger">
            今すぐ停止する
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="switches-h">
        <h2 id="switches-h">停止状態</h2>
        <SwitchTable rows={[props.board.platform, ...props.board.shops]} csrfToken={props.csrfToken} form={props.form} />
      </section>
      <section class="panel" aria-labelledby="history-h">
        <h2 id="history-h">履歴</h2>
        {props.board.history.length === 0 ? (
          <EmptyState>停止・再開の記録はまだありません。</EmptyState>
        ) : (
          <TableRegion label="停止・再開の履歴">
            <table>
              <caption class="visually-hidden">停止・再開の履歴（新しい順、最大50件）</caption>
              <thead>
                <tr>
                  <th scope="col">日時</th>
                  <th scope="col">対象</th>
                  <th scope="col">操作</th>
                  <th scope="col">操作者</th>
                  <th scope="col">理由</th>
                </tr>
              </thead>
              <tbody>
                {props.board.history.map((h) => (
                  <tr key={`${h.at.toISOString()}-${h.tenantId ?? 'all'}-${h.engaged}`}>
                    <td>{formatDateTime(h.at)}</td>
                    <td>{h.shopName}</td>
                    <td>{h.engaged ? <StatusBadge tone="danger">{h.automatic ? '自動停止' : '停止'}</StatusBadge> : <StatusBadge tone="ok">再開</StatusBadge>}</td>
                    <td>{h.actorType === 'system' ? '監視（自動）' : h.actorType === 'staff' ? 'ショップ管理者' : h.approverName ? `運営（承認: ${h.approverName}）` : '運営'}</td>
                    <td>{h.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
    </OperatorLayout>
  );
}
