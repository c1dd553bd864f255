import { formatJapaneseDate } from '../../../domains/calendar/delivery-choice.ts';
import { deliverySlots } from '../../../domains/calendar/delivery-slots.ts';
import type { CartView } from '../../../domains/cart/cart.service.ts';
import type { CheckoutFormValues } from '../../../domains/checkout/checkout.schema.ts';
import type { SalonLocation } from '../../../domains/checkout/checkout.service.ts';
import { postalLabel } from '../../../domains/orders/order-format.ts';
import { PREFECTURES } from '../../../domains/shipping/prefectures.ts';
import type { Tenant } from '../../../platform/db/schema.ts';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { TaxTotals } from '../cart/money.view.tsx';
import { type MemberNav, ShopLayout } from '../shop-layout.tsx';

export interface OfferedMethodView {
  id: string;
  label: string;
  available: boolean;
  reason: string | null;
}

export interface CheckoutFormPageProps {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  stylesheetUrl: string;
  nav: MemberNav;
  csrfToken: string;
  values: CheckoutFormValues;
  errors: Record<string, string>;
  message?: string;
  locations: SalonLocation[];
  dateOptions: string[];
  methods: OfferedMethodView[];
  cart: CartView;
}

function FieldError(props: { id: string; error?: string }) {
  return props.error ? (
    <span class="field__error" id={`${props.id}-error`}>
      {props.error}
    </span>
  ) : null;
}

function TextField(props: { name: string; label: string; values: CheckoutFormValues; errors: Record<string, string>; required?: boolean; max: number; autocomplete?: string; data?: string; type?: string; inputMode?: string }) {
  const id = `checkout-${props.name}`;
  const error = props.errors[props.name];
  const extra: Record<string, string> = props.data ? { [`data-${props.data}`]: '' } : {};
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required && <span class="required">必須</span>}
      </label>
      <input
        id={id}
        type={props.type ?? 'text'}
        name={props.name}
        value={props.values[props.name] ?? ''}
        maxLength={props.max}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode as 'numeric' | undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...extra}
      />
      <FieldError id={id} error={error} />
    </div>
  );
}

