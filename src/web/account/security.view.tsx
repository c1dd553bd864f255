import { CsrfField } from '../../platform/views/layout.tsx';
import { QrCode } from '../../platform/views/qr-code.tsx';
import { TableRegion } from '../../platform/views/table-region.tsx';
import { EMPTY_FORM, Field, FormErrors, type FormState, Notice } from './account-form.tsx';
import { AccountLayout } from './account-layout.tsx';

/** The salon user's own security page: password, optional two-step sign-in (TOTP), signed-in devices. */

export interface SessionRow {
  id: string;
  current: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  device: string;
  /** The shop a handed-off session is for; undefined on the Oroshi account itself. */
  shopName?: string;
}

export interface SecurityForms {
  password?: FormState;
  totpStart?: FormState;
  totpOff?: FormState;
  codes?: FormState;
}

const DONE: Record<string, string> = {
  password: 'パスワードを変更しました。ほかのすべての端末からサインアウトしました。',
  'totp-on': '二段階認証（認証アプリ）を有効にしました。次回のサインインから確認コードが必要です。',
  'totp-off': '二段階認証（認証アプリ）を無効にしました。',
  session: '選んだ端末からサインアウトしました。',
  others: 'ほかのすべての端末からサインアウトしました。',
  codes: 'リカバリーコードを再発行しました。以前のコードは使えません。',
};

const at = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' });

