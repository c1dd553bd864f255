import type { Tenant } from '../../../platform/db/schema.ts';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { ShopLayout } from '../shop-layout.tsx';

export interface PaymentStepProps {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  stylesheetUrl: string;
  csrfToken: string;
  order: { id: string; orderNumber: string; totalInclTax: number; paymentStatus: string; status: string };
  payable: boolean;
  cardStopped: string | null;
  message: string | null;
  providerOrigin: string | null;
}

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;

/**
 * The payment step. It holds no card field and no provider frame: the button posts to Oroshi,
 * which opens a session at the provider and redirects the buyer to the provider's own page.
 */
export function PaymentStepPage(props: PaymentStepProps) {
  const { order } = props;
  const action = `${props.base}/payment/${order.id}`;
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title="お支払い" stylesheetUrl={props.stylesheetUrl}>
      <section class="panel panel--narrow payment-step">
        <h1>お支払い</h1>
        <dl class="legal">
          <dt>ご注文番号</dt>
          <dd>{order.orderNumber}</dd>
          <dt>お支払い金額（税込）</dt>
          <dd>{yen(order.totalInclTax)}</dd>
        </dl>
        {props.message && (
          <p class="alert alert--error" role="alert">
            {props.message}
          </p>
        )}
        {props.cardStopped && (
          <p class="alert alert--warn" role="status">
            {props.cardStopped}
          </p>
        )}
        {props.payable && !props.cardStopped && (
          <form method="post" action={action}>
            <CsrfField token={props.csrfToken} />
            <p>「カード決済へ進む」を押すと、決済代行会社のお支払いページ（{props.providerOrigin}）へ移動します。カード番号はこのショップには送信されず、決済代行会社のページでのみ入力します。本人認証（3Dセキュア）があります。</p>
            <button type="submit" class="button">
              カード決済へ進む
            </button>
          </form>
        )}
        {!props.payable && (
          <p class="alert alert--info" role="status">
            このご注文はお支払い済みか、お支払いを受け付けられない状態です（{order.status} / {order.paymentStatus}）。
          </p>
        )}
        {props.payable && (
          <form method="post" action={`${action}/cancel`} class="payment-step__cancel">
            <CsrfField token={props.csrfToken} />
            <p class="muted">お支払いをやめる場合は、ご注文をキャンセルできます（在庫の確保を解除します）。</p>
            <button type="submit" class="button button--secondary">
              このご注文をキャンセルする
            </button>
          </form>
        )}
      </section>
    </ShopLayout>
  );
}

export function PaymentResultPage(props: { tenant: PaymentStepProps['tenant']; base: string; stylesheetUrl: string; tone: 'ok' | 'error' | 'info'; title: string; message: string; orderId: string | null }) {
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title={props.title} stylesheetUrl={props.stylesheetUrl}>
      <section class="panel panel--narrow">
        <h1>{props.title}</h1>
        <p class={`alert alert--${props.tone}`} role="status">
          {props.message}
        </p>
        <p>
          {/* Paid: the next thing a buyer wants is the order itself; otherwise another try at paying. */}
          {props.orderId &&
            (props.tone === 'ok' ? <a href={`${props.base}/account/orders/${props.orderId}`}>ご注文の詳細を見る</a> : <a href={`${props.base}/payment/${props.orderId}`}>お支払い画面へ戻る</a>)}{' '}
          <a href={`${props.base}/`}>ショップのトップへ</a>
        </p>
      </section>
    </ShopLayout>
  );
}
