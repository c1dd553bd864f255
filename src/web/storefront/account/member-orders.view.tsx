import { CARRIER_LABELS, trackingUrl } from '../../../domains/fulfilment/tracking-links.ts';
import { DOCUMENT_KIND_LABELS } from '../../../domains/invoicing/document-store.ts';
import { deliveryDateLabel, formatYen, PAYMENT_METHOD_LABELS, postalLabel, slotLabelOfStoredCode } from '../../../domains/orders/order-format.ts';
import { ORDER_STATUS_LABELS, PAYMENT_STATUS_LABELS } from '../../../domains/orders/order-state.ts';
import type { OrderStatus } from '../../../domains/orders/orders.tables.ts';
import { REFUND_METHOD_LABELS, refundStatusLabel } from '../../../domains/returns/refund.service.ts';
import { RETURN_KIND_LABELS, RETURN_STATUS_LABELS } from '../../../domains/returns/return-request.schema.ts';
import type { Tenant } from '../../../platform/db/schema.ts';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { type MemberNav, ShopLayout } from '../shop-layout.tsx';
import type { MemberOrder, MemberOrderRow } from './member-orders.read.ts';

interface Frame {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  stylesheetUrl: string;
  nav: MemberNav;
  csrfToken: string;
}

const dateTime = (v: Date | string | null) => (v ? new Date(v).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }) : '');

function AccountTabs(props: { base: string; active: 'orders' | 'statements' }) {
  return (
    <nav class="order-tabs" aria-label="ご注文履歴メニュー">
      <a href={`${props.base}/account/orders`} aria-current={props.active === 'orders' ? 'page' : undefined}>
        ご注文履歴
      </a>
      <a href={`${props.base}/account/statements`} aria-current={props.active === 'statements' ? 'page' : undefined}>
        請求書（掛け払い）
      </a>
    </nav>
  );
}

export function MemberOrdersPage(props: Frame & { rows: MemberOrderRow[]; page: number; hasMore: boolean }) {
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title="ご注文履歴" stylesheetUrl={props.stylesheetUrl} member={props.nav}>
      <h1>ご注文履歴</h1>
      <AccountTabs base={props.base} active="orders" />
      {props.rows.length === 0 ? (
        <p class="empty-note">まだご注文はありません。</p>
      ) : (
        <ul class="member-orders">
          {props.rows.map((o) => (
            <li key={o.id} class="card member-order">
              <a href={`${props.base}/account/orders/${o.id}`} class="member-order__link">
                <span class="mono">{o.order_number}</span>
                <span class="badge">{ORDER_STATUS_LABELS[o.status]}</span>
              </a>
              <span class="muted">
                {dateTime(o.placed_at)}
                {o.po_number && ` ・発注番号 ${o.po_number}`}
              </span>
              <span>
                {formatYen(o.total_incl_tax)}（税込）・{PAYMENT_METHOD_LABELS[o.payment_method]}
              </span>
            </li>
          ))}
        </ul>
      )}
      <nav class="pager" aria-label="ページ">
        {props.page > 1 && <a href={`${props.base}/account/orders?page=${props.page - 1}`}>前へ</a>}
        {props.hasMore && <a href={`${props.base}/account/orders?page=${props.page + 1}`}>次へ</a>}
      </nav>
    </ShopLayout>
  );
}

export interface MemberOrderState {
  notice?: string;
  error?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  refused?: string[];
}

const TIMELINE: OrderStatus[] = ['confirmed', 'picking', 'shipped', 'delivered'];