/** A short, readable name for a browser's User-Agent ("Chrome / Windows"); never the raw string alone. */
export function describeUserAgent(ua: string | null): string {
  if (!ua) return '不明なブラウザ';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : 'ブラウザ';
  const os = /iPhone|iPad/.test(ua) ? 'iOS' : /Android/.test(ua) ? 'Android' : /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'Mac' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} / ${os}` : browser;
}

/** Re-authentication by a current code or the password: two small forms posting to `action`. */
function ReauthForms(props: { action: string; csrfToken: string; form: FormState; idPrefix: string; submit: string; danger?: boolean }) {
  const buttonClass = props.danger ? 'button--danger' : 'button--secondary';
  return (
    <div class="reauth-forms">
      <FormErrors form={props.form} />
      <form method="post" action={props.action} class="inline-reauth" novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="method" value="totp" />
        <Field name="code" label="認証アプリの確認コード（6桁）" form={props.form} autocomplete="one-time-code" inputMode="numeric" maxLength={8} idPrefix={`${props.idPrefix}-code`} />
        <button type="submit" class={buttonClass}>
          {props.submit}
        </button>
      </form>
      <details>
        <summary>確認コードの代わりにパスワードを使う</summary>
        <form method="post" action={props.action} class="inline-reauth" novalidate>
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="method" value="password" />
          <Field name="current_password" label="現在のパスワード" form={props.form} type="password" autocomplete="current-password" maxLength={128} idPrefix={`${props.idPrefix}-pw`} />
          <button type="submit" class={buttonClass}>
            {props.submit}
          </button>
        </form>
      </details>
    </div>
  );
}

export function SecurityPage(props: {
  stylesheetUrl: string;
  csrfToken: string;
  userName: string;
  email: string;
  totpEnabled: boolean;
  totpPending: boolean;
  recoveryCodesLeft: number;
  sessions: SessionRow[];
  forms?: SecurityForms;
  done?: string;
  error?: string;
}) {
  const forms = props.forms ?? {};
  const others = props.sessions.filter((s) => !s.current).length;
  return (
    <AccountLayout title="セキュリティ" section="security" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>セキュリティ</h1>
      <p class="lead">{props.email} のサインインに関する設定です。変更するたびに、このメールアドレスへお知らせします。</p>
      {props.done && DONE[props.done] && <Notice kind="ok">{DONE[props.done]}</Notice>}
      {props.error && <Notice kind="error">{props.error}</Notice>}

      <section class="panel security-section" aria-labelledby="sec-password">
        <h2 id="sec-password">パスワードの変更</h2>
        <form method="post" action="/account/security/password" class="security-form" novalidate>
          <CsrfField token={props.csrfToken} />
          <FormErrors form={forms.password ?? EMPTY_FORM} />
          <Field name="current_password" label="現在のパスワード" form={forms.password ?? EMPTY_FORM} type="password" required autocomplete="current-password" maxLength={128} idPrefix="pw" />
          <Field
            name="new_password"
            label="新しいパスワード"
            form={forms.password ?? EMPTY_FORM}
            type="password"
            required
            autocomplete="new-password"
            hint="10文字以上。メールアドレスやよく使われるパスワードは使えません。"
            maxLength={128}
            idPrefix="pw"
          />
          <Field name="new_password_confirm" label="新しいパスワード（確認）" form={forms.password ?? EMPTY_FORM} type="password" required autocomplete="new-password" maxLength={128} idPrefix="pw" />
          <p class="field__hint">変更すると、この端末以外のすべての端末からサインアウトします。</p>
          <div class="form-actions">
            <button type="submit">パスワードを変更する</button>
          </div>
        </form>
      </section>

      <section class="panel security-section" aria-labelledby="sec-totp">
        <h2 id="sec-totp">二段階認証（認証アプリ）</h2>
        {props.totpEnabled ? (
          <>
            <p>
              <span class="badge badge--ok">有効</span> サインインのとき、パスワードに加えて認証アプリの確認コードを入力します。
            </p>
            <p>未使用のリカバリーコード: {props.recoveryCodesLeft} / 10</p>
            {props.recoveryCodesLeft <= 2 && <Notice kind="warn">リカバリーコードが残りわずかです。再発行して安全な場所に保管してください。</Notice>}
            <h3>リカバリーコードの再発行</h3>
            <p class="field__hint">再発行すると、今のリカバリーコードはすべて使えなくなります。</p>
            <ReauthForms action="/account/security/recovery-codes" csrfToken={props.csrfToken} form={forms.codes ?? EMPTY_FORM} idPrefix="rc" submit="リカバリーコードを再発行" />
            <h3>二段階認証を無効にする</h3>
            <ReauthForms action="/account/security/totp/disable" csrfToken={props.csrfToken} form={forms.totpOff ?? EMPTY_FORM} idPrefix="off" submit="無効にする" danger />
          </>
        ) : (
          <>
            <p>
              <span class="badge">無効</span> 有効にすると、パスワードが漏れても、スマートフォンの認証アプリ（Google Authenticator、Microsoft Authenticator など）の確認コードがなければサインインできません。
            </p>
            {props.totpPending && (
              <p>
                設定の途中です。<a href="/account/security/totp">設定を続ける</a>
              </p>
            )}
            <form method="post" action="/account/security/totp/start" class="security-form" novalidate>
              <CsrfField token={props.csrfToken} />
              <FormErrors form={forms.totpStart ?? EMPTY_FORM} />
              <Field name="current_password" label="現在のパスワード" form={forms.totpStart ?? EMPTY_FORM} type="password" required autocomplete="current-password" maxLength={128} idPrefix="totp" />
              <div class="form-actions">
                <button type="submit">二段階認証を設定する</button>
              </div>
            </form>
          </>
        )}
      </section>

      <section class="panel security-section" aria-labelledby="sec-sessions">
        <h2 id="sec-sessions">サインイン中の端末</h2>
        <p class="lead">心当たりのない端末があれば、サインアウトさせてからパスワードを変更してください。</p>
        <TableRegion label="サインイン中の端末">
          <table class="stack-table">
            <caption class="visually-hidden">サインイン中の端末</caption>
            <thead>
              <tr>
                <th scope="col">端末</th>
                <th scope="col">利用先</th>
                <th scope="col">IPアドレス</th>
                <th scope="col">サインイン</th>
                <th scope="col">最終利用</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.device} {s.current && <span class="badge badge--ok">この端末</span>}
                  </td>
                  <td data-label="利用先">{s.shopName ?? 'Oroshi アカウント'}</td>
                  <td data-label="IPアドレス" class="break">
                    {s.ip ?? '—'}
                  </td>
                  <td data-label="サインイン">{at.format(s.createdAt)}</td>
                  <td data-label="最終利用">{at.format(s.lastSeenAt)}</td>
                  <td>
                    {!s.current && (
                      <form method="post" action={`/account/security/sessions/${s.id}/revoke`} class="inline-form">
                        <CsrfField token={props.csrfToken} />
                        <button type="submit" class="button--secondary button--small" aria-label={`${s.device}（${at.format(s.createdAt)} サインイン）をサインアウト`}>
                          サインアウト
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
        <div class="form-actions inline-actions">
          {others > 0 && (
            <form method="post" action="/account/security/sessions/revoke-others">
              <CsrfField token={props.csrfToken} />
              <button type="submit" class="button--secondary">
                ほかのすべての端末からサインアウト
              </button>
            </form>
          )}
          <form method="post" action="/account/sign-out-everywhere">
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="button--secondary">
              この端末も含めてすべてサインアウト
            </button>
          </form>
        </div>
      </section>
    </AccountLayout>
  );
}

export function TotpSetupPage(props: { stylesheetUrl: string; csrfToken: string; userName: string; secret: string; uri: string; error?: string }) {
  const grouped = props.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <AccountLayout title="二段階認証の設定" section="security" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>二段階認証の設定</h1>
      <section class="panel security-section">
        <ol class="auth-steps">
          <li>スマートフォンに認証アプリ（Google Authenticator、Microsoft Authenticator など）を用意します。</li>
          <li>
            アプリでこのQRコードを読み取ります。
            <QrCode text={props.uri} label="認証アプリ用のQRコード" />
            読み取れない場合は「セットアップキーを入力」を選び、次のキーを入力します（時間ベース）。
            <code class="totp-secret">{grouped}</code>
          </li>
          <li>アプリに表示された6桁の確認コードを入力します。</li>
        </ol>
        <form method="post" action="/account/security/totp/confirm" class="security-form" novalidate>
          <CsrfField token={props.csrfToken} />
          {props.error && <Notice kind="error">{props.error}</Notice>}
          <Field
            name="code"
            label="確認コード（6桁）"
            form={{ values: {}, errors: props.error ? { code: props.error } : {} }}
            required
            autocomplete="one-time-code"
            inputMode="numeric"
            maxLength={8}
            idPrefix="confirm"
          />
          <div class="form-actions">
            <button type="submit">確認して有効にする</button>
            <a class="button button--secondary" href="/account/security">
              やめる
            </a>
          </div>
        </form>
      </section>
    </AccountLayout>
  );
}

export function SalonRecoveryCodesPage(props: { stylesheetUrl: string; userName: string; codes: string[]; continueHref: string }) {
  return (
    <AccountLayout title="リカバリーコード" section="security" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>リカバリーコード</h1>
      <section class="panel security-section">
        <Notice kind="warn">
          このコードは今回だけ表示されます。印刷するか、パスワード管理ツールなど安全な場所に保管してください。スマートフォンをなくしたときは、確認コードの代わりにこのコードでサインインできます（各コード1回限り）。
        </Notice>
        <ol class="recovery-codes">
          {props.codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <p class="form-actions">
          <a class="button" href={props.continueHref}>
            保管しました
          </a>
        </p>
      </section>
    </AccountLayout>
  );
}
