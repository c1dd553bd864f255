import { jstDateTime } from '../../../domains/calendar/calendar-date.ts';
import { CARRIER_LABELS, trackingUrl } from '../../../domains/fulfilment/tracking-links.ts';
import { DOCUMENT_KIND_LABELS } from '../../../domains/invoicing/document-store.ts';
import { deliveryDateLabel, PAYMENT_METHOD_LABELS, postalLabel, slotLabelOfStoredCode } from '../../../domains/orders/order-format.ts';
import { ORDER_STATUS_LABELS, ORDER_TRANSITIONS, PAYMENT_STATUS_LABELS } from '../../../domains/orders/order-state.ts';
import type { OrderStatus } from '../../../domains/orders/orders.tables.ts';
import { RETURN_KIND_LABELS, RETURN_STATUS_LABELS } from '../../../domains/returns/return-request.schema.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, yen } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { AdminLayout, type AdminPageFrame, adminBase } from '../admin-layout.tsx';
import { RefundsSection } from './order-refunds.view.tsx';
import type { OrderDetail } from './orders-admin.read.ts';
import { StatusBadge } from './orders-list.view.tsx';

/** Staff may move an order by hand only along these; shipping and returns have their own forms. */
const MANUAL: Partial<Record<OrderStatus, string>> = { picking: '出荷準備を開始', delivered: '配達完了にする', cancelled: 'キャンセルする' };

export interface DetailState {
  notice?: string;
  error?: string;
  errors?: FieldErrors;
  values?: FormValues;
}

