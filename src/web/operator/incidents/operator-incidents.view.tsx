import type { IncidentView } from '../../../domains/incidents/incident.service.ts';
import type { IncidentDocumentRow, IncidentOverview } from '../../../domains/incidents/incident-overview.query.ts';
import type { ShopScope } from '../../../domains/incidents/incident-scope.query.ts';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, MILESTONE_KINDS } from '../../../domains/incidents/incidents.tables.ts';
import { formatJst, formatJstInput } from '../../../domains/incidents/jst.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, Notice, SelectField, TextArea } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { TableRegion } from '../../../platform/views/table-region.tsx';
import { DeadlineList, DOCUMENT_LABELS, DocumentTable, MILESTONE_LABELS, MilestoneList, ScopeCounts, SOURCE_LABELS, STATUS_LABELS } from '../../shared/incident-parts.view.tsx';
import { OperatorLayout, type OperatorPageFrame } from '../operator-layout.tsx';

export interface FormState {
  /** Which form the values and errors belong to. */
  form: string;
  values: FormValues;
  errors: FieldErrors;
}

const JST_HINT = '日本時間で「2025-04-20T10:15:00」の形式';

export function IncidentListPage(props: OperatorPageFrame & { incidents: IncidentOverview[]; shops: { id: string; name: string }[]; form?: FormState }) {
  const values = props.form?.values ?? { source: 'customer_inquiry' };
  const errors = props.form?.errors;
  return (
    <OperatorLayout {...props} title="インシデント" active="incidents">
      <section class="panel" aria-labelledby="list-h">
        <h2 id="list-h">インシデント一覧</h2>
        {props.incidents.length === 0 ? (
          <p class="muted">インシデントはありません。重大なセキュリティイベントが発生すると自動で起票されます。</p>
        ) : (
          <TableRegion label="インシデント一覧">
            <table>
              <thead>
                <tr>
                  <th scope="col">番号</th>
                  <th scope="col">件名</th>
                  <th scope="col">状態</th>
                  <th scope="col">認知日時</th>
                  <th scope="col">対象ショップ</th>
                  <th scope="col">報告期限</th>
                </tr>
              </thead>
              <tbody>
                {props.incidents.map((i) => (
                  <tr key={i.id}>
                    <td class="mono">{i.number}</td>
                    <td>
                      <a href={`/operator/incidents/${i.id}`}>{i.title}</a>
                      <br />
                      <span class="muted">{SOURCE_LABELS[i.source]}</span>
                    </td>
                    <td>{STATUS_LABELS[i.status]}</td>
                    <td>{formatJst(i.awareAt)}</td>
                    <td>{i.shops.join('、') || '—'}</td>
                    <td>
                      <DeadlineList deadlines={i.deadlines} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
      <section class="panel" aria-labelledby="open-h">
        <h2 id="open-h">インシデントを起票する</h2>
        <p class="muted">お客様からの問い合わせ、カード会社や警察からの連絡を受けたときに起票します。露出期間は証跡から自動で設定され、後から理由を添えて変更できます。</p>
        <form method="post" action="/operator/incidents" novalidate>
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={errors} />
          <Field name="title" label="件名" values={values} errors={errors} required idPrefix="open" />
          <SelectField name="source" label="認知のきっかけ" options={INCIDENT_SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] }))} values={values} errors={errors} required idPrefix="open" />
          <Field name="awareAt" label="認知日時(報告期限の起算点)" hint={JST_HINT} values={values} errors={errors} required idPrefix="open" />
          <fieldset class="field">
            <legend>対象ショップ</legend>
            {props.shops.map((s) => (
              <label key={s.id} class="choice">
                <input type="checkbox" name="tenantIds" value={s.id} checked={(values.tenantIds ?? '').split(',').includes(s.id)} /> {s.name}
              </label>
            ))}
            {errors?.tenantIds && <span class="field__error">{errors.tenantIds}</span>}
          </fieldset>
          <TextArea name="summary" label="概要" values={values} errors={errors} idPrefix="open" />
          <div class="form-actions">
            <button type="submit" class="button">
              起票する
            </button>
          </div>
        </form>
      </section>
    </OperatorLayout>
  );
}

export interface IncidentDetailData {
  view: IncidentView;
  scopes: Map<string, ShopScope>;
  documents: IncidentDocumentRow[];
  allShops: { id: string; name: string }[];
  notice?: string;
  form?: FormState;
  publicNoticeUrl: (slug: string, documentId: string) => string;
}

function formFor(state: FormState | undefined, form: string, fallback: FormValues): { values: FormValues; errors?: FieldErrors } {
  return state?.form === form ? { values: state.values, errors: state.errors } : { values: fallback };
}

export function IncidentDetailPage(props: OperatorPageFrame & IncidentDetailData) {
  const { incident, shops, milestones, deadlines } = props.view;
  const base = `/operator/incidents/${incident.id}`;
  const shopName = (id: string) => shops.find((s) => s.tenantId === id)?.displayName ?? id;
  const details = formFor(props.form, 'details', {
    summary: incident.summary,
    cause: incident.cause,
    secondaryDamage: incident.secondary_damage,
    prevention: incident.prevention,
    inquiryDesk: incident.inquiry_desk,
    dataItems: incident.data_items.join('\n'),
    preliminaryDays: String(incident.preliminary_days),
    unauthorisedAccess: incident.unauthorised_access ? 'yes' : 'no',
    status: incident.status,
  });
  const milestone = formFor(props.form, 'milestone', { kind: 'contained', at: formatJstInput(new Date()) });
  const incidentWide = props.documents.filter((d) => d.tenantId === null);
  const notOnIncident = props.allShops.filter((s) => !shops.some((x) => x.tenantId === s.id));
  return (
    <OperatorLayout {...props} title={`${incident.number} ${incident.title}`} active="incidents">
      <Notice>{props.notice}</Notice>
      <FormErrors errors={props.form?.form === 'global' ? props.form.errors : undefined} />
      <section class="panel" aria-labelledby="deadline-h">
        <h2 id="deadline-h">報告期限(日本時間)</h2>
        <p>
          状態: <strong>{STATUS_LABELS[incident.status]}</strong> · 認知 {formatJst(incident.aware_at)} · {SOURCE_LABELS[incident.source]}
        </p>
        <DeadlineList deadlines={deadlines} />
        <div class="inline-actions">
          <a class="button button--secondary" href={`${base}/evidence.tar`}>
            証跡パッケージをダウンロード(署名付き)
          </a>
          <a class="button button--secondary" href={`${base}/card-payments.csv`}>
            カード会社向けCSV(全ショップ)
          </a>
          <form method="post" action={`${base}/documents`}>
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="button">
              通知文書をすべて作成(新しい版)
            </button>
          </form>
        </div>
        <p class="muted">ダウンロードとCSVの出力、文書の送付には再認証が必要です。送付済みの文書は変更されず、訂正は新しい版として発行されます。</p>
      </section>

      {shops.map((shop) => {
        const scope = props.scopes.get(shop.tenantId);
        const windowForm = formFor(props.form, `window-${shop.tenantId}`, { start: formatJstInput(shop.windowStart), end: formatJstInput(shop.windowEnd), reason: '' });
        const docs = props.documents.filter((d) => d.tenantId === shop.tenantId);
        const notice = docs.find((d) => d.kind === 'public_notice' && d.sentAt);
        return (
          <section class="panel" aria-labelledby={`shop-${shop.tenantId}`} key={shop.tenantId}>
            <h2 id={`shop-${shop.tenantId}`}>
              {shop.displayName} <span class="muted">({shop.companyName})</span>
            </h2>
            <p>
              露出期間: {formatJst(shop.windowStart)} 〜 {formatJst(shop.windowEnd)}
              <br />
              <span class="muted">根拠: {shop.windowReason || shop.windowSource}</span>
            </p>
            {scope ? <ScopeCounts scope={scope} /> : <p class="muted">影響範囲を計算できませんでした。</p>}
            <div class="inline-actions">
              <a class="button button--secondary" href={`${base}/shops/${shop.tenantId}/scope.csv`}>
                影響範囲CSV
              </a>
              {(['member_letter', 'public_notice', 'shop_notice', 'card_company_csv'] as const).map((kind) => (
                <form method="post" action={`${base}/documents/send`} key={kind}>
                  <CsrfField token={props.csrfToken} />
                  <input type="hidden" name="tenantId" value={shop.tenantId} />
                  <input type="hidden" name="kind" value={kind} />
                  <button type="submit" class="button button--secondary" disabled={!docs.some((d) => d.kind === kind && !d.sentAt)}>
                    {kind === 'public_notice' ? '公表文を掲載' : `${DOCUMENT_LABELS[kind]}を送付`}
                  </button>
                </form>
              ))}
              {scope && scope.counts.credentialExposed > 0 && (
                <form method="post" action={`${base}/shops/${shop.tenantId}/credential-reset`}>
                  <CsrfField token={props.csrfToken} />
                  <button type="submit" class="button button--danger">
                    {scope.counts.credentialExposed}名のパスワードを無効化しセッションを失効
                  </button>
                </form>
              )}
            </div>
            {notice && (
              <p>
                公開URL: <a href={props.publicNoticeUrl(shop.slug, notice.id)}>{props.publicNoticeUrl(shop.slug, notice.id)}</a>
              </p>
            )}
            <details>
              <summary>露出期間を変更する</summary>
              <form method="post" action={`${base}/windows`} novalidate>
                <CsrfField token={props.csrfToken} />
                <input type="hidden" name="tenantId" value={shop.tenantId} />
                <FormErrors errors={windowForm.errors} />
                <div class="console-row">
                  <Field name="start" label="開始" hint={JST_HINT} values={windowForm.values} errors={windowForm.errors} required idPrefix={`w-${shop.slug}`} />
                  <Field name="end" label="終了" hint={JST_HINT} values={windowForm.values} errors={windowForm.errors} required idPrefix={`w-${shop.slug}`} />
                </div>
                <Field name="reason" label="変更の理由" values={windowForm.values} errors={windowForm.errors} required idPrefix={`w-${shop.slug}`} />
                <button type="submit" class="button">
                  変更する
                </button>
              </form>
            </details>
            <h3>文書</h3>
            <DocumentTable documents={docs} hrefOf={(d) => `${base}/documents/${d.id}`} caption={`${shop.displayName}の文書`} />
          </section>
        );
      })}

      <section class="panel" aria-labelledby="ppc-h">
        <h2 id="ppc-h">個人情報保護委員会への報告</h2>
        <DocumentTable documents={incidentWide} hrefOf={(d) => `${base}/documents/${d.id}`} caption="インシデント全体の文書" />
        <div class="inline-actions">
          {(['ppc_preliminary', 'ppc_final'] as const).map((kind) => (
            <form method="post" action={`${base}/documents/send`} key={kind}>
              <CsrfField token={props.csrfToken} />
              <input type="hidden" name="kind" value={kind} />
              <button type="submit" class="button button--secondary" disabled={!incidentWide.some((d) => d.kind === kind && !d.sentAt)}>
                {DOCUMENT_LABELS[kind]}を提出済みにする
              </button>
            </form>
          ))}
        </div>
      </section>

      <section class="panel" aria-labelledby="timeline-h">
        <h2 id="timeline-h">経過</h2>
        <MilestoneList milestones={milestones} shopName={shopName} />
        <form method="post" action={`${base}/milestones`} novalidate class="console-inline-form">
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={milestone.errors} />
          <SelectField name="kind" label="記録する出来事" options={MILESTONE_KINDS.map((k) => ({ value: k, label: MILESTONE_LABELS[k] ?? k }))} values={milestone.values} errors={milestone.errors} idPrefix="ms" />
          <Field name="at" label="日時" hint={JST_HINT} values={milestone.values} errors={milestone.errors} idPrefix="ms" />
          <Field name="note" label="メモ" values={milestone.values} errors={milestone.errors} idPrefix="ms" />
          <button type="submit" class="button">
            記録する
          </button>
        </form>
      </section>

      <section class="panel" aria-labelledby="details-h">
        <h2 id="details-h">内容(通知文書・報告書に使われます)</h2>
        <form method="post" action={`${base}/details`} novalidate>
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={details.errors} />
          <SelectField name="status" label="状態" options={INCIDENT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} values={details.values} errors={details.errors} idPrefix="d" />
          <TextArea name="summary" label="概要" values={details.values} errors={details.errors} idPrefix="d" />
          <TextArea name="cause" label="原因" values={details.values} errors={details.errors} idPrefix="d" />
          <TextArea name="dataItems" label="漏えいのおそれがある項目(1行に1つ)" values={details.values} errors={details.errors} rows={6} idPrefix="d" />
          <TextArea name="secondaryDamage" label="二次被害又はそのおそれ" values={details.values} errors={details.errors} idPrefix="d" />
          <TextArea name="prevention" label="再発防止のための措置" values={details.values} errors={details.errors} idPrefix="d" />
          <Field name="inquiryDesk" label="お問い合わせ窓口" values={details.values} errors={details.errors} idPrefix="d" />
          <div class="console-row">
            <Field name="preliminaryDays" label="速報の目標(日)" type="number" hint="3〜5日" values={details.values} errors={details.errors} idPrefix="d" />
            <SelectField
              name="unauthorisedAccess"
              label="不正の目的によるおそれ"
              options={[
                { value: 'yes', label: 'あり(確報は60日以内)' },
                { value: 'no', label: 'なし(確報は30日以内)' },
              ]}
              values={details.values}
              errors={details.errors}
              idPrefix="d"
            />
          </div>
          <button type="submit" class="button">
            保存する
          </button>
        </form>
      </section>

      {notOnIncident.length > 0 && (
        <section class="panel" aria-labelledby="add-h">
          <h2 id="add-h">ショップを追加する</h2>
          <form method="post" action={`${base}/shops`} class="console-inline-form">
            <CsrfField token={props.csrfToken} />
            <SelectField name="tenantId" label="ショップ" options={notOnIncident.map((s) => ({ value: s.id, label: s.name }))} idPrefix="add" />
            <button type="submit" class="button button--secondary">
              追加する
            </button>
          </form>
        </section>
      )}
    </OperatorLayout>
  );
}
