import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type { CardField } from './card-payment.flow.ts';
import type { SandboxLineItem } from './sandbox.store.ts';

/** What the buyer sees of the order: no card data ever comes back into a page. */
export interface OrderSummary {
  sessionId: string;
  shopName: string | null;
  amount: number;
  lineItems: SandboxLineItem[];
  cancelUrl: string | null;
}

const yen = (amount: number) => `¥${amount.toLocaleString('ja-JP')}`;

function Shell(props: { title: string; children: ComponentChildren }) {
  return (
    <html lang="ja">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/pay.css" />
      </head>
      <body>
        <p class="sandbox-banner">
          テスト環境 (Sandbox PSP) — 実際の請求は発生しません / Test mode: no real charge. テストカード 4242 4242 4242 4242
        </p>
        <main class="card">{props.children}</main>
      </body>
    </html>
  );
}

function Order({ order }: { order: OrderSummary }) {
  return (
    <section class="order" aria-label="ご注文内容">
      {order.shopName && (
        <p class="order__shop">
          お支払い先 <span lang="en">(Pay to)</span>: <strong>{order.shopName}</strong>
        </p>
      )}
      <ul class="order__lines">
        {order.lineItems.map((line, i) => (
          <li key={i}>
            <span>
              {line.name} × {line.quantity}
            </span>
            <span>{yen(line.unitAmount * line.quantity)}</span>
          </li>
        ))}
      </ul>
      <p class="order__total">
        お支払い金額 <span lang="en">(Total)</span> <strong data-testid="amount">{yen(order.amount)}</strong>
      </p>
    </section>
  );
}

function CancelLink({ order }: { order: OrderSummary }) {
  if (!order.cancelUrl) return null;
  return (
    <p class="cancel">
      <a href={order.cancelUrl}>
        お支払いをやめてショップに戻る <span lang="en">(Cancel and return)</span>
      </a>
    </p>
  );
}

function Field(props: { id: CardField; label: string; hint: string; error?: string; children: ComponentChildren }) {
  return (
    <div class={props.error ? 'field field--error' : 'field'}>
      <label for={props.id}>
        {props.label} <span lang="en">({props.hint})</span>
      </label>
      {props.children}
      {props.error && (
        <p class="field__error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

export interface PaymentFormProps {
  order: OrderSummary;
  errors?: Partial<Record<CardField, string>>;
  message?: string;
  holderName?: string;
}

export function renderPaymentPage(props: PaymentFormProps): string {
  const errors = props.errors ?? {};
  const described = (field: CardField) => (errors[field] ? `${field}-error` : undefined);
  return `<!doctype html>${render(
    <Shell title="カードでのお支払い | Sandbox PSP">
      <h1>
        カードでのお支払い <span lang="en">(Card payment)</span>
      </h1>
      <Order order={props.order} />
      {props.message && (
        <p class="alert" role="alert" data-testid="decline">
          {props.message}
        </p>
      )}
      <form method="post" action={`/pay/${props.order.sessionId}`} autocomplete="on">
        <Field id="number" label="カード番号" hint="Card number" error={errors.number}>
          <input id="number" name="number" inputMode="numeric" autocomplete="cc-number" required maxLength={23} aria-describedby={described('number')} />
        </Field>
        <div class="row">
          <Field id="expiry" label="有効期限 MM/YY" hint="Expiry" error={errors.expiry}>
            <input id="expiry" name="expiry" inputMode="numeric" autocomplete="cc-exp" placeholder="MM/YY" required maxLength={7} aria-describedby={described('expiry')} />
          </Field>
          <Field id="cvc" label="セキュリティコード" hint="CVC" error={errors.cvc}>
            <input id="cvc" name="cvc" inputMode="numeric" autocomplete="cc-csc" required maxLength={4} aria-describedby={described('cvc')} />
          </Field>
        </div>
        <Field id="name" label="カード名義" hint="Name on card" error={errors.name}>
          <input id="name" name="name" autocomplete="cc-name" required maxLength={100} value={props.holderName ?? ''} aria-describedby={described('name')} />
        </Field>
        <button type="submit">{yen(props.order.amount)} を支払う</button>
      </form>
      <CancelLink order={props.order} />
    </Shell>,
  )}`;
}

export interface ChallengePageProps {
  order: OrderSummary;
  challengeId: string;
  brand: string;
  last4: string;
  message?: string;
}

export function renderChallengePage(props: ChallengePageProps): string {
  return `<!doctype html>${render(
    <Shell title="本人認証 (3-D Secure) | Sandbox PSP">
      <h1>
        カード発行会社による本人認証 <span lang="en">(3-D Secure)</span>
      </h1>
      <p>
        {props.brand.toUpperCase()} •••• {props.last4} で {yen(props.order.amount)} のお支払いを認証します。
      </p>
      <p class="hint">
        テスト用の認証コードは <strong>123456</strong> です <span lang="en">(test code: 123456)</span>
      </p>
      {props.message && (
        <p class="alert" role="alert">
          {props.message}
        </p>
      )}
      <form method="post" action={`/pay/${props.order.sessionId}/3ds/${props.challengeId}`}>
        <div class="field">
          <label for="code">
            認証コード <span lang="en">(Verification code)</span>
          </label>
          <input id="code" name="code" inputMode="numeric" autocomplete="one-time-code" maxLength={6} />
        </div>
        <div class="row">
          <button type="submit" name="action" value="authenticate">
            認証する
          </button>
          <button type="submit" name="action" value="cancel" class="secondary" formNoValidate>
            キャンセル
          </button>
        </div>
      </form>
    </Shell>,
  )}`;
}

export function renderStatusPage(props: { title: string; message: string; link?: { href: string; label: string } }): string {
  return `<!doctype html>${render(
    <Shell title={`${props.title} | Sandbox PSP`}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      {props.link && (
        <p>
          <a href={props.link.href}>{props.link.label}</a>
        </p>
      )}
    </Shell>,
  )}`;
}
