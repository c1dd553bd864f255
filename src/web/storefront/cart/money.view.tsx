import { formatYen } from '../../../domains/orders/order-format.ts';
import type { InvoiceTax } from '../../../domains/tax/invoice-tax.ts';

/** Tax excluded with tax included beside it, as Japanese B2B buyers read prices. */
export function UnitPrice(props: { excl: number; incl: number }) {
  return (
    <span class="price">
      {formatYen(props.excl)}
      <span class="price__incl">（税込 {formatYen(props.incl)}）</span>
    </span>
  );
}

/** Per-rate bases and taxes (rounded once per rate), then the total. */
export function TaxTotals(props: { tax: InvoiceTax; rows?: { label: string; amount: number }[]; totalLabel?: string }) {
  return (
    <dl class="totals">
      {(props.rows ?? []).map((r) => (
        <>
          <dt>{r.label}</dt>
          <dd>{formatYen(r.amount)}</dd>
        </>
      ))}
      {props.tax.perRate.map((r) => (
        <>
          <dt>
            {r.rate}%対象（税抜）{r.rate === 8 && <span class="muted">※軽減税率</span>}
          </dt>
          <dd>{formatYen(r.base)}</dd>
          <dt>消費税（{r.rate}%）</dt>
          <dd>{formatYen(r.tax)}</dd>
        </>
      ))}
      <dt class="totals__grand">{props.totalLabel ?? '合計（税込）'}</dt>
      <dd class="totals__grand">{formatYen(props.tax.total)}</dd>
    </dl>
  );
}