export function CheckoutFormPage(props: CheckoutFormPageProps) {
  const { values, errors, base } = props;
  const destination = values.destination || (props.locations.length ? 'location' : 'new');
  const selectedLocation = values.locationId || props.locations[0]?.id || '';
  const errorList = Object.entries(errors).filter(([k]) => k !== '_cart');
  return (
    <ShopLayout tenant={props.tenant} base={base} title="ご注文手続き" stylesheetUrl={props.stylesheetUrl} member={props.nav}>
      <ol class="checkout-steps" aria-label="ご注文の手順">
        <li>カート</li>
        <li aria-current="step">お届け先・お支払い</li>
        <li>ご注文内容の確認</li>
      </ol>
      <h1>お届け先・お支払い方法</h1>
      {(props.message || errors._cart) && (
        <div class="alert alert--error" role="alert">
          <p>{errors._cart ?? props.message}</p>
          {errorList.length > 0 && (
            <ul>
              {errorList.map(([, m]) => (
                <li>{m}</li>
              ))}
            </ul>
          )}
          {errors._cart && <a href={`${base}/cart`}>カートを確認する</a>}
        </div>
      )}
      <form method="post" action={`${base}/checkout`} class="checkout-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <fieldset class="panel">
          <legend>お届け先</legend>
          {props.locations.length > 0 && (
            <label class="choice">
              <input type="radio" name="destination" value="location" checked={destination === 'location'} />
              <span>
                <strong>登録済みのお届け先</strong>
              </span>
            </label>
          )}
          {props.locations.length > 0 && (
            <div class="field">
              <label for="checkout-locationId">登録済みのお届け先</label>
              <select id="checkout-locationId" name="locationId" aria-invalid={errors.locationId ? 'true' : undefined} aria-describedby={errors.locationId ? 'checkout-locationId-error' : undefined}>
                {props.locations.map((l) => (
                  <option value={l.id} selected={selectedLocation === l.id}>
                    {`${l.label}: ${postalLabel(l.postal_code)} ${l.prefecture}${l.city}${l.address_line1} ${l.address_line2}（${l.recipient_name} 様）`}
                  </option>
                ))}
              </select>
              <FieldError id="checkout-locationId" error={errors.locationId} />
            </div>
          )}
          <label class="choice">
            <input type="radio" name="destination" value="new" checked={destination === 'new'} />
            <span>
              <strong>新しいお届け先を入力する</strong>
            </span>
          </label>
          <div class="address-fields" data-postal-scope="">
            <TextField name="recipientName" label="お名前" values={values} errors={errors} required max={100} autocomplete="name" />
            <TextField name="recipientCompany" label="サロン名・会社名" values={values} errors={errors} max={100} autocomplete="organization" />
            <TextField name="postalCode" label="郵便番号" values={values} errors={errors} required max={8} autocomplete="postal-code" data="postal-code" inputMode="numeric" />
            <div class="field">
              <label for="checkout-prefecture">
                都道府県<span class="required">必須</span>
              </label>
              <select id="checkout-prefecture" name="prefecture" data-prefecture="" autocomplete="address-level1" aria-invalid={errors.prefecture ? 'true' : undefined} aria-describedby={errors.prefecture ? 'checkout-prefecture-error' : undefined}>
                <option value="">選択してください</option>
                {PREFECTURES.map((p) => (
                  <option value={p.name} selected={values.prefecture === p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
              <FieldError id="checkout-prefecture" error={errors.prefecture} />
            </div>
            <TextField name="city" label="市区町村" values={values} errors={errors} required max={100} autocomplete="address-level2" data="city" />
            <TextField name="addressLine1" label="町名・番地" values={values} errors={errors} required max={200} autocomplete="address-line1" data="address-line1" />
            <TextField name="addressLine2" label="建物名・部屋番号" values={values} errors={errors} max={200} autocomplete="address-line2" />
            <TextField name="phone" label="電話番号" values={values} errors={errors} required max={20} autocomplete="tel" type="tel" />
          </div>
        </fieldset>

        <fieldset class="panel">
          <legend>お届け日時</legend>
          <div class="field">
            <label for="checkout-deliveryDate">お届け希望日</label>
            <select id="checkout-deliveryDate" name="deliveryDate" aria-invalid={errors.deliveryDate ? 'true' : undefined} aria-describedby={errors.deliveryDate ? 'checkout-deliveryDate-error' : 'checkout-deliveryDate-hint'}>
              <option value="">指定なし（最短でお届け）</option>
              {props.dateOptions.map((d) => (
                <option value={d} selected={values.deliveryDate === d}>
                  {formatJapaneseDate(d)}
                </option>
              ))}
            </select>
            <span class="field__hint" id="checkout-deliveryDate-hint">
              ショップの休業日・祝日を除き、{props.dateOptions[0] ? formatJapaneseDate(props.dateOptions[0]) : '最短日'}以降をお選びいただけます。
            </span>
            <FieldError id="checkout-deliveryDate" error={errors.deliveryDate} />
          </div>
          <div class="field">
            <label for="checkout-deliverySlot">配達時間帯</label>
            <select id="checkout-deliverySlot" name="deliverySlot" aria-invalid={errors.deliverySlot ? 'true' : undefined}>
              <option value="">指定なし</option>
              {deliverySlots.map((s) => (
                <option value={s.code} selected={values.deliverySlot === s.code}>
                  {s.label}
                </option>
              ))}
            </select>
            <FieldError id="checkout-deliverySlot" error={errors.deliverySlot} />
          </div>
        </fieldset>

        <fieldset class="panel">
          <legend>お支払い方法</legend>
          {props.methods.map((m) => (
            <label class={`choice${m.available ? '' : ' choice--disabled'}`}>
              <input type="radio" name="paymentMethod" value={m.id} checked={values.paymentMethod === m.id} disabled={!m.available} />
              <span>
                <strong>{m.label}</strong>
                {!m.available && m.reason && <span class="muted"> — {m.reason}</span>}
              </span>
            </label>
          ))}
          <FieldError id="checkout-paymentMethod" error={errors.paymentMethod} />
        </fieldset>

        <fieldset class="panel">
          <legend>発注番号・備考</legend>
          <TextField name="poNumber" label="発注番号（貴社の管理番号）" values={values} errors={errors} max={50} />
          <div class="field">
            <label for="checkout-notes">備考</label>
            <textarea id="checkout-notes" name="notes" rows={3} maxLength={500} aria-invalid={errors.notes ? 'true' : undefined} aria-describedby={errors.notes ? 'checkout-notes-error' : undefined}>
              {values.notes ?? ''}
            </textarea>
            <FieldError id="checkout-notes" error={errors.notes} />
          </div>
        </fieldset>

        <div class="panel">
          <TaxTotals tax={props.cart.tax} totalLabel="商品合計（税込）" />
          <p class="muted">送料・手数料を含むお支払い合計は、次の確認画面に表示します。</p>
          <button type="submit">ご注文内容の確認へ進む</button>
        </div>
      </form>
    </ShopLayout>
  );
}
