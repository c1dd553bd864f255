import { PAYMENT_METHOD_LABELS } from '../../../domains/orders/order-format.ts';
import { ORDER_STATUS_LABELS, PAYMENT_STATUS_LABELS } from '../../../domains/orders/order-state.ts';
import { Field, formatDateTime, Notice, SelectField, yen } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { AdminLayout, type AdminPageFrame, adminBase } from '../admin-layout.tsx';
import type { OrderFilter, OrderListRow } from './orders-admin.read.ts';

const STATUS_BADGE: Record<string, string> = {
  pending_payment: 'badge--warn',
  confirmed: 'badge--ok',
  picking: 'badge--ok',
  shipped: 'badge--neutral',
  delivered: 'badge--neutral',
  cancelled: 'badge--danger',
  return_requested: 'badge--warn',
  returned: 'badge--neutral',
};

export function StatusBadge(props: { status: keyof typeof ORDER_STATUS_LABELS }) {
  return <span class={`badge ${STATUS_BADGE[props.status] ?? ''}`}>{ORDER_STATUS_LABELS[props.status]}</span>;
}

export function OrdersTabs(props: { slug: string; active: 'list' | 'import' | 'settings' | 'receivables' }) {
  const base = `${adminBase(props.slug)}/orders`;
  const tabs = [
    { id: 'list', label: '受注一覧', href: base },
    { id: 'import', label: '送り状番号の取込', href: `${base}/tracking-import` },
    { id: 'settings', label: '配送業者の契約', href: `${base}/carrier-settings` },
    { id: 'receivables', label: '売掛金', href: `${adminBase(props.slug)}/receivables` },
  ];
  return (
    <nav class="order-tabs" aria-label="受注メニュー">
      {tabs.map((t) => (
        <a key={t.id} href={t.href} aria-current={t.id === props.active ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}

export function OrdersListPage(props: AdminPageFrame & { rows: OrderListRow[]; total: number; pages: number; filter: OrderFilter; notice?: string }) {
  const base = `${adminBase(props.shop.slug)}/orders`;
  const values = { ...props.filter, page: undefined } as Record<string, string | undefined>;
  const qs = (page: number) => {
    const p = new URLSearchParams(Object.entries(values).filter(([, v]) => v) as [string, string][]);
    p.set('page', String(page));
    return `${base}?${p}`;
  };
  return (
    <AdminLayout {...props} title="受注" active="orders">
      <OrdersTabs slug={props.shop.slug} active="list" />
      <Notice>{props.notice}</Notice>
      <form method="get" action={base} class="order-filters" aria-label="注文の絞り込み">
        <Field name="q" label="キーワード" values={values} hint="注文番号・発注番号・サロン名" idPrefix="filter" />
        <SelectField name="status" label="状態" values={values} idPrefix="filter" placeholder="すべて" options={Object.entries(ORDER_STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
        <SelectField name="payment" label="入金" values={values} idPrefix="filter" placeholder="すべて" options={Object.entries(PAYMENT_STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
        <Field name="from" label="注文日（から）" type="date" values={values} idPrefix="filter" />
        <Field name="to" label="注文日（まで）" type="date" values={values} idPrefix="filter" />
        <Field name="member" label="会員" values={values} hint="会社名・サロン名" idPrefix="filter" />
        <Field name="po" label="発注番号" values={values} idPrefix="filter" />
        <button type="submit" class="button button--secondary">
          絞り込む
        </button>
      </form>
      <form method="post" action={`${base}/bulk`} class="order-bulk">
        <CsrfField token={props.csrfToken} />
        <p class="listing__count">{props.total.toLocaleString('ja-JP')}件</p>
        <section class="table-wrap" tabindex={0} aria-label="表（横にスクロールできます）">
          <table class="order-table">
            <caption class="visually-hidden">受注一覧（チェックした注文を出力できます）</caption>
            <thead>
              <tr>
                <th scope="col">選択</th>
                <th scope="col">注文番号</th>
                <th scope="col">注文日時</th>
                <th scope="col">会員</th>
                <th scope="col">発注番号</th>
                <th scope="col">状態</th>
                <th scope="col">支払方法・入金</th>
                <th scope="col">合計（税込）</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => (
                <tr key={r.id}>
                  <td data-label="選択">
                    <input type="checkbox" name="ids" value={r.id} id={`sel-${r.id}`} aria-label={`${r.order_number} を選択`} />
                  </td>
                  <td class="mono" data-label="注文番号">
                    <a href={`${base}/${r.id}`}>{r.order_number}</a>
                  </td>
                  <td data-label="注文日時">{formatDateTime(r.placed_at)}</td>
                  <td data-label="会員">{r.salon_name}</td>
                  <td data-label="発注番号">{r.po_number}</td>
                  <td data-label="状態">
                    <StatusBadge status={r.status} />
                  </td>
                  <td data-label="支払方法・入金">
                    {PAYMENT_METHOD_LABELS[r.payment_method]}
                    <span class="muted order-sub">{PAYMENT_STATUS_LABELS[r.payment_status]}</span>
                  </td>
                  <td class="num" data-label="合計（税込）">
                    {yen(r.total_incl_tax)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {props.rows.length === 0 && <p class="empty-note">該当する注文はありません。</p>}
        <fieldset class="order-actions">
          <legend>チェックした注文（未選択なら出荷待ちの全注文）</legend>
          <button type="submit" name="action" value="yamato" class="button button--secondary">
            ヤマト B2クラウド CSV
          </button>
          <button type="submit" name="action" value="sagawa" class="button button--secondary">
            佐川 e飛伝 CSV
          </button>
          <button type="submit" name="action" value="picking" class="button button--secondary">
            ピッキングリスト（PDF）
          </button>
        </fieldset>
      </form>
      {props.pages > 1 && (
        <nav class="pager" aria-label="ページ">
          {Array.from({ length: Math.min(props.pages, 20) }, (_, i) => i + 1).map((n) => (
            <a key={n} href={qs(n)} aria-current={n === (props.filter.page ?? 1) ? 'page' : undefined}>
              {n}
            </a>
          ))}
        </nav>
      )}
    </AdminLayout>
  );
}