export function OrderDetailPage(props: AdminPageFrame & DetailState & { detail: OrderDetail }) {
  const { order, account, lines, progress, shipments, shipmentLines, payments, events, returns, documents, refunds } = props.detail;
  const base = `${adminBase(props.shop.slug)}/orders/${order.id}`;
  const csrf = <CsrfField token={props.csrfToken} />;
  const next = ORDER_TRANSITIONS[order.status].filter((s) => MANUAL[s]);
  const remaining = progress.filter((p) => p.shipped < p.ordered);
  const canShip = (order.status === 'confirmed' || order.status === 'picking') && remaining.length > 0;
  const values = props.values ?? {};
  return (
    <AdminLayout {...props} title={`受注 ${order.order_number}`} active="orders">
      <p>
        <a href={`${adminBase(props.shop.slug)}/orders`}>← 受注一覧</a>
      </p>
      <Notice>{props.notice}</Notice>
      {props.error && (
        <div class="alert alert--error" role="alert">
          {props.error}
        </div>
      )}
      <FormErrors errors={props.errors} />
      <section class="order-summary" aria-labelledby="summary-h">
        <h2 id="summary-h">概要</h2>
        <dl class="order-facts">
          <div>
            <dt>状態</dt>
            <dd>
              <StatusBadge status={order.status} />
            </dd>
          </div>
          <div>
            <dt>注文日時</dt>
            <dd>{formatDateTime(order.placed_at)}</dd>
          </div>
          <div>
            <dt>会員</dt>
            <dd>
              {account.company_name}（{account.salon_name}）
            </dd>
          </div>
          <div>
            <dt>発注番号</dt>
            <dd>{order.po_number || '—'}</dd>
          </div>
          <div>
            <dt>支払方法</dt>
            <dd>
              {PAYMENT_METHOD_LABELS[order.payment_method]}・{PAYMENT_STATUS_LABELS[order.payment_status]}
              {order.transfer_reference && <span class="muted order-sub">振込番号 {order.transfer_reference}</span>}
              {order.payment_due_date && <span class="muted order-sub">期限 {String(order.payment_due_date).slice(0, 10)}</span>}
            </dd>
          </div>
          <div>
            <dt>お届け先</dt>
            <dd>
              {postalLabel(order.postal_code)} {order.prefecture}
              {order.city}
              {order.address_line1} {order.address_line2}
              <span class="order-sub">
                {order.recipient_company} {order.recipient_name} 様 TEL {order.phone}
              </span>
            </dd>
          </div>
          <div>
            <dt>お届け希望</dt>
            <dd>
              {deliveryDateLabel(order.delivery_date ? String(order.delivery_date).slice(0, 10) : null)}・{slotLabelOfStoredCode(order.delivery_slot)}
            </dd>
          </div>
          {order.notes && (
            <div>
              <dt>備考</dt>
              <dd>{order.notes}</dd>
            </div>
          )}
        </dl>
        {next.length > 0 && (
          <form method="post" action={`${base}/transition`} class="order-transition">
            {csrf}
            <Field name="note" label="メモ（キャンセル理由など・お客様への通知に載ります）" values={values} idPrefix="tr" />
            {next.map((to) => (
              <button key={to} type="submit" name="to" value={to} class={`button ${to === 'cancelled' ? 'button--danger' : 'button--secondary'}`}>
                {MANUAL[to]}
              </button>
            ))}
          </form>
        )}
      </section>

      <section aria-labelledby="lines-h">
        <h2 id="lines-h">明細</h2>
        <section class="table-wrap" tabindex={0} aria-label="表（横にスクロールできます）">
          <table class="order-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">SKU</th>
                <th scope="col">商品</th>
                <th scope="col">単価（税抜）</th>
                <th scope="col">数量</th>
                <th scope="col">出荷済</th>
                <th scope="col">金額（税抜）</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => {
                const p = progress.find((x) => x.lineNo === l.line_no);
                return (
                  <tr key={l.line_no}>
                    <td data-label="#">{l.line_no}</td>
                    <td class="mono" data-label="SKU">
                      {l.sku}
                    </td>
                    <td data-label="商品">
                      {l.name} {l.capacity}
                      {l.tax_rate === 8 && <span class="badge">軽減8%</span>}
                      {l.lot_tracked && <span class="badge badge--pro">ロット管理</span>}
                    </td>
                    <td class="num" data-label="単価（税抜）">
                      {yen(l.unit_price_excl_tax)}
                    </td>
                    <td class="num" data-label="数量">
                      {l.quantity}
                    </td>
                    <td class="num" data-label="出荷済">
                      {p?.shipped ?? 0}
                    </td>
                    <td class="num" data-label="金額（税抜）">
                      {yen(l.line_total_excl_tax)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <dl class="order-totals">
          <div>
            <dt>商品小計（税抜）</dt>
            <dd>{yen(order.subtotal_excl_tax)}</dd>
          </div>
          <div>
            <dt>送料（税抜）</dt>
            <dd>{yen(order.shipping_fee_excl_tax)}</dd>
          </div>
          {order.cod_fee_excl_tax > 0 && (
            <div>
              <dt>代引手数料（税抜）</dt>
              <dd>{yen(order.cod_fee_excl_tax)}</dd>
            </div>
          )}
          <div>
            <dt>10%対象 / 消費税</dt>
            <dd>
              {yen(order.base_10)} / {yen(order.tax_10)}
            </dd>
          </div>
          <div>
            <dt>8%対象 / 消費税</dt>
            <dd>
              {yen(order.base_8)} / {yen(order.tax_8)}
            </dd>
          </div>
          <div>
            <dt>合計（税込）</dt>
            <dd>
              <strong>{yen(order.total_incl_tax)}</strong>
            </dd>
          </div>
        </dl>
      </section>

      {order.payment_method === 'bank_transfer' && order.payment_status !== 'paid' && order.status !== 'cancelled' && (
        <section aria-labelledby="transfer-h">
          <h2 id="transfer-h">銀行振込の入金確認</h2>
          <form method="post" action={`${base}/bank-transfer`} class="order-inline-form">
            {csrf}
            <Field name="amountYen" label="入金額（円）" inputMode="numeric" values={values} errors={props.errors} required idPrefix="bt" />
            <Field name="receivedOn" label="入金日" type="date" values={values} errors={props.errors} required idPrefix="bt" />
            <button type="submit" class="button">
              入金を記録
            </button>
          </form>
        </section>
      )}

      <section aria-labelledby="ship-h">
        <h2 id="ship-h">出荷</h2>
        {shipments.length === 0 && <p class="muted">まだ出荷はありません。</p>}
        {shipments.map((s, index) => (
          <div class="order-shipment" key={s.id}>
            <h3>
              出荷 {index + 1}：{CARRIER_LABELS[s.carrier]}（{formatDateTime(s.shipped_at)}）
            </h3>
            <ul>
              {shipmentLines
                .filter((sl) => sl.shipment_id === s.id)
                .map((sl) => (
                  <li key={`${sl.line_no}-${sl.lot_number}`}>
                    {lines.find((l) => l.line_no === sl.line_no)?.name} × {sl.quantity}
                    {sl.lot_number && <span class="muted"> ロット {sl.lot_number}</span>}
                  </li>
                ))}
            </ul>
            <p>
              お問い合わせ番号：
              {s.tracking_numbers.length === 0
                ? '未登録'
                : s.tracking_numbers.map((n) => {
                    const url = trackingUrl(s.carrier, n);
                    return (
                      <span key={n} class="order-tracking">
                        {url ? (
                          <a href={url} rel="noopener noreferrer" target="_blank">
                            {n}
                          </a>
                        ) : (
                          n
                        )}
                      </span>
                    );
                  })}
            </p>
            <form method="post" action={`${base}/shipments/${s.id}/tracking`} class="order-inline-form">
              {csrf}
              <Field name={`tracking_${s.id}`} label="お問い合わせ番号を追加" values={values} errors={props.errors} hint="複数はスペース区切り" idPrefix="tn" />
              <button type="submit" class="button button--secondary">
                追加
              </button>
            </form>
            <p>
              <a class="button button--secondary" href={`${base}/shipments/${s.id}/slip.pdf`}>
                納品書（PDF）
              </a>
            </p>
          </div>
        ))}
        {canShip && (
          <form method="post" action={`${base}/shipments`} class="order-ship-form">
            {csrf}
            <h3>出荷を登録（分納できます）</h3>
            <div class="field">
              <label for="ship-carrier">配送業者</label>
              <select id="ship-carrier" name="carrier">
                {Object.entries(CARRIER_LABELS).map(([value, label]) => (
                  <option key={value} value={value} selected={values.carrier === value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <Field name="tracking" label="お問い合わせ番号" values={values} errors={props.errors} hint="複数はスペース区切り・後から追加もできます" idPrefix="ship" />
            <section class="table-wrap" tabindex={0} aria-label="表（横にスクロールできます）">
              <table class="order-table">
                <thead>
                  <tr>
                    <th scope="col">商品</th>
                    <th scope="col">残り</th>
                    <th scope="col">今回出荷数</th>
                    <th scope="col">ロット番号</th>
                  </tr>
                </thead>
                <tbody>
                  {remaining.map((p) => {
                    const line = lines.find((l) => l.line_no === p.lineNo)!;
                    const left = p.ordered - p.shipped;
                    return (
                      <tr key={p.lineNo}>
                        <td data-label="商品">{line.name}</td>
                        <td class="num" data-label="残り">
                          {left}
                        </td>
                        <td data-label="今回出荷数">
                          <label class="visually-hidden" for={`ship-qty-${p.lineNo}`}>
                            {line.name} の出荷数
                          </label>
                          <input id={`ship-qty-${p.lineNo}`} name={`qty_${p.lineNo}`} inputMode="numeric" value={values[`qty_${p.lineNo}`] ?? String(left)} size={5} aria-invalid={props.errors?.[`qty_${p.lineNo}`] ? 'true' : undefined} />
                          {props.errors?.[`qty_${p.lineNo}`] && <span class="field__error">{props.errors[`qty_${p.lineNo}`]}</span>}
                        </td>
                        <td data-label="ロット番号">
                          <label class="visually-hidden" for={`ship-lot-${p.lineNo}`}>
                            {line.name} のロット番号{p.lotTracked ? '（必須）' : ''}
                          </label>
                          <input id={`ship-lot-${p.lineNo}`} name={`lot_${p.lineNo}`} value={values[`lot_${p.lineNo}`] ?? ''} size={12} required={p.lotTracked} aria-invalid={props.errors?.[`lot_${p.lineNo}`] ? 'true' : undefined} />
                          {p.lotTracked && <span class="field__hint">必須</span>}
                          {props.errors?.[`lot_${p.lineNo}`] && <span class="field__error">{props.errors[`lot_${p.lineNo}`]}</span>}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
            <button type="submit" class="button">
              出荷を登録してお客様に通知
            </button>
          </form>
        )}
      </section>

      <section aria-labelledby="returns-h">
        <h2 id="returns-h">キャンセル・返品の申請</h2>
        {returns.length === 0 && <p class="muted">申請はありません。</p>}
        {returns.map((r) => (
          <div class="order-return" key={r.id}>
            <h3>
              {RETURN_KIND_LABELS[r.kind]}（{RETURN_STATUS_LABELS[r.status]}）{formatDateTime(r.requested_at)}
            </h3>
            <p>理由：{r.reason}</p>
            {(typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines).map((l: { lineNo: number; quantity: number }) => (
              <p key={l.lineNo}>
                {lines.find((x) => x.line_no === l.lineNo)?.name} × {l.quantity}
              </p>
            ))}
            {r.decision_note && <p>回答：{r.decision_note}</p>}
            {r.kind === 'return' && r.status === 'approved' && !documents.some((d) => d.kind === 'return_invoice' && d.document_number.endsWith(`-${r.id.slice(0, 8).toUpperCase()}`)) && (
              <form method="post" action={`${base}/returns/${r.id}/return-invoice`} class="order-inline-form">
                {csrf}
                <span class="field__error">返還インボイスが未発行です。</span>
                <button type="submit" class="button button--secondary">
                  返還インボイスを発行
                </button>
              </form>
            )}
            {r.status === 'requested' && (
              <form method="post" action={`${base}/returns/${r.id}/decide`} class="order-inline-form">
                {csrf}
                <Field name="note" label="お客様への回答（お断りの場合は必須）" values={values} errors={props.errors} idPrefix={`rd-${r.id.slice(0, 8)}`} />
                {r.kind === 'return' && (
                  <div class="field field--check">
                    <input type="checkbox" id={`restock-${r.id}`} name="restock" value="1" />
                    <label for={`restock-${r.id}`}>返品された商品を在庫に戻す</label>
                  </div>
                )}
                <button type="submit" name="decision" value="approve" class="button">
                  承認する
                </button>
                <button type="submit" name="decision" value="refuse" class="button button--secondary">
                  お断りする
                </button>
              </form>
            )}
          </div>
        ))}
      </section>

      <RefundsSection refunds={refunds} base={base} csrfToken={props.csrfToken} today={jstDateTime(new Date()).date} values={props.values} errors={props.errors} />

      <section aria-labelledby="docs-h">
        <h2 id="docs-h">書類</h2>
        <ul class="order-docs">
          {documents.map((d) => (
            <li key={d.id}>
              <a href={`${base}/documents/${d.id}.pdf`}>
                {DOCUMENT_KIND_LABELS[d.kind]} {d.document_number}
              </a>
              <span class="muted"> 発行 {formatDateTime(d.issued_at)}</span>
            </li>
          ))}
        </ul>
        {order.status !== 'cancelled' && (
          <form method="post" action={`${base}/invoice`} class="order-inline-form">
            {csrf}
            <button type="submit" name="mode" value="issue" class="button button--secondary">
              適格請求書を発行（発行済みなら表示）
            </button>
            {documents.some((d) => d.kind === 'qualified_invoice') && (
              <button type="submit" name="mode" value="correction" class="button button--secondary">
                訂正した請求書を再発行
              </button>
            )}
          </form>
        )}
      </section>

      <section aria-labelledby="pay-h">
        <h2 id="pay-h">お支払い</h2>
        {payments.length === 0 ? (
          <p class="muted">記録はありません。</p>
        ) : (
          <ul>
            {payments.map((p) => (
              <li key={p.id}>
                {formatDateTime(p.started_at)} {PAYMENT_METHOD_LABELS[p.method]} {yen(p.amount_yen)} {p.status}
                {p.card_last4 && ` ****${p.card_last4}`}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="events-h">
        <h2 id="events-h">履歴</h2>
        <ol class="order-timeline">
          {events.map((e) => (
            <li key={e.id}>
              <time>{formatDateTime(e.at)}</time>{' '}
              {e.kind === 'status'
                ? `状態: ${e.from_state ? ORDER_STATUS_LABELS[e.from_state as OrderStatus] : '—'} → ${ORDER_STATUS_LABELS[e.to_state as OrderStatus]}`
                : `入金: ${e.from_state ? PAYMENT_STATUS_LABELS[e.from_state as keyof typeof PAYMENT_STATUS_LABELS] : '—'} → ${PAYMENT_STATUS_LABELS[e.to_state as keyof typeof PAYMENT_STATUS_LABELS]}`}
              <span class="muted">
                {' '}
                （{e.actor_type === 'staff' ? 'スタッフ' : e.actor_type === 'salon_user' ? 'お客様' : e.actor_type === 'system' ? '自動' : e.actor_type}）{e.note}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </AdminLayout>
  );
}
