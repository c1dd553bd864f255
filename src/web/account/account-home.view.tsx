import type { ShopStanding } from '../../domains/accounts/membership.service.ts';
import type { SalonProfile } from '../../domains/accounts/salon-profile.service.ts';
import { Notice } from './account-form.tsx';
import { AccountLayout } from './account-layout.tsx';
import { verificationBadge } from './profile.view.tsx';
import { MembershipBadge } from './shops.view.tsx';

export function AccountHomePage(props: {
  stylesheetUrl: string;
  userName: string;
  profile: SalonProfile;
  shops: (ShopStanding & { enterUrl: string })[];
  locationCount: number;
  userCount: number;
}) {
  const p = props.profile;
  const joined = props.shops.filter((s) => s.membership);
  return (
    <AccountLayout title="ホーム" section="home" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>{p.salon_name}</h1>
      <p class="lead">{p.company_name}</p>
      {p.verification_status === 'unsubmitted' && (
        <Notice kind="warn">
          ショップへの会員申請の前に、<a href="/account/profile">サロン情報と確認書類</a>を登録して審査を申し込んでください。
        </Notice>
      )}
      {(p.verification_status === 'expired' || p.verification_status === 'rejected') && (
        <Notice kind="error">
          サロン情報の確認が{p.verification_status === 'expired' ? '有効期限切れです' : '差し戻されました'}。<a href="/account/profile">サロン情報</a>をご確認ください。
        </Notice>
      )}
      <div class="grid account-summary">
        <section class="card">
          <h2 class="card__title">サロン情報</h2>
          <p>確認状況: {verificationBadge(p.verification_status)}</p>
          {p.verification_expires_at && <p class="card__meta">有効期限: {p.verification_expires_at}</p>}
          <p class="card__actions">
            <a href="/account/profile">サロン情報を見る</a>
          </p>
        </section>
        <section class="card">
          <h2 class="card__title">お届け先</h2>
          <p>{props.locationCount} 件</p>
          <p class="card__actions">
            <a href="/account/locations">お届け先を管理</a>
          </p>
        </section>
        <section class="card">
          <h2 class="card__title">ユーザー</h2>
          <p>{props.userCount} 人</p>
          <p class="card__actions">
            <a href="/account/users">ユーザーを管理</a>
          </p>
        </section>
      </div>
      <section class="panel">
        <h2>取引ショップ</h2>
        {joined.length === 0 ? (
          <p>まだ申請したショップはありません。</p>
        ) : (
          <ul class="home-shops">
            {joined.map((s) => (
              <li key={s.tenantId}>
                <span>{s.displayName}</span> <MembershipBadge status={s.membership!.status} />{' '}
                {s.membership!.status === 'approved' && <a href={s.enterUrl}>ショップへ進む</a>}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a class="button button--secondary" href="/account/shops">
            ショップを探して申請する
          </a>
        </p>
      </section>
    </AccountLayout>
  );
}
