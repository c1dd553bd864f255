import type { KillSwitchHistoryRow } from '../../../domains/payments/card-kill-switch.service.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, SelectField, TextArea, yen } from '../../../platform/views/console-form.tsx';
import { EmptyState } from '../../../platform/views/empty-state.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { StatusBadge, type StatusTone } from '../../../platform/views/status-badge.tsx';
import { TableRegion } from '../../../platform/views/table-region.tsx';
import { AdminLayout, type AdminPageFrame, adminBase } from '../admin-layout.tsx';
import { type CardPaymentRow, type PaymentsAdminData, refundableYen } from './payments-admin.read.ts';

export const PAYMENT_STATUS: Readonly<Record<string, { label: string; tone: StatusTone }>> = {
  started: { label: '決済ページへ移動', tone: 'neutral' },
  pending: { label: '処理中', tone: 'warn' },
  authorized: { label: '与信済み', tone: 'warn' },
  succeeded: { label: '支払い済み', tone: 'ok' },
  failed: { label: '失敗', tone: 'danger' },
  abandoned: { label: '中断', tone: 'neutral' },
  cancelled: { label: '取消', tone: 'neutral' },
  refunded: { label: '全額返金', tone: 'info' },
  partially_refunded: { label: '一部返金', tone: 'info' },
};

const THREE_DS: Readonly<Record<string, string>> = {
  authenticated: '認証成功',
  attempt_acknowledged: '認証試行',
  failed: '認証失敗',
  not_supported: '非対応',
  processing_error: 'エラー',
};

export const PAYMENTS_NOTICES: Readonly<Record<string, string>> = {
  key: 'シークレットキーを保存しました。キーは暗号化して保管し、今後は末尾4文字だけを表示します。Webhook を登録し直してください。',
  webhook: 'Webhook の受信先を決済サービスに登録しました。',
  refund: '返金を受け付けました。',
  stopped: 'カード決済を停止しました。チェックアウトには銀行振込などの他の支払い方法だけが表示されます。',
  resumed: 'カード決済を再開しました。',
};

export type PaymentsForm =
  | { kind: 'key'; values: FormValues; errors: FieldErrors }
  | { kind: 'webhook'; errors: FieldErrors }
  | { kind: 'refund'; paymentId: string; values: FormValues; errors: FieldErrors }
  | { kind: 'kill'; values: FormValues; errors: FieldErrors };

export interface PaymentsPageProps extends AdminPageFrame {
  data: PaymentsAdminData;
  webhookUrl: string;
  notice?: string;
  form?: PaymentsForm;
  /** A fresh key per render so a deliberate second refund of the same amount is not taken for a resubmit. */
  refundKey: string;
}

