import type { BankAccountSetting } from '../../../domains/orders/orders.tables.ts';
import { REFUND_METHOD_LABELS, type Refund, refundStatusLabel } from '../../../domains/returns/refund.service.ts';
import { Field, type FieldErrors, type FormValues, formatDateTime, yen } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';

/**
 * 返金 on the order page: each refund an approval opened, its state, and what staff do next — send
 * a card refund again after a provider error, or record the transfer of a bank-transfer/COD refund
 * with the member's account (返金待ち → 返金済み). 掛け払い credits need nothing: the next
 * statement nets them off.
 */
export function RefundsSection(props: { refunds: Refund[]; base: string; csrfToken: string; today: string; values?: FormValues; errors?: FieldErrors }) {
  return (
    <section aria-labelledby="refunds-h">
      <h2 id="refunds-h">返金</h2>
      {props.refunds.length === 0 && <p class="muted">返金はありません。返品やお支払い済みのご注文のキャンセルを承認すると、ここに返金が作られます。</p>}
      {props.refunds.map((r) => {
        const suffix = r.id.slice(0, 8);
        const payee = (typeof r.payee_bank === 'string' ? JSON.parse(r.payee_bank) : r.payee_bank) as Partial<BankAccountSetting>;
        const values: Record<string, string | undefined> = { ...props.values };
        values[`paidOn_${suffix}`] ??= props.today;
        values[`accountType_${suffix}`] ??= '普通';
        const fieldName = (name: string) => `${name}_${suffix}`;
        return (
          <div class="order-return" key={r.id}>
            <h3>
              {r.kind === 'return' ? '返品' : 'キャンセル'}の返金 {yen(r.amount_yen)}（{REFUND_METHOD_LABELS[r.method]}）
            </h3>
            <p>
              状態：<strong>{refundStatusLabel(r)}</strong>
              {r.completed_at && <span class="muted"> {formatDateTime(r.completed_at)}</span>}
            </p>
            {r.paid_on && <p>振込日：{String(r.paid_on).slice(0, 10)}</p>}
            {payee.accountNumber && (
              <p>
                返金先：{payee.bankName} {payee.branchName} {payee.accountType} ***{payee.accountNumber.slice(-3)} {payee.accountHolder}
              </p>
            )}
            {r.provider_refund_id && <p class="muted">決済サービスの返金ID：{r.provider_refund_id}</p>}
            {r.note && <p>メモ：{r.note}</p>}
            {r.status === 'failed' && r.last_error && (
              <p class="field__error" role="status">
                前回のエラー：{r.last_error}
              </p>
            )}
            {r.method === 'card' && r.status !== 'completed' && (
              <form method="post" action={`${props.base}/refunds/${r.id}/card`} class="order-inline-form">
                <CsrfField token={props.csrfToken} />
                <button type="submit" class="button">
                  {r.attempts > 0 ? 'カードへの返金を再試行' : 'カードへ返金する'}
                </button>
                <span class="field__hint">同じ返金として決済サービスに送るため、二重に返金されることはありません。</span>
              </form>
            )}
            {(r.method === 'bank_transfer' || r.method === 'cod') && r.status !== 'completed' && (
              <form method="post" action={`${props.base}/refunds/${r.id}/complete`} class="order-ship-form">
                <CsrfField token={props.csrfToken} />
                <h4>お客様の口座へ振り込んだら記録してください</h4>
                <Field name={fieldName('bankName')} label="金融機関名" values={values} errors={props.errors} required idPrefix="rf" />
                <Field name={fieldName('branchName')} label="支店名" values={values} errors={props.errors} required idPrefix="rf" />
                <div class="field">
                  <label for={`rf-${fieldName('accountType')}`}>口座種別</label>
                  <select id={`rf-${fieldName('accountType')}`} name={fieldName('accountType')}>
                    {['普通', '当座'].map((t) => (
                      <option key={t} value={t} selected={values[fieldName('accountType')] === t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </div>
                <Field name={fieldName('accountNumber')} label="口座番号（7桁）" inputMode="numeric" values={values} errors={props.errors} required idPrefix="rf" />
                <Field name={fieldName('accountHolder')} label="口座名義（カナ）" values={values} errors={props.errors} required idPrefix="rf" />
                <Field name={fieldName('paidOn')} label="振込日" type="date" values={values} errors={props.errors} required idPrefix="rf" />
                <Field name={fieldName('note')} label="メモ" values={values} errors={props.errors} idPrefix="rf" />
                <button type="submit" class="button">
                  返金済みにする
                </button>
              </form>
            )}
          </div>
        );
      })}
    </section>
  );
}
