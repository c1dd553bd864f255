import type { MembershipStatus } from '../../domains/accounts/accounts.tables.ts';
import { CONSENT_TEXT, type InvitationPreview, MEMBERSHIP_LABELS, type ShopStanding } from '../../domains/accounts/membership.service.ts';
import { CsrfField } from '../../platform/views/layout.tsx';
import { MEMBERSHIP_TONE, StatusBadge } from '../../platform/views/status-badge.tsx';
import { Notice } from './account-form.tsx';
import { AccountLayout } from './account-layout.tsx';

export interface ShopRow extends ShopStanding {
  /** Where the salon enters the shop (the platform sign-in handoff to the shop's origin). */
  enterUrl: string;
}

export interface ShopsPageProps {
  stylesheetUrl: string;
  csrfToken: string;
  userName: string;
  canApply: boolean;
  profileReady: boolean;
  shops: ShopRow[];
  /** The shop the salon came from (a closed shop's gate sends it here). */
  focusSlug?: string;
  /** Per-shop message after an application, or its error. */
  message?: { tenantId: string; kind: 'ok' | 'info' | 'error'; text: string };
}

export function MembershipBadge(props: { status: MembershipStatus }) {
  return <StatusBadge tone={MEMBERSHIP_TONE[props.status] ?? 'neutral'}>{MEMBERSHIP_LABELS[props.status]}</StatusBadge>;
}

export function ShopsPage(props: ShopsPageProps) {
  return (
    <AccountLayout title="取引ショップ" section="shops" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>取引ショップ</h1>
      <p class="lead">ショップごとに会員申請を行います。承認されたショップでだけ、商品・価格をご覧いただけます。</p>
      {!props.profileReady && (
        <Notice kind="warn">
          申請の前に<a href="/account/profile">サロン情報</a>を入力し、審査を申し込んでください。
        </Notice>
      )}
      <ul class="shop-standings">
        {props.shops.map((s) => {
          const focused = props.focusSlug === s.slug;
          const message = props.message?.tenantId === s.tenantId ? props.message : undefined;
          return (
            <li key={s.tenantId} class={`card shop-standing${focused ? ' shop-standing--focus' : ''}`} id={`shop-${s.slug}`}>
              <div class="shop-standing__head">
                <h2 class="card__title">{s.displayName}</h2>
                {s.membership ? <MembershipBadge status={s.membership.status} /> : <StatusBadge tone="neutral">未申請</StatusBadge>}
              </div>
              <p class="card__meta">{s.companyName}</p>
              {s.tagline && <p class="shop-standing__tagline">{s.tagline}</p>}
              {message && <Notice kind={message.kind}>{message.text}</Notice>}
              {s.membership?.status === 'applied' && <p class="muted">{formatDate(s.membership.appliedAt)} に申請しました。ショップの審査をお待ちください。</p>}
              {s.membership?.status === 'rejected' && (
                <p class="shop-standing__reason">
                  否認されました{s.membership.reason ? `（理由: ${s.membership.reason}）` : ''}。ご不明な点はショップにお問い合わせください。
                </p>
              )}
              {s.membership?.status === 'suspended' && <p class="shop-standing__reason">お取引が停止されています{s.membership.reason ? `（理由: ${s.membership.reason}）` : ''}。</p>}
              {s.shopStatus === 'suspended' && <p class="muted">このショップは現在、受付を一時停止しています。</p>}
              <div class="card__actions">
                {s.membership?.status === 'approved' ? (
                  <a class="button" href={s.enterUrl}>
                    ショップへ進む
                  </a>
                ) : !s.membership && props.canApply && props.profileReady && s.shopStatus === 'active' ? (
                  <form method="post" action={`/account/shops/${s.tenantId}/apply`} class="apply-form">
                    <CsrfField token={props.csrfToken} />
                    <details open={focused || Boolean(message)}>
                      <summary>このショップに会員申請する</summary>
                      <p class="consent-text" id={`consent-text-${s.slug}`}>
                        {CONSENT_TEXT}
                      </p>
                      <label class="choice">
                        <input type="checkbox" name="consent" value="yes" required aria-describedby={`consent-text-${s.slug}`} /> 上記の内容に同意します
                      </label>
                      <div class="field">
                        <label for={`note-${s.slug}`}>ショップへのメッセージ（任意）</label>
                        <textarea id={`note-${s.slug}`} name="note" maxLength={500} rows={2} />
                      </div>
                      <button type="submit">同意して申請する</button>
                    </details>
                  </form>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </AccountLayout>
  );
}

function formatDate(d: Date): string {
  return new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' }).format(d);
}

export function InvitationPage(props: {
  stylesheetUrl: string;
  csrfToken: string;
  userName: string;
  token: string;
  preview: InvitationPreview;
  error?: string;
  /** Why this signed-in user cannot accept (another or unverified address): shown instead of the form. */
  blocked?: string;
}) {
  const p = props.preview;
  return (
    <AccountLayout title="ショップからの招待" section="shops" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <section class="panel panel--narrow">
        <h1>{p.shopName} からの招待</h1>
        <dl class="legal">
          <dt>招待先</dt>
          <dd>
            {p.companyName}（{p.contactName} 様）
          </dd>
          <dt>メールアドレス</dt>
          <dd>{p.email}</dd>
          <dt>お取引ランク</dt>
          <dd>{p.rankName}</dd>
          <dt>お支払い</dt>
          <dd>{p.invoiceTerms ? '掛け払い（請求書払い）をご利用いただけます' : '都度払い'}</dd>
        </dl>
        {props.error && <Notice kind="error">{props.error}</Notice>}
        {props.blocked ? (
          <>
            <Notice kind="error">{props.blocked}</Notice>
            <form method="post" action="/account/sign-out" class="form-actions">
              <CsrfField token={props.csrfToken} />
              <button type="submit" class="button--secondary">
                サインアウトする
              </button>
            </form>
          </>
        ) : (
        <form method="post" action={`/account/invitations/${props.token}`}>
          <CsrfField token={props.csrfToken} />
          <p class="consent-text" id="consent-text">
            {CONSENT_TEXT}
          </p>
          <label class="choice">
            <input type="checkbox" name="consent" value="yes" required aria-describedby="consent-text" /> 上記の内容に同意します
          </label>
          <div class="form-actions">
            <button type="submit">招待を受ける</button>
          </div>
        </form>
        )}
      </section>
    </AccountLayout>
  );
}