function ProviderSection(props: PaymentsPageProps) {
  const { account } = props.data;
  const base = `${adminBase(props.shop.slug)}/payments`;
  const keyForm = props.form?.kind === 'key' ? props.form : undefined;
  const webhookForm = props.form?.kind === 'webhook' ? props.form : undefined;
  return (
    <section class="panel" aria-labelledby="provider-h">
      <h2 id="provider-h">決済サービスのアカウント</h2>
      {account ? (
        <dl class="legal payments-account">
          <dt>決済サービス</dt>
          <dd>{account.provider === 'stripe' ? 'Stripe 互換 API' : account.provider}</dd>
          <dt>シークレットキー</dt>
          <dd>
            <code>{account.keyHint}</code> <span class="muted">（末尾4文字のみ表示）</span>
          </dd>
          <dt>決済ページのオリジン</dt>
          <dd>
            <code>{account.hostedPageOrigin}</code>
          </dd>
          <dt>Webhook</dt>
          <dd>
            {account.webhookRegistered ? <StatusBadge tone="ok">登録済み</StatusBadge> : <StatusBadge tone="danger">未登録</StatusBadge>}{' '}
            <span class="muted">{account.webhookEndpointId ?? ''}</span>
          </dd>
          <dt>売上の確定</dt>
          <dd>{account.captureMethod === 'manual' ? '手動（与信後に確定）' : '自動（支払いと同時に確定）'}</dd>
          <dt>最終更新</dt>
          <dd>{formatDateTime(account.updatedAt)}</dd>
        </dl>
      ) : (
        <EmptyState>まだ決済サービスのアカウントがありません。シークレットキーを設定するとカード決済を受け付けられます。</EmptyState>
      )}

      {account && (
        <form method="post" action={`${base}/webhook`} class="payments-webhook">
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={webhookForm?.errors} />
          <p>
            受信先: <code>{props.webhookUrl}</code>
          </p>
          <button type="submit" class={account.webhookRegistered ? 'button--secondary' : undefined}>
            {account.webhookRegistered ? 'Webhook を登録し直す' : 'Webhook を登録する'}
          </button>
        </form>
      )}

      <h3>{account ? 'シークレットキーを差し替える' : 'シークレットキーを設定する'}</h3>
      <form method="post" action={`${base}/key`}>
        <CsrfField token={props.csrfToken} />
        <FormErrors errors={keyForm?.errors} />
        <Field
          name="secretKey"
          label="シークレットキー"
          type="password"
          required
          autocomplete="off"
          idPrefix="key"
          errors={keyForm?.errors}
          hint="保存後は二度と表示されません（暗号化して保管）。保存には再認証が必要です。"
        />
        <Field name="apiBaseUrl" label="API の URL" idPrefix="key" values={keyForm?.values ?? { apiBaseUrl: account?.apiBaseUrl }} errors={keyForm?.errors} hint="空欄なら https://api.stripe.com" />
        <Field
          name="hostedPageOrigin"
          label="決済ページのオリジン"
          idPrefix="key"
          values={keyForm?.values ?? { hostedPageOrigin: account?.hostedPageOrigin }}
          errors={keyForm?.errors}
          hint="購入者はこのオリジンの決済ページでだけカード番号を入力します。空欄なら https://checkout.stripe.com"
        />
        <SelectField
          name="captureMethod"
          label="売上の確定"
          idPrefix="key"
          options={[
            { value: 'automatic', label: '自動（支払いと同時に確定）' },
            { value: 'manual', label: '手動（与信後に確定）' },
          ]}
          values={keyForm?.values ?? { captureMethod: account?.captureMethod ?? 'automatic' }}
        />
        <button type="submit">キーを保存する</button>
      </form>
    </section>
  );
}

function RefundForm(props: { base: string; csrfToken: string; payment: CardPaymentRow; refundKey: string; form?: PaymentsForm }) {
  const remaining = refundableYen(props.payment);
  const mine = props.form?.kind === 'refund' && props.form.paymentId === props.payment.id ? props.form : undefined;
  const prefix = `refund-${props.payment.id.slice(0, 8)}`;
  return (
    <details class="payments-refund" open={mine ? true : undefined}>
      <summary>返金（残り {yen(remaining)}）</summary>
      <form method="post" action={`${props.base}/payments/${props.payment.id}/refund`}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="requestKey" value={mine?.values.requestKey ?? props.refundKey} />
        <FormErrors errors={mine?.errors} />
        <Field name="amountYen" label="返金額（円）" required inputMode="numeric" idPrefix={prefix} values={mine?.values ?? { amountYen: String(remaining) }} errors={mine?.errors} />
        <Field name="reason" label="理由" required idPrefix={prefix} values={mine?.values} errors={mine?.errors} />
        <button type="submit" class="button--danger">
          返金する
        </button>
      </form>
    </details>
  );
}

