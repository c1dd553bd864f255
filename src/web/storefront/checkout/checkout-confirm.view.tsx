import { formatJapaneseDate } from '../../../domains/calendar/delivery-choice.ts';
import { variantDisplayName } from '../../../domains/cart/variant-snapshot.ts';
import { CHECKOUT_FIELDS, type CheckoutFormValues } from '../../../domains/checkout/checkout.schema.ts';
import type { CheckoutDraft } from '../../../domains/checkout/checkout.service.ts';
import { deliveryDateLabel, formatYen, postalLabel } from '../../../domains/orders/order-format.ts';
import type { Tenant, TenantLegal } from '../../../platform/db/schema.ts';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { TaxTotals, UnitPrice } from '../cart/money.view.tsx';
import { type MemberNav, ShopLayout } from '../shop-layout.tsx';

/**
 * The final confirmation screen (最終確認画面) with every item the 2022 revision of the
 * 特定商取引法 (第12条の6) requires next to the button: what and how many, price and total,
 * payment method and timing, delivery timing, and the cancellation and return terms.
 */
export interface CheckoutConfirmPageProps {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  legal: TenantLegal;
  cancellationTerms: string;
  base: string;
  stylesheetUrl: string;
  nav: MemberNav;
  csrfToken: string;
  draft: CheckoutDraft;
  values: CheckoutFormValues;
  idempotencyKey: string;
  messages: string[];
}

export function CheckoutConfirmPage(props: CheckoutConfirmPageProps) {
  const { draft, base } = props;
  const a = draft.address;
  const extraRows = [
    { label: '商品小計（税抜）', amount: draft.cart.subtotalExclTax },
    { label: draft.shipping.freeShippingApplied && draft.shipping.fee === 0 ? '送料（税抜・無料）' : '送料（税抜）', amount: draft.shipping.fee },
    ...(draft.methodFeeExclTax > 0 ? [{ label: `${draft.method.label} 手数料（税抜）`, amount: draft.methodFeeExclTax }] : []),
  ];
  return (
    <ShopLayout tenant={props.tenant} base={base} title="ご注文内容の確認" stylesheetUrl={props.stylesheetUrl} member={props.nav}>
      <ol class="checkout-steps" aria-label="ご注文の手順">
        <li>カート</li>
        <li>お届け先・お支払い</li>
        <li aria-current="step">ご注文内容の確認</li>
      </ol>
      <h1>ご注文内容の確認</h1>
      <p class="lead">ご注文はまだ確定していません。内容をご確認のうえ、ページ下の「注文を確定する」ボタンを押してください。</p>
      {props.messages.length > 0 && (
        <div class="alert alert--warn" role="alert">
          <p>ご注文の内容が変わりました。最新の内容をご確認ください。</p>
          <ul>
            {props.messages.map((m) => (
              <li>{m}</li>
            ))}
          </ul>
        </div>
      )}

      <section class="panel" aria-labelledby="confirm-items">
        <h2 id="confirm-items">ご注文商品・数量・価格</h2>
        <div class="table-wrap" tabindex={0} role="region" aria-label="ご注文商品の一覧">
          <table class="stack-table">
            <thead>
              <tr>
                <th scope="col">商品</th>
                <th scope="col" class="num">
                  単価
                </th>
                <th scope="col" class="num">
                  数量
                </th>
                <th scope="col" class="num">
                  小計（税抜）
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.cart.lines.map((l) => (
                <tr>
                  <td>
                    {variantDisplayName(l.snapshot)}
                    <div class="muted mono">品番 {l.snapshot.sku}</div>
                    {l.price.taxRate === 8 && <span class="muted">軽減税率8%対象</span>}
                  </td>
                  <td class="num" data-label="単価">
                    <UnitPrice excl={l.price.unitPriceYen} incl={l.price.unitPriceInclTaxYen} />
                  </td>
                  <td class="num" data-label="数量" data-confirm="quantity">
                    {l.quantity}
                  </td>
                  <td class="num" data-label="小計（税抜）">{formatYen(l.lineTotalExclTax)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <TaxTotals tax={draft.tax} rows={extraRows} totalLabel="お支払い合計（税込）" />
      </section>

      <section class="panel" aria-labelledby="confirm-terms">
        <h2 id="confirm-terms">お支払い・お届け・キャンセル</h2>
        <dl class="legal">
          <dt>お支払い方法</dt>
          <dd>{draft.method.label}</dd>
          <dt>お支払い時期</dt>
          <dd>{draft.paymentTiming}</dd>
          <dt>お届け先</dt>
          <dd>
            {postalLabel(a.postalCode)} {a.prefecture}
            {a.city}
            {a.addressLine1} {a.addressLine2}
            {'\n'}
            {a.recipientCompany ? `${a.recipientCompany} ` : ''}
            {a.recipientName} 様 TEL {a.phone}
          </dd>
          <dt>お届け時期</dt>
          <dd>
            {draft.delivery.date
              ? `${deliveryDateLabel(draft.delivery.date)} ${draft.delivery.slot?.label ?? '時間帯指定なし'}にお届け予定`
              : `${formatJapaneseDate(draft.shipDate)}に出荷予定、最短${formatJapaneseDate(draft.delivery.earliest)}のお届け${draft.delivery.slot ? `（${draft.delivery.slot.label}）` : ''}`}
            {draft.method.initial.status === 'pending_payment' ? '（ご入金・決済の確認後に出荷します）' : ''}
            {'\n'}
            {props.legal.delivery_timing}
          </dd>
          <dt>キャンセルについて</dt>
          <dd>{props.cancellationTerms}</dd>
          <dt>返品について</dt>
          <dd>{props.legal.returns}</dd>
          {draft.form.poNumber && (
            <>
              <dt>発注番号</dt>
              <dd>{draft.form.poNumber}</dd>
            </>
          )}
          {draft.form.notes && (
            <>
              <dt>備考</dt>
              <dd>{draft.form.notes}</dd>
            </>
          )}
        </dl>
      </section>

      <div class="panel confirm-actions">
        <form method="post" action={`${base}/checkout/place`}>
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
          <input type="hidden" name="confirmedTotal" value={String(draft.totalInclTax)} />
          {CHECKOUT_FIELDS.map((f) => (
            <input type="hidden" name={f} value={props.values[f] ?? ''} />
          ))}
          <p>
            お支払い合計 <strong class="price">{formatYen(draft.totalInclTax)}</strong>（税込）
          </p>
          <button type="submit" class="button--place">
            注文を確定する
          </button>
        </form>
        <form method="post" action={`${base}/checkout/edit`}>
          <CsrfField token={props.csrfToken} />
          {CHECKOUT_FIELDS.map((f) => (
            <input type="hidden" name={f} value={props.values[f] ?? ''} />
          ))}
          <button type="submit" class="button--secondary">
            お届け先・お支払い方法を変更する
          </button>
        </form>
      </div>
    </ShopLayout>
  );
}
