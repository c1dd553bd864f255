import { CERTIFICATE_KINDS, type CertificateMeta } from '../../domains/accounts/salon-certificate.service.ts';
import { type SalonProfile, VERIFICATION_LABELS } from '../../domains/accounts/salon-profile.service.ts';
import { CsrfField } from '../../platform/views/layout.tsx';
import { StatusBadge, toneOf, VERIFICATION_TONE } from '../../platform/views/status-badge.tsx';
import { AddressFields, Field, FormErrors, type FormState, Notice } from './account-form.tsx';
import { AccountLayout } from './account-layout.tsx';

export interface ProfilePageProps {
  stylesheetUrl: string;
  csrfToken: string;
  userName: string;
  canEdit: boolean;
  profile: SalonProfile;
  certificates: CertificateMeta[];
  form: FormState;
  uploadForm: FormState;
  formMessage?: string;
  done?: string;
}

const DONE: Record<string, string> = {
  saved: 'サロン情報を保存しました。',
  submitted: '審査を申し込みました。確認が終わるとメールでお知らせします。',
  reverify: 'サロン情報を保存しました。確認済みの内容が変わったため、再確認の審査に回りました。',
  uploaded: '書類をアップロードしました。',
  deleted: '書類を削除しました。',
};

export function verificationBadge(status: SalonProfile['verification_status']) {
  return <StatusBadge tone={toneOf(VERIFICATION_TONE, status)}>{VERIFICATION_LABELS[status]}</StatusBadge>;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

export function ProfilePage(props: ProfilePageProps) {
  const p = props.profile;
  const form = props.form;
  const disabled = !props.canEdit;
  return (
    <AccountLayout title="サロン情報" section="profile" stylesheetUrl={props.stylesheetUrl} userName={props.userName}>
      <h1>サロン情報と確認書類</h1>
      <p class="lead">このサロン情報は、申請したショップにだけ開示されます。</p>
      {props.done && DONE[props.done] && <Notice kind="ok">{DONE[props.done]}</Notice>}

      <section class="panel verification-status" aria-labelledby="verification-heading">
        <h2 id="verification-heading">確認状況 {verificationBadge(p.verification_status)}</h2>
        {p.verification_status === 'unsubmitted' && <p>サロン情報を入力し、美容所登録の確認書類をアップロードして「審査を申し込む」を押してください。</p>}
        {p.verification_status === 'pending' && <p>運営事務局で内容を確認しています。通常2営業日以内に結果をお知らせします。</p>}
        {p.verification_status === 'verified' && (
          <p>
            確認済みです。
            {p.verification_expires_at && <>有効期限: {p.verification_expires_at}（期限が近づくとメールでお知らせします）</>}
          </p>
        )}
        {p.verification_status === 'rejected' && <p>差し戻されました。{p.verification_note && <>理由: {p.verification_note}</>} 内容を修正して再度お申し込みください。</p>}
        {p.verification_status === 'expired' && <p>確認の有効期限が切れました。最新の書類をアップロードして再確認をお申し込みください。</p>}
      </section>

      <form method="post" action="/account/profile" class="panel profile-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <FormErrors form={form} message={props.formMessage} />
        <fieldset disabled={disabled}>
          <legend>事業者</legend>
          <div class="field">
            <span class="field__label" id="business-type-label">
              事業形態<span class="required">必須</span>
            </span>
            <div class="choice-row" role="radiogroup" aria-labelledby="business-type-label">
              <label class="choice">
                <input type="radio" name="business_type" value="corporation" checked={form.values.business_type === 'corporation'} /> 法人
              </label>
              <label class="choice">
                <input type="radio" name="business_type" value="sole_proprietor" checked={form.values.business_type === 'sole_proprietor'} /> 個人事業主
              </label>
            </div>
            {form.errors.business_type && <span class="field__error">{form.errors.business_type}</span>}
          </div>
          <Field name="company_name" label="会社名・屋号" form={form} required maxLength={200} autocomplete="organization" />
          <Field name="company_name_kana" label="会社名・屋号（フリガナ）" form={form} maxLength={200} hint="カタカナで入力してください" />
          <Field name="salon_name" label="サロン名" form={form} required maxLength={200} />
          <Field name="representative_name" label="代表者名" form={form} required maxLength={100} autocomplete="name" />
          <Field name="manager_name" label="管理美容師名" form={form} maxLength={100} hint="美容師が2名以上の美容所では必須です" />
        </fieldset>
        <fieldset disabled={disabled}>
          <legend>美容所登録</legend>
          <Field name="establishment_health_center" label="届出先の保健所" form={form} maxLength={100} hint="例: 渋谷区保健所" />
          <Field name="establishment_number" label="確認番号（検査確認番号）" form={form} maxLength={50} />
          <Field name="establishment_date" label="確認年月日" form={form} type="date" />
        </fieldset>
        <fieldset disabled={disabled}>
          <legend>所在地・連絡先</legend>
          <AddressFields form={form} />
          <Field name="phone" label="電話番号" form={form} type="tel" required autocomplete="tel" inputMode="tel" maxLength={20} />
          <Field name="invoice_registration_number" label="適格請求書発行事業者登録番号" form={form} maxLength={20} hint="お持ちの場合のみ（例: T1234567890123）" />
        </fieldset>
        {props.canEdit && (
          <div class="form-actions">
            <button type="submit" name="action" value="save" class="button--secondary">
              保存する
            </button>
            {(p.verification_status === 'unsubmitted' || p.verification_status === 'rejected' || p.verification_status === 'expired') && (
              <button type="submit" name="action" value="submit">
                保存して審査を申し込む
              </button>
            )}
          </div>
        )}
      </form>

      <section class="panel" aria-labelledby="certificates-heading">
        <h2 id="certificates-heading">確認書類</h2>
        <p class="muted">美容所登録の確認書（検査確認済証）や美容師免許証の写し。PDF・JPEG・PNG、5MB まで。申請したショップのスタッフと運営事務局だけが閲覧できます。</p>
        {props.certificates.length === 0 ? (
          <p>まだ書類がありません。</p>
        ) : (
          <ul class="certificate-list">
            {props.certificates.map((c) => (
              <li key={c.id}>
                <span>
                  <strong>{CERTIFICATE_KINDS[c.kind]}</strong> <a href={`/account/certificates/${c.id}`}>{c.original_name}</a>{' '}
                  <span class="muted">（{formatBytes(c.size_bytes)}）</span>
                </span>
                {props.canEdit && (
                  <form method="post" action={`/account/certificates/${c.id}/delete`}>
                    <CsrfField token={props.csrfToken} />
                    <button type="submit" class="button--secondary button--small" aria-label={`${c.original_name} を削除`}>
                      削除
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        {props.canEdit && (
          <form method="post" action="/account/profile/certificates" enctype="multipart/form-data" class="upload-form">
            <CsrfField token={props.csrfToken} />
            <FormErrors form={props.uploadForm} message="アップロードできませんでした。" />
            <div class="field">
              <label for="cert-kind">書類の種類</label>
              <select id="cert-kind" name="kind">
                {Object.entries(CERTIFICATE_KINDS).map(([k, label]) => (
                  <option key={k} value={k} selected={props.uploadForm.values.kind === k}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="cert-file">ファイル</label>
              <input id="cert-file" type="file" name="certificate" accept="application/pdf,image/jpeg,image/png" required aria-invalid={props.uploadForm.errors.certificate ? 'true' : undefined} />
            </div>
            <button type="submit" class="button--secondary">
              アップロード
            </button>
          </form>
        )}
      </section>
    </AccountLayout>
  );
}
