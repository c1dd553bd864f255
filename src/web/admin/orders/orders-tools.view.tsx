import type { Receivable } from '../../../domains/receivables/receivables.service.ts';
import type { CarrierCsvIssue } from '../../../domains/shipping/carrier-csv/carrier-shipment.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, Notice, yen } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { AdminLayout, type AdminPageFrame, adminBase } from '../admin-layout.tsx';
import { OrdersTabs } from './orders-list.view.tsx';

/** The carrier's refusals first, then the choice to download the rows that passed. */
export function CarrierExportErrorsPage(props: AdminPageFrame & { carrier: 'yamato' | 'sagawa'; errors: CarrierCsvIssue[]; orderNumbers: string[]; rowCount: number; ids: string[] }) {
  const base = `${adminBase(props.shop.slug)}/orders`;
  return (
    <AdminLayout {...props} title={props.carrier === 'yamato' ? 'ヤマト B2クラウド CSV' : '佐川 e飛伝 CSV'} active="orders">
      <OrdersTabs slug={props.shop.slug} active="list" />
      <div class="alert alert--error" role="alert">
        {props.errors.length}件の問題があり、該当する注文は CSV に含まれません。
      </div>
      <section class="table-wrap" tabindex={0} aria-label="表（横にスクロールできます）">
        <table class="order-table">
          <thead>
            <tr>
              <th scope="col">注文番号</th>
              <th scope="col">項目</th>
              <th scope="col">内容</th>
            </tr>
          </thead>
          <tbody>
            {props.errors.map((e) => (
              <tr key={`${e.row}-${e.field}`}>
                <td class="mono" data-label="注文番号">
                  {props.orderNumbers[e.row]}
                </td>
                <td data-label="項目">{e.field}</td>
                <td data-label="内容">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {props.rowCount > 0 ? (
        <form method="post" action={`${base}/bulk`}>
          <CsrfField token={props.csrfToken} />
          {props.ids.map((id) => (
            <input key={id} type="hidden" name="ids" value={id} />
          ))}
          <input type="hidden" name="force" value="1" />
          <button type="submit" name="action" value={props.carrier} class="button">
            問題のない {props.rowCount} 件だけをダウンロード（CP932）
          </button>
        </form>
      ) : (
        <p>出力できる注文はありません。</p>
      )}
      <p>
        <a href={base}>受注一覧に戻る</a>
      </p>
    </AdminLayout>
  );
}

export function TrackingImportPage(props: AdminPageFrame & { errors?: { line: number; message: string }[]; formError?: string; applied?: { orders: number; shipped: number } }) {
  const base = `${adminBase(props.shop.slug)}/orders/tracking-import`;
  return (
    <AdminLayout {...props} title="送り状番号の取込" active="orders">
      <OrdersTabs slug={props.shop.slug} active="import" />
      <p>B2クラウド・e飛伝で発行した送り状のデータ（お客様管理番号と伝票番号の列）を取り込みます。1行でも問題があれば、何も登録しません。</p>
      {props.applied && (
        <div class="alert alert--ok" role="status">
          {props.applied.orders}件の注文に送り状番号を登録しました（うち出荷完了 {props.applied.shipped}件）。
        </div>
      )}
      {props.formError && (
        <div class="alert alert--error" role="alert">
          {props.formError}
        </div>
      )}
      {props.errors && props.errors.length > 0 && (
        <section aria-labelledby="import-errors">
          <h2 id="import-errors">取り込めませんでした（{props.errors.length}件）</h2>
          <ul class="import-errors">
            {props.errors.map((e) => (
              <li key={`${e.line}-${e.message}`}>
                {e.line > 0 ? `${e.line}行目: ` : ''}
                {e.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <form method="post" action={base} enctype="multipart/form-data" class="panel">
        <CsrfField token={props.csrfToken} />
        <div class="field">
          <label for="ti-file">CSV ファイル（Shift_JIS / UTF-8）</label>
          <input id="ti-file" type="file" name="file" accept=".csv,text/csv" required />
        </div>
        <div class="field">
          <label for="ti-carrier">配送業者（ファイルで判別できない場合）</label>
          <select id="ti-carrier" name="carrier">
            <option value="">ファイルから判別</option>
            <option value="yamato">ヤマト運輸</option>
            <option value="sagawa">佐川急便</option>
          </select>
        </div>
        <button type="submit" class="button">
          取り込む
        </button>
      </form>
    </AdminLayout>
  );
}

export function CarrierSettingsPage(props: AdminPageFrame & { values: FormValues; errors?: FieldErrors; notice?: string }) {
  return (
    <AdminLayout {...props} title="配送業者の契約" active="orders">
      <OrdersTabs slug={props.shop.slug} active="settings" />
      <Notice>{props.notice}</Notice>
      <FormErrors errors={props.errors} />
      <form method="post" action={`${adminBase(props.shop.slug)}/orders/carrier-settings`} class="panel panel--narrow">
        <CsrfField token={props.csrfToken} />
        <Field name="yamatoBillingCustomerCode" label="ヤマト ご請求先顧客コード" hint="10〜12桁の数字" inputMode="numeric" values={props.values} errors={props.errors} />
        <Field name="yamatoBillingClassCode" label="ヤマト ご請求先分類コード" hint="任意・3桁まで" inputMode="numeric" values={props.values} errors={props.errors} />
        <Field name="yamatoFreightManagementNumber" label="ヤマト 運賃管理番号" hint="2桁（通常 01）" inputMode="numeric" values={props.values} errors={props.errors} />
        <Field name="sagawaCustomerCode" label="佐川 お客様コード" hint="任意・12桁まで" inputMode="numeric" values={props.values} errors={props.errors} />
        <button type="submit" class="button">
          保存
        </button>
      </form>
    </AdminLayout>
  );
}

export function ReceivablesPage(props: AdminPageFrame & { rows: Receivable[]; errors?: FieldErrors; values?: FormValues; errorAccount?: string; notice?: string; today: string }) {
  const base = `${adminBase(props.shop.slug)}/receivables`;
  return (
    <AdminLayout {...props} title="売掛金（掛け払い）" active="receivables">
      <OrdersTabs slug={props.shop.slug} active="receivables" />
      <Notice>{props.notice}</Notice>
      <section class="table-wrap" tabindex={0} aria-label="表（横にスクロールできます）">
        <table class="order-table">
          <thead>
            <tr>
              <th scope="col">会員</th>
              <th scope="col">与信限度額</th>
              <th scope="col">未収残高</th>
              <th scope="col">期日超過</th>
              <th scope="col">前回請求</th>
              <th scope="col">入金の記録</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => {
              const mine = props.errorAccount === r.accountId;
              const prefix = `rc-${r.accountId.slice(0, 8)}`;
              return (
                <tr key={r.accountId}>
                  <td data-label="会員">
                    {r.companyName}
                    <span class="muted order-sub">
                      {r.salonName} {r.customerCode}
                    </span>
                  </td>
                  <td class="num" data-label="与信限度額">
                    {yen(r.creditLimitYen)}
                  </td>
                  <td class="num" data-label="未収残高">
                    {yen(r.outstandingYen)}
                    {r.outstandingYen > r.creditLimitYen && <span class="badge badge--danger">限度超過</span>}
                  </td>
                  <td class="num" data-label="期日超過">
                    {r.overdueYen > 0 ? <span class="badge badge--danger">{yen(r.overdueYen)}</span> : '—'}
                  </td>
                  <td data-label="前回請求">{r.lastStatement ? `${r.lastStatement.periodEnd} 締め ${yen(r.lastStatement.amountDue)}（期日 ${r.lastStatement.dueDate}）` : '—'}</td>
                  <td data-label="入金の記録">
                    <form method="post" action={`${base}/${r.accountId}/receipts`} class="order-inline-form">
                      <CsrfField token={props.csrfToken} />
                      <Field name="amountYen" label="入金額" inputMode="numeric" values={mine ? props.values : undefined} errors={mine ? props.errors : undefined} idPrefix={prefix} />
                      <Field name="receivedOn" label="入金日" type="date" values={mine ? props.values : { receivedOn: props.today }} errors={mine ? props.errors : undefined} idPrefix={prefix} />
                      <Field name="note" label="メモ" values={mine ? props.values : undefined} errors={mine ? props.errors : undefined} idPrefix={prefix} />
                      <button type="submit" class="button button--secondary">
                        記録
                      </button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {props.rows.length === 0 && <p class="empty-note">掛け払いの会員はいません。</p>}
    </AdminLayout>
  );
}