function PaymentsTable(props: PaymentsPageProps) {
  const base = adminBase(props.shop.slug);
  if (props.data.payments.length === 0) return <EmptyState>カード決済の記録はまだありません。</EmptyState>;
  return (
    <TableRegion label="カード決済の記録">
      <table class="payments-table">
        <caption class="visually-hidden">最近のカード決済（新しい順、最大50件）</caption>
        <thead>
          <tr>
            <th scope="col">日時</th>
            <th scope="col">会員・注文</th>
            <th scope="col">金額</th>
            <th scope="col">結果</th>
            <th scope="col">カード</th>
            <th scope="col">3-Dセキュア</th>
            <th scope="col">返金</th>
          </tr>
        </thead>
        <tbody>
          {props.data.payments.map((p) => {
            const status = PAYMENT_STATUS[p.status] ?? { label: p.status, tone: 'neutral' as const };
            return (
              <tr key={p.id}>
                <td>{formatDateTime(p.startedAt)}</td>
                <td>
                  {p.salonName}
                  <div class="muted">注文 {p.orderNumber}</div>
                </td>
                <td>
                  {yen(p.amountYen)}
                  {p.refundedYen > 0 && <div class="muted">返金済み {yen(p.refundedYen)}</div>}
                </td>
                <td>
                  <StatusBadge tone={status.tone}>{status.label}</StatusBadge>
                  {p.failureCode && <div class="muted">{p.failureCode}</div>}
                </td>
                <td>{p.last4 ? `${(p.brand ?? '').toUpperCase()} ••••${p.last4}` : '—'}</td>
                <td>{p.threeDSecure ? (THREE_DS[p.threeDSecure] ?? p.threeDSecure) : '—'}</td>
                <td>{refundableYen(p) > 0 ? <RefundForm base={base} csrfToken={props.csrfToken} payment={p} refundKey={props.refundKey} form={props.form} /> : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}

export function historyActor(row: Pick<KillSwitchHistoryRow, 'actorType' | 'automatic' | 'approvedBy'>): string {
  if (row.actorType === 'system') return '監視（自動）';
  if (row.actorType === 'operator') return row.approvedBy ? '運営（承認）' : '運営';
  return 'ショップ';
}

function KillSwitchSection(props: PaymentsPageProps) {
  const { kill, ownSwitch, history } = props.data;
  const base = `${adminBase(props.shop.slug)}/payments/kill-switch`;
  const form = props.form?.kind === 'kill' ? props.form : undefined;
  return (
    <section class="panel" aria-labelledby="kill-h">
      <h2 id="kill-h">カード決済の緊急停止</h2>
      <p>
        現在:{' '}
        {kill.engaged ? (
          <StatusBadge tone="danger">{kill.scope === 'all' ? '停止中（全ショップ・運営）' : '停止中'}</StatusBadge>
        ) : (
          <StatusBadge tone="ok">受付中</StatusBadge>
        )}
      </p>
      {kill.engaged && (
        <p>
          理由: {kill.reason} <span class="muted">（{formatDateTime(kill.changedAt)}）</span>
        </p>
      )}
      {kill.scope === 'all' && <p class="alert alert--warn">運営が全ショップのカード決済を停止しています。解除は運営が行います。</p>}
      <FormErrors errors={form?.errors} />
      {ownSwitch.engaged && ownSwitch.automatic ? (
        <p class="alert alert--warn" role="note">
          監視による自動停止です。解除には運営者の承認が必要です。
        </p>
      ) : ownSwitch.engaged ? (
        <form method="post" action={`${base}/release`}>
          <CsrfField token={props.csrfToken} />
          <TextArea name="reason" label="再開の理由" required rows={2} idPrefix="release" values={form?.values} errors={form?.errors} hint="再開には再認証が必要です。" />
          <button type="submit" class="button--secondary">
            カード決済を再開する
          </button>
        </form>
      ) : (
        <form method="post" action={`${base}/engage`}>
          <CsrfField token={props.csrfToken} />
          <TextArea name="reason" label="停止の理由" required rows={2} idPrefix="engage" values={form?.values} errors={form?.errors} hint="すぐに停止します。銀行振込・代金引換・掛け払いはそのまま使えます。" />
          <button type="submit" class="button--danger">
            カード決済を今すぐ停止する
          </button>
        </form>
      )}
      <h3>履歴</h3>
      {history.length === 0 ? (
        <EmptyState>停止・再開の記録はまだありません。</EmptyState>
      ) : (
        <TableRegion label="緊急停止の履歴">
          <table>
            <caption class="visually-hidden">緊急停止の履歴（新しい順）</caption>
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">操作</th>
                <th scope="col">対象</th>
                <th scope="col">操作者</th>
                <th scope="col">理由</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={`${h.at.toISOString()}-${h.reason}`}>
                  <td>{formatDateTime(h.at)}</td>
                  <td>{h.engaged ? <StatusBadge tone="danger">{h.automatic ? '自動停止' : '停止'}</StatusBadge> : <StatusBadge tone="ok">再開</StatusBadge>}</td>
                  <td>{h.tenantId ? 'このショップ' : '全ショップ'}</td>
                  <td>{historyActor(h)}</td>
                  <td>{h.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}

/** 決済: provider account, card payments with refunds, and the shop's card kill switch. */
export function PaymentsAdminPage(props: PaymentsPageProps) {
  return (
    <AdminLayout {...props} title="決済" active="payments">
      <Notice>{props.notice && PAYMENTS_NOTICES[props.notice]}</Notice>
      <p class="lead">カード番号は決済サービスのページでだけ入力され、Oroshi には届きません。ここではアカウント設定、カード決済の記録と返金、緊急停止を扱います。</p>
      <KillSwitchSection {...props} />
      <section class="panel" aria-labelledby="card-payments-h">
        <h2 id="card-payments-h">カード決済の記録</h2>
        <PaymentsTable {...props} />
      </section>
      <ProviderSection {...props} />
    </AdminLayout>
  );
}
