import type { MembershipListItem } from '../../domains/memberships/membership.service.ts';
import { describeTerms } from '../../domains/memberships/membership-terms.schema.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, SelectField, TextArea, yen } from '../../platform/views/console-form.tsx';
import { EmptyState } from '../../platform/views/empty-state.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { MEMBERSHIP_TONE, StatusBadge, toneOf, VERIFICATION_TONE } from '../../platform/views/status-badge.tsx';
import { TableRegion } from '../../platform/views/table-region.tsx';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';

const STATUS_LABELS = { applied: '申請中', approved: '承認済み', rejected: '否認', suspended: '停止中' } as const;
const VERIFICATION_LABELS: Record<string, string> = { unsubmitted: '未提出', pending: '確認待ち', verified: '確認済み', rejected: '確認不可', expired: '期限切れ' };

export function VerificationBadge(props: { status: string; expiresAt: string | null }) {
  const today = new Date().toISOString().slice(0, 10);
  const expired = props.status === 'verified' && props.expiresAt !== null && props.expiresAt < today;
  const status = expired ? 'expired' : props.status;
  return (
    <span>
      <StatusBadge tone={toneOf(VERIFICATION_TONE, status)}>{VERIFICATION_LABELS[status] ?? status}</StatusBadge>
      {props.expiresAt && <span class="muted"> 有効期限 {props.expiresAt}</span>}
    </span>
  );
}

export const NOTICES: Record<string, string> = {
  approved: '申請を承認しました。サロンにお知らせメールを送ります。',
  rejected: '申請を否認しました。理由をサロンにメールで送ります。',
  suspended: '取引を停止しました。',
  reinstated: '取引を再開しました。',
  terms: '取引条件を保存しました。',
};

