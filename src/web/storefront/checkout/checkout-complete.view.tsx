import { deliveryDateLabel, formatYen, PAYMENT_METHOD_LABELS } from '../../../domains/orders/order-format.ts';
import type { BankAccountSetting, PaymentMethod } from '../../../domains/orders/orders.tables.ts';
import type { Tenant } from '../../../platform/db/schema.ts';
import { type MemberNav, ShopLayout } from '../shop-layout.tsx';

export interface CompletedOrder {
  orderNumber: string;
  paymentMethod: PaymentMethod;
  totalInclTax: number;
  transferReference: string | null;
  paymentDueDate: string | null;
  email: string;
}

export function CheckoutCompletePage(props: {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  stylesheetUrl: string;
  nav: MemberNav;
  order: CompletedOrder;
  bank: BankAccountSetting | null;
}) {
  const { order, bank } = props;
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title="ご注文ありがとうございました" stylesheetUrl={props.stylesheetUrl} member={props.nav}>
      <div class="panel">
        <h1>ご注文ありがとうございました</h1>
        <p>
          注文番号 <strong class="mono">{order.orderNumber}</strong>
        </p>
        <p>ご注文内容の確認メールを {order.email} にお送りしました。</p>
        <dl class="legal">
          <dt>お支払い方法</dt>
          <dd>{PAYMENT_METHOD_LABELS[order.paymentMethod]}</dd>
          <dt>お支払い合計（税込）</dt>
          <dd>{formatYen(order.totalInclTax)}</dd>
          {order.paymentMethod === 'bank_transfer' && bank && (
            <>
              <dt>お振込先</dt>
              <dd>
                {bank.bankName} {bank.branchName} {bank.accountType} {bank.accountNumber}
                {'\n'}口座名義 {bank.accountHolder}
              </dd>
              <dt>お振込番号</dt>
              <dd>
                <strong class="mono">{order.transferReference}</strong>（振込依頼人名の前にご入力ください）
              </dd>
              <dt>お振込期限</dt>
              <dd>{deliveryDateLabel(order.paymentDueDate)}まで（期限までにご入金がない場合、ご注文は自動的にキャンセルされます）</dd>
            </>
          )}
          {order.paymentMethod === 'invoice' && order.paymentDueDate && (
            <>
              <dt>お支払期日</dt>
              <dd>{deliveryDateLabel(order.paymentDueDate)}（締め日にまとめてご請求します）</dd>
            </>
          )}
        </dl>
        <p>
          <a class="button button--secondary" href={`${props.base}/`}>
            お買い物を続ける
          </a>
        </p>
      </div>
    </ShopLayout>
  );
}
