import { CsrfField } from '../../platform/views/layout.tsx';
import { AddressFields, Field, FormErrors, type FormState, Notice } from './account-form.tsx';
import { AccountLayout } from './account-layout.tsx';

export interface LocationRow {
  id: string;
  label: string;
  recipient_name: string;
  postal_code: string;
  prefecture: string;
  city: string;
  address_line1: string;
  address_line2: string;
  phone: string;
  is_default: boolean;
}

const DONE: Record<string, string> = {
  added: 'お届け先を追加しました。',
  default: 'いつものお届け先を変更しました。',
  archived: 'お届け先を削除しました。',
  updated: 'お届け先を変更しました。',
};

/** The fields of a location, shared by the add and edit forms. */
function LocationFields(props: { form: FormState; idPrefix: string; showDefault: boolean }) {
  return (
    <>
      <Field name="label" label="お届け先の名前" form={props.form} required maxLength={100} hint="例: 渋谷店" idPrefix={props.idPrefix} />
      <Field name="recipient_name" label="受取人" form={props.form} required maxLength={100} autocomplete="name" idPrefix={props.idPrefix} />
      <AddressFields form={props.form} idPrefix={props.idPrefix} />
      <Field name="phone" label="電話番号" form={props.form} type="tel" required autocomplete="tel" inputMode="tel" maxLength={20} idPrefix={props.idPrefix} />
      {props.showDefault && (
        <label class="choice">
          <input type="checkbox" name="is_default" value="yes" checked={props.form.values.is_default === 'yes'} /> いつものお届け先にする
        </label>
      )}
    </>
  );
}

export function LocationsPage(props: { stylesheetUrl: string; csrfToken: string; userName: string; canEdit: boolean; locations: LocationRow[]; form: FormState; done?: string }) {
  return (
    <AccountLayout title="お届け先" section="locations" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>お届け先</h1>
      <p class="lead">サロンの店舗ごとにお届け先を登録できます。どのショップでのご注文にも使えます。</p>
      {props.done && DONE[props.done] && <Notice kind="ok">{DONE[props.done]}</Notice>}
      {props.locations.length === 0 ? (
        <p>お届け先はまだありません。</p>
      ) : (
        <ul class="grid location-list">
          {props.locations.map((l) => (
            <li key={l.id} class="card">
              <p class="card__title">
                {l.label} {l.is_default && <span class="badge badge--ok">いつものお届け先</span>}
              </p>
              <address>
                〒{l.postal_code.slice(0, 3)}-{l.postal_code.slice(3)}
                <br />
                {l.prefecture}
                {l.city}
                {l.address_line1}
                {l.address_line2 && (
                  <>
                    <br />
                    {l.address_line2}
                  </>
                )}
                <br />
                {l.recipient_name} 様 / {l.phone}
              </address>
              {props.canEdit && (
                <div class="card__actions inline-actions">
                  <a class="button button--secondary button--small" href={`/account/locations/${l.id}/edit`} aria-label={`${l.label} を編集`}>
                    編集
                  </a>
                  {!l.is_default && (
                    <form method="post" action={`/account/locations/${l.id}/default`}>
                      <CsrfField token={props.csrfToken} />
                      <button type="submit" class="button--secondary button--small">
                        いつものお届け先にする
                      </button>
                    </form>
                  )}
                  <form method="post" action={`/account/locations/${l.id}/archive`}>
                    <CsrfField token={props.csrfToken} />
                    <button type="submit" class="button--secondary button--small" aria-label={`${l.label} を削除`}>
                      削除
                    </button>
                  </form>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.canEdit && (
        <form method="post" action="/account/locations" class="panel location-form" novalidate>
          <h2>お届け先を追加</h2>
          <CsrfField token={props.csrfToken} />
          <FormErrors form={props.form} />
          <LocationFields form={props.form} idPrefix="loc" showDefault />
          <div class="form-actions">
            <button type="submit">追加する</button>
          </div>
        </form>
      )}
    </AccountLayout>
  );
}

export function LocationEditPage(props: { stylesheetUrl: string; csrfToken: string; userName: string; locationId: string; isDefault: boolean; form: FormState }) {
  return (
    <AccountLayout title="お届け先の編集" section="locations" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>お届け先の編集</h1>
      <p class="lead">変更はこれからのご注文に使われます。ご注文済みの配送先は変わりません。</p>
      <form method="post" action={`/account/locations/${props.locationId}`} class="panel location-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <FormErrors form={props.form} />
        {props.isDefault && <p class="field__hint">このお届け先は「いつものお届け先」です。</p>}
        <LocationFields form={props.form} idPrefix="loc" showDefault={!props.isDefault} />
        <div class="form-actions">
          <button type="submit">変更を保存</button>
          <a class="button button--secondary" href="/account/locations">
            キャンセル
          </a>
        </div>
      </form>
    </AccountLayout>
  );
}