export function MembershipListPage(props: AdminPageFrame & { kind: 'applications' | 'members'; items: MembershipListItem[]; notice?: string }) {
  const base = adminBase(props.shop.slug);
  const title = props.kind === 'applications' ? '会員申請' : '会員一覧';
  return (
    <AdminLayout {...props} title={title} active={props.kind}>
      <Notice>{props.notice && NOTICES[props.notice]}</Notice>
      {props.kind === 'applications' ? (
        <p class="lead">このショップにお取引を申し込んだサロンです。運営による確認(美容所登録・証明書)が済んだサロンを承認できます。</p>
      ) : (
        <p>
          <a class="button button--secondary" href={`${base}/members/export.csv`}>
            会員データをCSVで書き出す
          </a>
          <span class="muted"> 書き出しには再認証が必要で、記録が残ります。</span>
        </p>
      )}
      {props.items.length === 0 ? (
        <EmptyState>{props.kind === 'applications' ? '審査待ちの申請はありません。新しい申請が届くとここに表示されます。' : 'まだ会員はいません。申請を承認するか、顧客インポートで取り込むとここに表示されます。'}</EmptyState>
      ) : (
        <TableRegion label={title}>
          <table class="stack-table">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">会社名・サロン名</th>
                <th scope="col">所在地</th>
                <th scope="col">サロン確認</th>
                {props.kind === 'members' && <th scope="col">ランク・条件</th>}
                <th scope="col">状態</th>
                <th scope="col">{props.kind === 'applications' ? '申請日' : '決定日'}</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((m) => (
                <tr key={m.id}>
                  <td>
                    <a href={`${base}/memberships/${m.id}`}>{m.company_name}</a>
                    <div class="muted">{m.salon_name}</div>
                    {m.customer_code && <div class="muted">得意先コード {m.customer_code}</div>}
                  </td>
                  <td data-label="所在地">{m.prefecture}</td>
                  <td data-label="サロン確認">
                    <VerificationBadge status={m.verification_status} expiresAt={m.verification_expires_at} />
                  </td>
                  {props.kind === 'members' && (
                    <td data-label="ランク・条件">
                      {m.rank_name ?? '—'}
                      <div class="muted">{describeTerms(m)}</div>
                      {m.invoice_terms_enabled && <div class="muted">与信 {yen(m.credit_limit_yen)}</div>}
                    </td>
                  )}
                  <td data-label="状態">
                    <StatusBadge tone={toneOf(MEMBERSHIP_TONE, m.status)}>{STATUS_LABELS[m.status]}</StatusBadge>
                  </td>
                  <td data-label={props.kind === 'applications' ? '申請日' : '決定日'}>{formatDateTime(props.kind === 'applications' ? m.applied_at : m.decided_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </AdminLayout>
  );
}

interface Detail {
  membership: {
    id: string;
    status: keyof typeof STATUS_LABELS;
    applied_at: Date;
    decided_at: Date | null;
    decision_reason: string;
    application_note: string;
    consent_at: Date;
    consent_version: string;
    rank_id: string | null;
    customer_code: string;
    invoice_terms_enabled: boolean;
    credit_limit_yen: number;
    closing_day: number;
    payment_month_offset: number;
    payment_day: number;
  };
  account: {
    business_type: string;
    company_name: string;
    company_name_kana: string;
    salon_name: string;
    representative_name: string;
    manager_name: string;
    establishment_health_center: string;
    establishment_number: string;
    establishment_date: string | null;
    postal_code: string;
    prefecture: string;
    city: string;
    address_line1: string;
    address_line2: string;
    phone: string;
    invoice_registration_number: string | null;
    verification_status: string;
    verification_expires_at: string | null;
  };
  certificates: { id: string; kind: string; original_name: string; content_type: string; size_bytes: number; created_at: Date }[];
  owner: { email: string; display_name: string } | undefined;
}

const CERT_KINDS: Record<string, string> = { establishment: '美容所登録', license: '美容師免許', other: 'その他' };

export function termValuesOf(m: Detail['membership'], fallbackRankId?: string): Record<string, string> {
  return {
    rankId: m.rank_id ?? fallbackRankId ?? '',
    customerCode: m.customer_code,
    invoiceTermsEnabled: m.invoice_terms_enabled ? 'on' : '',
    creditLimitYen: String(m.credit_limit_yen),
    closingDay: String(m.closing_day),
    paymentMonthOffset: String(m.payment_month_offset),
    paymentDay: String(m.payment_day),
  };
}

const DAY_OPTIONS = [...Array.from({ length: 28 }, (_, i) => ({ value: String(i + 1), label: `${i + 1}日` })), { value: '31', label: '末日' }];
const MONTH_OPTIONS = [
  { value: '0', label: '当月' },
  { value: '1', label: '翌月' },
  { value: '2', label: '翌々月' },
  { value: '3', label: '3か月後' },
];

function TermsFields(props: { ranks: { id: string; name: string; rate: string }[]; values: FormValues; errors?: FieldErrors; prefix: string }) {
  const p = { values: props.values, errors: props.errors, idPrefix: props.prefix };
  return (
    <>
      <SelectField {...p} name="rankId" label="価格ランク" required placeholder="選んでください" options={props.ranks.map((r) => ({ value: r.id, label: `${r.name}(掛け率 ${Number(r.rate)})` }))} />
      <Field {...p} name="customerCode" label="得意先コード" hint="半角英数字・ハイフン(任意)" />
      <div class="field field--check">
        <label>
          <input type="checkbox" name="invoiceTermsEnabled" value="on" checked={props.values.invoiceTermsEnabled === 'on'} /> 掛け払い(請求書払い)を許可する
        </label>
      </div>
      <Field {...p} name="creditLimitYen" label="与信限度額(円)" inputMode="numeric" required />
      <div class="console-row">
        <SelectField {...p} name="closingDay" label="締め日" options={DAY_OPTIONS} required />
        <SelectField {...p} name="paymentMonthOffset" label="支払月" options={MONTH_OPTIONS} required />
        <SelectField {...p} name="paymentDay" label="支払日" options={DAY_OPTIONS} required />
      </div>
    </>
  );
}

export function MembershipDetailPage(
  props: AdminPageFrame & {
    detail: Detail;
    ranks: { id: string; name: string; rate: string }[];
    notice?: string;
    form?: { action: string; values: FormValues; errors: FieldErrors };
  },
) {
  const { membership: m, account: a, certificates, owner } = props.detail;
  const base = adminBase(props.shop.slug);
  const action = `${base}/memberships/${m.id}`;
  const formFor = (name: string) => (props.form?.action === name ? props.form : undefined);
  const termsValues = formFor('approve')?.values ?? formFor('terms')?.values ?? termValuesOf(m, props.ranks[0]?.id);
  const termsErrors = formFor('approve')?.errors ?? formFor('terms')?.errors;
  return (
    <AdminLayout {...props} title={a.company_name} active={m.status === 'applied' || m.status === 'rejected' ? 'applications' : 'members'}>
      <Notice>{props.notice && NOTICES[props.notice]}</Notice>
      <p>
        <StatusBadge tone={toneOf(MEMBERSHIP_TONE, m.status)}>{STATUS_LABELS[m.status]}</StatusBadge> <span class="muted">申請 {formatDateTime(m.applied_at)}(同意 {formatDateTime(m.consent_at)}・規約 {m.consent_version})</span>
        {m.decided_at && <span class="muted"> / 決定 {formatDateTime(m.decided_at)}</span>}
      </p>
      {m.decision_reason && <p class="alert alert--warn">理由: {m.decision_reason}</p>}
      <div class="console-columns">
        <section class="panel" aria-labelledby="profile-h">
          <h2 id="profile-h">サロンの情報</h2>
          <dl class="legal">
            <dt>区分</dt>
            <dd>{a.business_type === 'corporation' ? '法人' : '個人事業主'}</dd>
            <dt>会社名</dt>
            <dd>
              {a.company_name}
              {a.company_name_kana && <div class="muted">{a.company_name_kana}</div>}
            </dd>
            <dt>サロン名</dt>
            <dd>{a.salon_name}</dd>
            <dt>代表者</dt>
            <dd>{a.representative_name}</dd>
            <dt>管理美容師</dt>
            <dd>{a.manager_name || '—'}</dd>
            <dt>美容所登録</dt>
            <dd>
              {a.establishment_health_center || '—'} {a.establishment_number} {a.establishment_date && `(${a.establishment_date})`}
            </dd>
            <dt>所在地</dt>
            <dd>
              〒{a.postal_code.slice(0, 3)}-{a.postal_code.slice(3)} {a.prefecture}
              {a.city}
              {a.address_line1} {a.address_line2}
            </dd>
            <dt>電話</dt>
            <dd>{a.phone}</dd>
            <dt>適格請求書発行事業者</dt>
            <dd>{a.invoice_registration_number ?? '—'}</dd>
            <dt>担当者</dt>
            <dd>{owner ? `${owner.display_name} <${owner.email}>` : '—'}</dd>
            <dt>運営の確認</dt>
            <dd>
              <VerificationBadge status={a.verification_status} expiresAt={a.verification_expires_at} />
            </dd>
            {m.application_note && (
              <>
                <dt>申請時のメモ</dt>
                <dd>{m.application_note}</dd>
              </>
            )}
          </dl>
          <h3>提出書類</h3>
          {certificates.length === 0 ? (
            <p class="muted">書類はありません。</p>
          ) : (
            <ul>
              {certificates.map((c) => (
                <li key={c.id}>
                  <a href={`${base}/certificates/${c.id}`}>{c.original_name}</a> <span class="muted">({CERT_KINDS[c.kind] ?? c.kind}・{Math.ceil(c.size_bytes / 1024)}KB・{formatDateTime(c.created_at)})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <div>
          {(m.status === 'applied' || m.status === 'rejected') && (
            <section class="panel" aria-labelledby="approve-h">
              <h2 id="approve-h">承認する</h2>
              <form method="post" action={`${action}/approve`}>
                <CsrfField token={props.csrfToken} />
                <FormErrors errors={formFor('approve')?.errors} />
                <TermsFields ranks={props.ranks} values={termsValues} errors={termsErrors} prefix="approve" />
                <button type="submit">承認する</button>
              </form>
            </section>
          )}
          {m.status === 'applied' && (
            <section class="panel" aria-labelledby="reject-h">
              <h2 id="reject-h">否認する</h2>
              <form method="post" action={`${action}/reject`}>
                <CsrfField token={props.csrfToken} />
                <FormErrors errors={formFor('reject')?.errors} />
                <TextArea name="reason" label="理由(サロンにメールで送られます)" required values={formFor('reject')?.values} errors={formFor('reject')?.errors} idPrefix="reject" />
                <button type="submit" class="button--danger">
                  否認する
                </button>
              </form>
            </section>
          )}
          {(m.status === 'approved' || m.status === 'suspended') && (
            <section class="panel" aria-labelledby="terms-h">
              <h2 id="terms-h">ランク・取引条件</h2>
              <form method="post" action={`${action}/terms`}>
                <CsrfField token={props.csrfToken} />
                <FormErrors errors={formFor('terms')?.errors} />
                <TermsFields ranks={props.ranks} values={termsValues} errors={termsErrors} prefix="terms" />
                <button type="submit">保存する</button>
              </form>
            </section>
          )}
          {m.status === 'approved' && (
            <section class="panel" aria-labelledby="suspend-h">
              <h2 id="suspend-h">取引を停止する</h2>
              <form method="post" action={`${action}/suspend`}>
                <CsrfField token={props.csrfToken} />
                <FormErrors errors={formFor('suspend')?.errors} />
                <TextArea name="reason" label="理由" required values={formFor('suspend')?.values} errors={formFor('suspend')?.errors} idPrefix="suspend" />
                <button type="submit" class="button--danger">
                  停止する
                </button>
              </form>
            </section>
          )}
          {m.status === 'suspended' && (
            <section class="panel" aria-labelledby="reinstate-h">
              <h2 id="reinstate-h">取引を再開する</h2>
              <form method="post" action={`${action}/reinstate`}>
                <CsrfField token={props.csrfToken} />
                <button type="submit">再開する</button>
              </form>
            </section>
          )}
        </div>
      </div>
    </AdminLayout>
  );
}
