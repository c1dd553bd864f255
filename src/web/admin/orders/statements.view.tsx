import { SENT_VIA_LABELS, type StatementFilter, type StatementRow } from '../../../domains/receivables/statement-admin.service.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, SelectField, yen } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { AdminLayout, type AdminPageFrame, adminBase } from '../admin-layout.tsx';

/**
 * 月次請求書 (staff): the monthly statements of 掛け払い members by closing month and member, with
 * their PDF, whether they went out (mailed by the closing job, or post/fax/by hand recorded here)
 * and whether they were paid (recorded as a receipt on the ledger).
 */

const STATE_OPTIONS = [
  { value: '', label: 'すべて' },
  { value: 'unsent', label: '未送付' },
  { value: 'unpaid', label: '未入金' },
  { value: 'overdue', label: '期日超過' },
  { value: 'paid', label: '入金済み' },
];

function SentCell(props: { row: StatementRow; base: string; csrfToken: string; errors?: FieldErrors; mine: boolean }) {
  const r = props.row;
  if (r.sentAt) return <span class="badge badge--ok">{`送付済み（${r.sentVia ? SENT_VIA_LABELS[r.sentVia] : ''} ${formatDateTime(r.sentAt)}）`}</span>;
  return (
    <form method="post" action={`${props.base}/${r.id}/sent`} class="order-inline-form">
      <CsrfField token={props.csrfToken} />
      <SelectField
        name="via"
        label="送付方法"
        idPrefix={`sent-${r.id.slice(0, 8)}`}
        options={(['post', 'fax', 'hand', 'mail'] as const).map((v) => ({ value: v, label: SENT_VIA_LABELS[v] }))}
        errors={props.mine ? props.errors : undefined}
      />
      <button type="submit" class="button button--secondary">
        送付済みにする
      </button>
    </form>
  );
}

function PaidCell(props: { row: StatementRow; base: string; csrfToken: string; today: string; errors?: FieldErrors; values?: FormValues; mine: boolean }) {
  const r = props.row;
  if (r.paidAt) return <span class="badge badge--ok">{`入金済み（${formatDateTime(r.paidAt)}）`}</span>;
  const prefix = `paid-${r.id.slice(0, 8)}`;
  const values = props.mine ? props.values : { amountYen: String(Math.max(0, r.amountDue)), receivedOn: props.today };
  return (
    <form method="post" action={`${props.base}/${r.id}/paid`} class="order-inline-form">
      <CsrfField token={props.csrfToken} />
      {r.amountDue > 0 ? (
        <>
          <Field name="amountYen" label="入金額（円）" inputMode="numeric" values={values} errors={props.mine ? props.errors : undefined} idPrefix={prefix} />
          <Field name="receivedOn" label="入金日" type="date" values={values} errors={props.mine ? props.errors : undefined} idPrefix={prefix} />
        </>
      ) : (
        <span class="muted">ご請求額はありません。</span>
      )}
      <button type="submit" class="button button--secondary">
        入金済みにする
      </button>
    </form>
  );
}

export function StatementsPage(
  props: AdminPageFrame & { rows: StatementRow[]; filter: StatementFilter; today: string; notice?: string; error?: string; errors?: FieldErrors; values?: FormValues; errorStatement?: string },
) {
  const base = `${adminBase(props.shop.slug)}/statements`;
  const filterValues = { month: props.filter.month, q: props.filter.q, state: props.filter.state };
  return (
    <AdminLayout {...props} title="月次請求書（掛け払い）" active="statements">
      <Notice>{props.notice}</Notice>
      {props.error && (
        <div class="alert alert--error" role="alert">
          {props.error}
        </div>
      )}
      <FormErrors errors={props.errors} />
      <p class="lead">締め日ごとに自動で作成され、会員のオーナーにメールで届きます。郵送・FAX などで送った場合と、入金があった場合はここで記録します（入金は売掛金の入金として記録されます）。</p>
      <form method="get" action={base} class="order-filters" aria-label="月次請求書の絞り込み">
        <Field name="month" label="締め月" values={filterValues} hint="例: 2025-03" idPrefix="st" />
        <Field name="q" label="会員（会社名・サロン名・顧客コード）" values={filterValues} idPrefix="st" />
        <SelectField name="state" label="状態" options={STATE_OPTIONS} values={filterValues} idPrefix="st" />
        <button type="submit" class="button button--secondary">
          絞り込む
        </button>
      </form>
      <section class="table-wrap" tabindex={0} aria-label="表（横にスクロールできます）">
        <table class="order-table">
          <thead>
            <tr>
              <th scope="col">請求書</th>
              <th scope="col">会員</th>
              <th scope="col">対象期間</th>
              <th scope="col">今回ご請求額</th>
              <th scope="col">支払期日</th>
              <th scope="col">送付</th>
              <th scope="col">入金</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.id}>
                <td data-label="請求書">
                  {r.documentId ? (
                    <a href={`${base}/${r.id}.pdf`}>{r.documentNumber}（PDF）</a>
                  ) : (
                    <form method="post" action={`${base}/${r.id}/pdf`} class="order-inline-form">
                      <CsrfField token={props.csrfToken} />
                      <span class="mono">{r.documentNumber}</span>
                      <button type="submit" class="button button--secondary">
                        PDFを作成
                      </button>
                    </form>
                  )}
                </td>
                <td data-label="会員">
                  {r.companyName}
                  <span class="muted order-sub">
                    {r.salonName} {r.customerCode}
                  </span>
                </td>
                <td data-label="対象期間">
                  {r.periodStart} 〜 {r.periodEnd}
                </td>
                <td class="num" data-label="今回ご請求額">
                  {yen(r.amountDue)}
                  <span class="muted order-sub">
                    前回 {yen(r.previousBalance)} / 入金 {yen(r.paymentsReceived)} / お買上 {yen(r.purchasesInclTax)}
                  </span>
                </td>
                <td data-label="支払期日">
                  {r.dueDate}
                  {r.overdue && <span class="badge badge--danger">期日超過</span>}
                </td>
                <td data-label="送付">
                  <SentCell row={r} base={base} csrfToken={props.csrfToken} errors={props.errors} mine={props.errorStatement === r.id} />
                </td>
                <td data-label="入金">
                  <PaidCell row={r} base={base} csrfToken={props.csrfToken} today={props.today} errors={props.errors} values={props.values} mine={props.errorStatement === r.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {props.rows.length === 0 && <p class="empty-note">該当する請求書はありません。</p>}
    </AdminLayout>
  );
}
