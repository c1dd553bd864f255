import type { ComponentChildren } from 'preact';
import { CsrfField, Layout } from '../../../platform/views/layout.tsx';

/** Salon sign-in, sign-up and password pages on the platform origin: one watched login page for every shop. */

export interface AuthPageBase {
  stylesheetUrl: string;
  csrf: string;
}

export type FieldErrors = Readonly<Record<string, string>>;

function AuthLayout(props: { title: string; stylesheetUrl: string; children: ComponentChildren }) {
  return (
    <Layout title={`${props.title} | Oroshi`} brand={{ name: 'Oroshi', href: '/', sub: '美容サロン専用 会員制卸プラットフォーム' }} stylesheetUrl={props.stylesheetUrl}>
      <div class="panel panel--narrow auth-panel">
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </Layout>
  );
}

export function Field(props: {
  name: string;
  label: string;
  type?: string;
  value?: string;
  errors?: FieldErrors;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  inputmode?: 'numeric' | 'text' | 'tel' | 'email';
  maxLength?: number;
}) {
  const id = `f-${props.name}`;
  const error = props.errors?.[props.name];
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required && <span class="required">必須</span>}
      </label>
      {props.hint && (
        <span class="field__hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        inputMode={props.inputmode}
        maxLength={props.maxLength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
      />
      {error && (
        <span class="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function Alert(props: { kind: 'error' | 'ok' | 'info' | 'warn'; children: ComponentChildren }) {
  return (
    <div class={`alert alert--${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

function Hidden(props: { name: string; value?: string }) {
  return props.value ? <input type="hidden" name={props.name} value={props.value} /> : null;
}

export interface SignInProps extends AuthPageBase {
  email?: string;
  shop?: string;
  shopName?: string;
  next?: string;
  error?: string;
  notice?: string;
  errors?: FieldErrors;
}

export function SignInPage(props: SignInProps) {
  const q = new URLSearchParams();
  if (props.shop) q.set('shop', props.shop);
  if (props.next) q.set('next', props.next);
  const qs = q.toString() ? `?${q}` : '';
  return (
    <AuthLayout title="サインイン" stylesheetUrl={props.stylesheetUrl}>
      {props.shopName && <p class="lead">{props.shopName} をご利用いただくには、Oroshi アカウントでサインインしてください。</p>}
      {props.notice && <Alert kind="ok">{props.notice}</Alert>}
      {props.error && <Alert kind="error">{props.error}</Alert>}
      <form method="post" action={`/account/sign-in${qs}`} class="auth-form" novalidate>
        <CsrfField token={props.csrf} />
        <Hidden name="shop" value={props.shop} />
        <Hidden name="next" value={props.next} />
        <Field name="email" label="メールアドレス" type="email" value={props.email} errors={props.errors} required autocomplete="username" maxLength={254} />
        <Field name="password" label="パスワード" type="password" errors={props.errors} required autocomplete="current-password" maxLength={128} />
        <button type="submit" class="button auth-form__submit">
          サインイン
        </button>
      </form>
      <ul class="auth-links">
        <li>
          <a href="/account/password/forgot">パスワードをお忘れの方</a>
        </li>
        <li>
          <a href={`/account/sign-up${qs}`}>はじめての方（サロン新規登録）</a>
        </li>
      </ul>
      <p class="muted auth-note">このページは Oroshi のすべてのショップ共通のサインインページです。アドレスが {'https://'}… で始まる Oroshi の正規ドメインであることをご確認ください。</p>
    </AuthLayout>
  );
}

export function SalonTotpPage(props: AuthPageBase & { pendingToken: string; shop?: string; next?: string; error?: string }) {
  return (
    <AuthLayout title="確認コードの入力" stylesheetUrl={props.stylesheetUrl}>
      <p>認証アプリに表示されている6桁の確認コードを入力してください。端末をお持ちでない場合は、リカバリーコードも使えます（各コード1回限り）。</p>
      {props.error && <Alert kind="error">{props.error}</Alert>}
      <form method="post" action="/account/sign-in/totp" class="auth-form" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="pending" value={props.pendingToken} />
        <Hidden name="shop" value={props.shop} />
        <Hidden name="next" value={props.next} />
        <Field name="code" label="確認コード（6桁）またはリカバリーコード" autocomplete="one-time-code" required maxLength={20} />
        <button type="submit" class="button auth-form__submit">
          確認する
        </button>
      </form>
    </AuthLayout>
  );
}

export interface SignUpValues {
  email?: string;
  displayName?: string;
  businessType?: string;
  companyName?: string;
  salonName?: string;
  representativeName?: string;
  postalCode?: string;
  prefecture?: string;
  city?: string;
  addressLine1?: string;
  addressLine2?: string;
  phone?: string;
}

export function SignUpPage(props: AuthPageBase & { values: SignUpValues; errors?: FieldErrors; error?: string; shop?: string; next?: string }) {
  const v = props.values;
  const e = props.errors;
  return (
    <AuthLayout title="サロン新規登録" stylesheetUrl={props.stylesheetUrl}>
      <p class="muted">登録は無料です。ひとつのアカウントで、Oroshi の各ショップへ会員申請できます。</p>
      {props.error && <Alert kind="error">{props.error}</Alert>}
      <form method="post" action="/account/sign-up" class="auth-form" novalidate>
        <CsrfField token={props.csrf} />
        <Hidden name="shop" value={props.shop} />
        <Hidden name="next" value={props.next} />
        <fieldset>
          <legend>ログイン情報</legend>
          <Field name="email" label="メールアドレス" type="email" value={v.email} errors={e} required autocomplete="email" maxLength={254} />
          <Field
            name="password"
            label="パスワード"
            type="password"
            errors={e}
            required
            autocomplete="new-password"
            hint="10文字以上。メールアドレスやよく使われるパスワードは使えません。"
            maxLength={128}
          />
          <Field name="displayName" label="お名前（ご担当者）" value={v.displayName} errors={e} required autocomplete="name" maxLength={100} />
        </fieldset>
        <fieldset>
          <legend>サロン（事業者）情報</legend>
          <div class="field">
            <label for="f-businessType">
              事業形態<span class="required">必須</span>
            </label>
            <select id="f-businessType" name="businessType" aria-invalid={e?.businessType ? 'true' : undefined}>
              <option value="corporation" selected={v.businessType !== 'sole_proprietor'}>
                法人
              </option>
              <option value="sole_proprietor" selected={v.businessType === 'sole_proprietor'}>
                個人事業主
              </option>
            </select>
          </div>
          <Field name="companyName" label="会社名・屋号" value={v.companyName} errors={e} required autocomplete="organization" maxLength={200} />
          <Field name="salonName" label="サロン名" value={v.salonName} errors={e} required maxLength={200} />
          <Field name="representativeName" label="代表者名" value={v.representativeName} errors={e} required maxLength={100} />
          <Field name="postalCode" label="郵便番号" value={v.postalCode} errors={e} required inputmode="numeric" autocomplete="postal-code" hint="例: 1500001" maxLength={8} />
          <Field name="prefecture" label="都道府県" value={v.prefecture} errors={e} required autocomplete="address-level1" maxLength={10} />
          <Field name="city" label="市区町村" value={v.city} errors={e} required autocomplete="address-level2" maxLength={100} />
          <Field name="addressLine1" label="町名・番地" value={v.addressLine1} errors={e} required autocomplete="address-line1" maxLength={200} />
          <Field name="addressLine2" label="建物名・部屋番号" value={v.addressLine2} errors={e} autocomplete="address-line2" maxLength={200} />
          <Field name="phone" label="電話番号" type="tel" value={v.phone} errors={e} required autocomplete="tel" maxLength={20} />
        </fieldset>
        <button type="submit" class="button auth-form__submit">
          登録する
        </button>
      </form>
      <ul class="auth-links">
        <li>
          <a href="/account/sign-in">すでにアカウントをお持ちの方はサインイン</a>
        </li>
      </ul>
    </AuthLayout>
  );
}

export function ForgotPasswordPage(props: AuthPageBase & { action: string; email?: string; errors?: FieldErrors; sent?: boolean; error?: string; signInHref: string }) {
  return (
    <AuthLayout title="パスワードの再設定" stylesheetUrl={props.stylesheetUrl}>
      {props.sent ? (
        <Alert kind="ok">
          ご入力のメールアドレスが登録されている場合、パスワード再設定用のリンクをお送りしました。リンクの有効期限は30分です。
        </Alert>
      ) : (
        <p>ご登録のメールアドレスを入力してください。パスワード再設定用のリンクをお送りします。</p>
      )}
      {props.error && <Alert kind="error">{props.error}</Alert>}
      <form method="post" action={props.action} class="auth-form" novalidate>
        <CsrfField token={props.csrf} />
        <Field name="email" label="メールアドレス" type="email" value={props.email} errors={props.errors} required autocomplete="email" maxLength={254} />
        <button type="submit" class="button auth-form__submit">
          再設定リンクを送る
        </button>
      </form>
      <ul class="auth-links">
        <li>
          <a href={props.signInHref}>サインインに戻る</a>
        </li>
      </ul>
    </AuthLayout>
  );
}

export function ResetPasswordPage(props: AuthPageBase & { action: string; token: string; errors?: FieldErrors; expired?: boolean; forgotHref: string }) {
  return (
    <AuthLayout title="新しいパスワードの設定" stylesheetUrl={props.stylesheetUrl}>
      {props.expired ? (
        <>
          <Alert kind="error">このリンクは無効か、有効期限（30分）が切れています。もう一度お手続きください。</Alert>
          <p>
            <a class="button" href={props.forgotHref}>
              再設定リンクを再送する
            </a>
          </p>
        </>
      ) : (
        <form method="post" action={props.action} class="auth-form" novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="token" value={props.token} />
          <Field
            name="password"
            label="新しいパスワード"
            type="password"
            errors={props.errors}
            required
            autocomplete="new-password"
            hint="10文字以上。メールアドレスやよく使われるパスワードは使えません。"
            maxLength={128}
          />
          <button type="submit" class="button auth-form__submit">
            パスワードを設定する
          </button>
        </form>
      )}
    </AuthLayout>
  );
}

export function AuthMessagePage(props: { stylesheetUrl: string; title: string; kind: 'ok' | 'error' | 'info'; message: string; link: { href: string; label: string } }) {
  return (
    <AuthLayout title={props.title} stylesheetUrl={props.stylesheetUrl}>
      <Alert kind={props.kind}>{props.message}</Alert>
      <p>
        <a class="button" href={props.link.href}>
          {props.link.label}
        </a>
      </p>
    </AuthLayout>
  );
}
