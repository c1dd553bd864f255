import type { ComponentChildren } from 'preact';
import { CsrfField, Layout } from '../../../platform/views/layout.tsx';

/** Staff sign-in, second factor (enrol, verify, manage), step-up and password pages on the staff origin. */

export type FieldErrors = Readonly<Record<string, string>>;

function StaffLayout(props: { title: string; stylesheetUrl: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <Layout title={`${props.title} | Oroshi 管理画面`} brand={{ name: 'Oroshi 管理画面', href: '/admin/sign-in', sub: 'ショップ・運営スタッフ専用' }} stylesheetUrl={props.stylesheetUrl}>
      <div class={props.wide ? 'panel auth-panel auth-panel--wide' : 'panel panel--narrow auth-panel'}>
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </Layout>
  );
}

export function Alert(props: { kind: 'error' | 'ok' | 'info' | 'warn'; children: ComponentChildren }) {
  return (
    <div class={`alert alert--${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

function Field(props: { name: string; label: string; type?: string; value?: string; errors?: FieldErrors; autocomplete?: string; numeric?: boolean; hint?: string; maxLength?: number }) {
  const id = `f-${props.name}`;
  const error = props.errors?.[props.name];
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        <span class="required">必須</span>
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
        required
        autocomplete={props.autocomplete}
        inputMode={props.numeric ? 'numeric' : undefined}
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

function Next(props: { next?: string }) {
  return props.next ? <input type="hidden" name="next" value={props.next} /> : null;
}

interface Base {
  stylesheetUrl: string;
  csrf: string;
}

export function StaffSignInPage(props: Base & { email?: string; next?: string; error?: string; notice?: string }) {
  return (
    <StaffLayout title="スタッフ サインイン" stylesheetUrl={props.stylesheetUrl}>
      {props.notice && <Alert kind="ok">{props.notice}</Alert>}
      {props.error && <Alert kind="error">{props.error}</Alert>}
      <form method="post" action="/admin/sign-in" class="auth-form" novalidate>
        <CsrfField token={props.csrf} />
        <Next next={props.next} />
        <Field name="email" label="メールアドレス" type="email" value={props.email} autocomplete="username" maxLength={254} />
        <Field name="password" label="パスワード" type="password" autocomplete="current-password" maxLength={128} />
        <button type="submit" class="button auth-form__submit">
          サインイン
        </button>
      </form>
      <ul class="auth-links">
        <li>
          <a href="/admin/password/forgot">パスワードをお忘れの方</a>
        </li>
      </ul>
      <p class="muted auth-note">サインイン後、二段階認証（パスキーまたは認証アプリ）が必要です。サインインのたびにご登録のメールアドレスへ通知します。</p>
    </StaffLayout>
  );
}

function PasskeyButton(props: { mode: 'register' | 'authenticate'; purpose?: 'mfa' | 'step-up'; next?: string; label: string; secondary?: boolean }) {
  const base = props.mode === 'register' ? '/admin/mfa/passkey/register' : '/admin/mfa/passkey/authenticate';
  return (
    <div class="passkey">
      <button
        type="button"
        class={props.secondary ? 'button button--secondary' : 'button'}
        data-passkey={props.mode}
        data-options-url={`${base}/options`}
        data-verify-url={`${base}/verify`}
        data-purpose={props.purpose}
        data-next={props.next}
      >
        {props.label}
      </button>
      <p class="field__error passkey__status" data-passkey-status aria-live="polite" />
    </div>
  );
}

export function MfaChallengePage(props: Base & { next?: string; totp: boolean; passkeys: number; error?: string }) {
  return (
    <StaffLayout title="二段階認証" stylesheetUrl={props.stylesheetUrl}>
      <CsrfField token={props.csrf} />
      {props.error && <Alert kind="error">{props.error}</Alert>}
      {props.passkeys > 0 && (
        <section class="auth-section">
          <h2>パスキーで確認</h2>
          <PasskeyButton mode="authenticate" purpose="mfa" next={props.next} label="パスキーを使う" />
        </section>
      )}
      {props.totp && (
        <section class="auth-section">
          <h2>認証アプリの確認コード</h2>
          <form method="post" action="/admin/mfa/verify" class="auth-form" novalidate>
            <CsrfField token={props.csrf} />
            <Next next={props.next} />
            <input type="hidden" name="method" value="totp" />
            <Field name="code" label="確認コード（6桁）" autocomplete="one-time-code" numeric maxLength={8} />
            <button type="submit" class="button auth-form__submit">
              確認する
            </button>
          </form>
        </section>
      )}
      <details class="auth-section">
        <summary>リカバリーコードを使う</summary>
        <form method="post" action="/admin/mfa/verify" class="auth-form" novalidate>
          <CsrfField token={props.csrf} />
          <Next next={props.next} />
          <input type="hidden" name="method" value="recovery" />
          <Field name="code" label="リカバリーコード" autocomplete="off" hint="例: abcde-fghjk（各コードは1回だけ使えます）" maxLength={20} />
          <button type="submit" class="button button--secondary">
            リカバリーコードで確認
          </button>
        </form>
      </details>
      <SignOutForm csrf={props.csrf} />
    </StaffLayout>
  );
}

function SignOutForm(props: { csrf: string }) {
  return (
    <form method="post" action="/admin/sign-out" class="auth-signout">
      <CsrfField token={props.csrf} />
      <button type="submit" class="button button--secondary">
        サインアウト
      </button>
    </form>
  );
}

function TotpSetup(props: { csrf: string; secret: string; uri: string; next?: string; error?: string }) {
  const grouped = props.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <form method="post" action="/admin/mfa/totp/confirm" class="auth-form" novalidate>
      <CsrfField token={props.csrf} />
      <Next next={props.next} />
      <ol class="auth-steps">
        <li>認証アプリ（Google Authenticator、Microsoft Authenticator など）で「セットアップキーを入力」を選びます。</li>
        <li>
          次のキーを入力します（時間ベース）。
          <code class="totp-secret">
            {grouped}
          </code>
          <details>
            <summary>otpauth URI を表示</summary>
            <code class="totp-uri">{props.uri}</code>
          </details>
        </li>
        <li>アプリに表示された6桁のコードを入力します。</li>
      </ol>
      {props.error && <Alert kind="error">{props.error}</Alert>}
      <Field name="code" label="確認コード（6桁）" autocomplete="one-time-code" numeric maxLength={8} />
      <button type="submit" class="button auth-form__submit">
        認証アプリを登録する
      </button>
    </form>
  );
}

export function MfaEnrolPage(props: Base & { secret: string; uri: string; next?: string; error?: string }) {
  return (
    <StaffLayout title="二段階認証の設定" stylesheetUrl={props.stylesheetUrl} wide>
      <Alert kind="warn">管理画面を利用するには、二段階認証の設定が必要です。パスキーまたは認証アプリを登録してください。</Alert>
      <CsrfField token={props.csrf} />
      <section class="auth-section">
        <h2>パスキー（推奨）</h2>
        <p class="muted">この端末の指紋・顔認証・PIN、またはセキュリティキーでサインインできます。</p>
        <PasskeyButton mode="register" label="パスキーを登録する" />
      </section>
      <section class="auth-section">
        <h2>認証アプリ</h2>
        <TotpSetup csrf={props.csrf} secret={props.secret} uri={props.uri} next={props.next} error={props.error} />
      </section>
      <SignOutForm csrf={props.csrf} />
    </StaffLayout>
  );
}

export interface ManageProps extends Base {
  home: string;
  totp: boolean;
  pendingTotp: { secret: string; uri: string } | null;
  passkeys: { id: string; deviceName: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryCodesLeft: number;
  notice?: string;
  error?: string;
}

const day = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium' });

export function MfaManagePage(props: ManageProps) {
  const factors = (props.totp ? 1 : 0) + props.passkeys.length;
  return (
    <StaffLayout title="二段階認証とセキュリティ" stylesheetUrl={props.stylesheetUrl} wide>
      {props.notice && <Alert kind="ok">{props.notice}</Alert>}
      {props.error && <Alert kind="error">{props.error}</Alert>}
      {props.recoveryCodesLeft === 0 && (
        <Alert kind="warn">リカバリーコードがありません。端末を紛失したときのために、リカバリーコードを発行して安全な場所に保管してください。</Alert>
      )}
      <section class="auth-section">
        <h2>パスキー</h2>
        {props.passkeys.length === 0 ? (
          <p class="muted">登録されたパスキーはありません。</p>
        ) : (
          <ul class="factor-list">
            {props.passkeys.map((p) => (
              <li key={p.id}>
                <span>
                  {p.deviceName || 'パスキー'}（登録 {day.format(p.createdAt)}
                  {p.lastUsedAt ? `、最終使用 ${day.format(p.lastUsedAt)}` : ''}）
                </span>
                {factors > 1 && (
                  <form method="post" action={`/admin/mfa/passkeys/${p.id}/remove`}>
                    <CsrfField token={props.csrf} />
                    <button type="submit" class="button button--secondary">
                      削除
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        <PasskeyButton mode="register" label="パスキーを追加する" secondary />
      </section>
      <section class="auth-section">
        <h2>認証アプリ</h2>
        {props.totp ? (
          <div class="factor-list__row">
            <span>登録済み</span>
            {factors > 1 && (
              <form method="post" action="/admin/mfa/totp/remove">
                <CsrfField token={props.csrf} />
                <button type="submit" class="button button--secondary">
                  登録を解除
                </button>
              </form>
            )}
          </div>
        ) : (
          props.pendingTotp && <TotpSetup csrf={props.csrf} secret={props.pendingTotp.secret} uri={props.pendingTotp.uri} />
        )}
      </section>
      <section class="auth-section">
        <h2>リカバリーコード</h2>
        <p>未使用: {props.recoveryCodesLeft} / 10</p>
        <form method="post" action="/admin/mfa/recovery-codes">
          <CsrfField token={props.csrf} />
          <button type="submit" class="button button--secondary">
            {props.recoveryCodesLeft === 0 ? 'リカバリーコードを発行する' : 'リカバリーコードを再発行する'}
          </button>
          {props.recoveryCodesLeft > 0 && <p class="field__hint">再発行すると、今のコードはすべて使えなくなります。</p>}
        </form>
      </section>
      <section class="auth-section">
        <h2>サインイン中の端末</h2>
        <form method="post" action="/admin/sign-out-everywhere">
          <CsrfField token={props.csrf} />
          <button type="submit" class="button button--secondary">
            すべての端末からサインアウト
          </button>
        </form>
      </section>
      <p class="form-actions">
        <a class="button" href={props.home}>
          管理画面へ戻る
        </a>
      </p>
    </StaffLayout>
  );
}

export function RecoveryCodesPage(props: { stylesheetUrl: string; codes: string[]; continueHref: string }) {
  return (
    <StaffLayout title="リカバリーコード" stylesheetUrl={props.stylesheetUrl}>
      <Alert kind="warn">このコードは今回だけ表示されます。印刷するか、パスワード管理ツールなど安全な場所に保管してください。各コードは1回だけ使えます。</Alert>
      <ol class="recovery-codes">
        {props.codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <p>
        <a class="button" href={props.continueHref}>
          保管しました
        </a>
      </p>
    </StaffLayout>
  );
}

export function StepUpPage(props: Base & { next: string; totp: boolean; passkeys: number; error?: string }) {
  return (
    <StaffLayout title="本人確認" stylesheetUrl={props.stylesheetUrl}>
      <p>この操作を続けるには、もう一度本人確認を行ってください。</p>
      {props.error && <Alert kind="error">{props.error}</Alert>}
      <CsrfField token={props.csrf} />
      {props.passkeys > 0 && (
        <section class="auth-section">
          <PasskeyButton mode="authenticate" purpose="step-up" next={props.next} label="パスキーで確認" />
        </section>
      )}
      {props.totp && (
        <form method="post" action="/admin/step-up" class="auth-form auth-section" novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <input type="hidden" name="method" value="totp" />
          <Field name="code" label="認証アプリの確認コード（6桁）" autocomplete="one-time-code" numeric maxLength={8} />
          <button type="submit" class="button auth-form__submit">
            確認する
          </button>
        </form>
      )}
      <form method="post" action="/admin/step-up" class="auth-form auth-section" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <input type="hidden" name="method" value="password" />
        <Field name="password" label="パスワード" type="password" autocomplete="current-password" maxLength={128} />
        <button type="submit" class="button button--secondary">
          パスワードで確認
        </button>
      </form>
    </StaffLayout>
  );
}

export function StaffForgotPage(props: Base & { email?: string; sent?: boolean; error?: string }) {
  return (
    <StaffLayout title="パスワードの再設定" stylesheetUrl={props.stylesheetUrl}>
      {props.sent ? (
        <Alert kind="ok">ご入力のメールアドレスが登録されている場合、再設定用のリンクをお送りしました（有効期限30分）。</Alert>
      ) : (
        <p>ご登録のメールアドレスを入力してください。</p>
      )}
      {props.error && <Alert kind="error">{props.error}</Alert>}
      <form method="post" action="/admin/password/forgot" class="auth-form" novalidate>
        <CsrfField token={props.csrf} />
        <Field name="email" label="メールアドレス" type="email" value={props.email} autocomplete="email" maxLength={254} />
        <button type="submit" class="button auth-form__submit">
          再設定リンクを送る
        </button>
      </form>
      <ul class="auth-links">
        <li>
          <a href="/admin/sign-in">サインインに戻る</a>
        </li>
      </ul>
    </StaffLayout>
  );
}

export function StaffResetPage(props: Base & { token: string; expired?: boolean; errors?: FieldErrors }) {
  return (
    <StaffLayout title="新しいパスワードの設定" stylesheetUrl={props.stylesheetUrl}>
      {props.expired ? (
        <Alert kind="error">このリンクは無効か、有効期限（30分）が切れています。もう一度お手続きください。</Alert>
      ) : (
        <form method="post" action="/admin/password/reset" class="auth-form" novalidate>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="token" value={props.token} />
          <Field
            name="password"
            label="新しいパスワード"
            type="password"
            errors={props.errors}
            autocomplete="new-password"
            hint="10文字以上。メールアドレスやよく使われるパスワードは使えません。"
            maxLength={128}
          />
          <button type="submit" class="button auth-form__submit">
            パスワードを設定する
          </button>
        </form>
      )}
    </StaffLayout>
  );
}