export function MemberOrderPage(props: Frame & MemberOrderState & { detail: MemberOrder; canCancel: boolean }) {
  const { order, lines, events, shipments, returns, documents, returnable, refunds } = props.detail;
  const url = `${props.base}/account/orders/${order.id}`;
  const reached = new Map(events.filter((e) => e.kind === 'status').map((e) => [e.to_state, e.at]));
  const open = returns.some((r) => r.status === 'requested');
  const values = props.values ?? {};
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title={`ご注文 ${order.order_number}`} stylesheetUrl={props.stylesheetUrl} member={props.nav}>
      <p>
        <a href={`${props.base}/account/orders`}>← ご注文履歴</a>
      </p>
      <h1>ご注文 {order.order_number}</h1>
      {props.notice && (
        <p class="alert alert--ok" role="status">
          {props.notice}
        </p>
      )}
      {props.error && (
        <p class="alert alert--error" role="alert">
          {props.error}
        </p>
      )}
      {props.refused && props.refused.length > 0 && (
        <div class="alert alert--warn" role="status">
          <p>次の商品はカートに追加できませんでした。</p>
          <ul>
            {props.refused.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      <section aria-labelledby="status-h">
        <h2 id="status-h">
          状況：<span class="badge">{ORDER_STATUS_LABELS[order.status]}</span>
        </h2>
        <ol class="member-timeline">
          {TIMELINE.map((s) => (
            <li key={s} class={reached.has(s) ? 'is-done' : undefined}>
              {ORDER_STATUS_LABELS[s]}
              {reached.has(s) && <span class="muted"> {dateTime(reached.get(s)!)}</span>}
            </li>
          ))}
          {['cancelled', 'return_requested', 'returned'].filter((s) => reached.has(s)).map((s) => (
            <li key={s} class="is-done">
              {ORDER_STATUS_LABELS[s as OrderStatus]} <span class="muted">{dateTime(reached.get(s)!)}</span>
            </li>
          ))}
        </ol>
        <p>
          お支払い：{PAYMENT_METHOD_LABELS[order.payment_method]}（{PAYMENT_STATUS_LABELS[order.payment_status]}）
          {order.transfer_reference && order.payment_status !== 'paid' && ` ・振込番号 ${order.transfer_reference}`}
        </p>
        <p>
          お届け先：{postalLabel(order.postal_code)} {order.prefecture}
          {order.city}
          {order.address_line1} {order.address_line2} {order.recipient_name} 様
        </p>
        <p>
          お届け希望：{deliveryDateLabel(order.delivery_date ? String(order.delivery_date).slice(0, 10) : null)}・{slotLabelOfStoredCode(order.delivery_slot)}
        </p>
      </section>
      {shipments.length > 0 && (
        <section aria-labelledby="track-h">
          <h2 id="track-h">配送状況</h2>
          <ul>
            {shipments.map((s) => (
              <li key={s.id}>
                {CARRIER_LABELS[s.carrier]}（{dateTime(s.shipped_at)} 出荷）
                {s.tracking_numbers.map((n) => {
                  const link = trackingUrl(s.carrier, n);
                  return (
                    <span key={n} class="order-tracking">
                      {link ? (
                        <a href={link} rel="noopener noreferrer" target="_blank">
                          {n}（配送状況を見る）
                        </a>
                      ) : (
                        n
                      )}
                    </span>
                  );
                })}{' '}
                <a href={`${url}/shipments/${s.id}/slip.pdf`}>納品書（PDF）</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="items-h">
        <h2 id="items-h">ご注文商品</h2>
        <section class="table-wrap" tabindex={0} aria-label="表（横にスクロールできます）">
          <table class="order-table">
            <thead>
              <tr>
                <th scope="col">商品</th>
                <th scope="col">単価（税抜）</th>
                <th scope="col">数量</th>
                <th scope="col">金額（税抜）</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.line_no}>
                  <td data-label="商品">
                    {l.name} {l.capacity}
                    {l.tax_rate === 8 && ' ※軽減8%'}
                  </td>
                  <td class="num" data-label="単価（税抜）">
                    {formatYen(l.unit_price_excl_tax)}
                  </td>
                  <td class="num" data-label="数量">
                    {l.quantity}
                  </td>
                  <td class="num" data-label="金額（税抜）">
                    {formatYen(l.line_total_excl_tax)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <p class="member-order__total">お支払い合計（税込）：{formatYen(order.total_incl_tax)}</p>
        <form method="post" action={`${url}/reorder`}>
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="button">
            同じ内容をカートに入れる
          </button>
        </form>
      </section>
      <section aria-labelledby="docs-h">
        <h2 id="docs-h">書類</h2>
        <ul>
          {order.status !== 'cancelled' && !documents.some((d) => d.kind === 'qualified_invoice') && (
            <li>
              <a href={`${url}/invoice.pdf`}>適格請求書（PDF）を発行してダウンロード</a>
            </li>
          )}
          {documents.map((d) => (
            <li key={d.id}>
              <a href={`${props.base}/account/documents/${d.id}.pdf`}>
                {DOCUMENT_KIND_LABELS[d.kind]} {d.document_number}（PDF）
              </a>
            </li>
          ))}
        </ul>
      </section>
      {(returns.length > 0 || refunds.length > 0) && (
        <section aria-labelledby="req-h">
          <h2 id="req-h">お申し出</h2>
          <ul>
            {returns.map((r) => (
              <li key={r.id}>
                {RETURN_KIND_LABELS[r.kind]}：{RETURN_STATUS_LABELS[r.status]}（{dateTime(r.requested_at)}）{r.decision_note && ` ショップより: ${r.decision_note}`}
              </li>
            ))}
            {refunds.map((f) => (
              <li key={f.id}>
                返金 {f.amount_yen.toLocaleString('ja-JP')}円（{REFUND_METHOD_LABELS[f.method]}）：{refundStatusLabel(f).replace('（再試行できます）', '（ショップが対応中です）')}
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.canCancel && !open && (
        <section aria-labelledby="cancel-h">
          <h2 id="cancel-h">キャンセルの申請</h2>
          <p class="muted">出荷準備の開始前まで申請いただけます。ショップの確認後にキャンセルとなります。</p>
          <form method="post" action={`${url}/cancel`}>
            <CsrfField token={props.csrfToken} />
            <div class="field">
              <label for="cancel-reason">理由</label>
              <textarea id="cancel-reason" name="reason" rows={3} maxLength={1000} required aria-invalid={props.errors?.reason ? 'true' : undefined}>
                {values.reason ?? ''}
              </textarea>
              {props.errors?.reason && <span class="field__error">{props.errors.reason}</span>}
            </div>
            <button type="submit" class="button button--secondary">
              キャンセルを申請する
            </button>
          </form>
        </section>
      )}
      {order.status === 'delivered' && !open && (
        <section aria-labelledby="return-h">
          <h2 id="return-h">返品の申請</h2>
          <form method="post" action={`${url}/return`}>
            <CsrfField token={props.csrfToken} />
            {props.errors?._form && <p class="field__error">{props.errors._form}</p>}
            {lines
              .filter((l) => (returnable.get(l.line_no) ?? 0) > 0)
              .map((l) => (
                <div class="field" key={l.line_no}>
                  <label for={`ret-${l.line_no}`}>
                    {l.name}（返品できる数量 {returnable.get(l.line_no)}）
                  </label>
                  <input id={`ret-${l.line_no}`} name={`qty_${l.line_no}`} inputMode="numeric" value={values[`qty_${l.line_no}`] ?? ''} size={5} aria-invalid={props.errors?.[`qty_${l.line_no}`] ? 'true' : undefined} />
                  {props.errors?.[`qty_${l.line_no}`] && <span class="field__error">{props.errors[`qty_${l.line_no}`]}</span>}
                </div>
              ))}
            <div class="field">
              <label for="return-reason">理由</label>
              <textarea id="return-reason" name="reason" rows={3} maxLength={1000} required aria-invalid={props.errors?.reason ? 'true' : undefined}>
                {values.reason ?? ''}
              </textarea>
              {props.errors?.reason && <span class="field__error">{props.errors.reason}</span>}
            </div>
            <button type="submit" class="button button--secondary">
              返品を申請する
            </button>
          </form>
        </section>
      )}
    </ShopLayout>
  );
}

export function MemberStatementsPage(props: Frame & { rows: { id: string; period_start: string; period_end: string; due_date: string; amount_due: number; document_id: string | null }[] }) {
  const d = (v: unknown) => String(v).slice(0, 10);
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title="請求書（掛け払い）" stylesheetUrl={props.stylesheetUrl} member={props.nav}>
      <h1>請求書（掛け払い）</h1>
      <AccountTabs base={props.base} active="statements" />
      {props.rows.length === 0 ? (
        <p class="empty-note">まだ請求書はありません。</p>
      ) : (
        <section class="table-wrap" tabindex={0} aria-label="表（横にスクロールできます）">
          <table class="order-table">
            <thead>
              <tr>
                <th scope="col">対象期間</th>
                <th scope="col">ご請求額</th>
                <th scope="col">お支払期日</th>
                <th scope="col">PDF</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((s) => (
                <tr key={s.id}>
                  <td data-label="対象期間">
                    {d(s.period_start)} 〜 {d(s.period_end)}
                  </td>
                  <td class="num" data-label="ご請求額">
                    {formatYen(s.amount_due)}
                  </td>
                  <td data-label="お支払期日">{d(s.due_date)}</td>
                  <td data-label="PDF">{s.document_id ? <a href={`${props.base}/account/documents/${s.document_id}.pdf`}>ダウンロード</a> : '作成中'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </ShopLayout>
  );
}
