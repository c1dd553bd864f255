import type { Deadline } from '../../domains/incidents/incident-deadlines.ts';
import type { IncidentDocumentRow } from '../../domains/incidents/incident-overview.query.ts';
import type { ShopScope } from '../../domains/incidents/incident-scope.query.ts';
import { formatJst } from '../../domains/incidents/jst.ts';
import { TableRegion } from '../../platform/views/table-region.tsx';

/**
 * Pieces both staff consoles show (the operator's workbench and a shop's own view of its
 * incidents). They live outside both audiences so that neither imports the other.
 */

export const STATUS_LABELS = { open: '対応中', contained: '封じ込め済み', investigating: '調査中', reporting: '報告段階', closed: '終了' } as const;
export const SOURCE_LABELS = { customer_inquiry: 'お客様からの問い合わせ', card_company: 'カード会社からの連絡', police: '警察からの連絡', security_event: '自動検知(重大イベント)', internal: '社内での発見' } as const;
export const MILESTONE_LABELS: Record<string, string> = {
  contained: '封じ込め(カード決済停止など)',
  forensic_started: 'フォレンジック調査開始',
  forensic_finished: 'フォレンジック調査完了',
  police_report: '警察への届出',
  ppc_preliminary: '個人情報保護委員会へ速報',
  ppc_final: '個人情報保護委員会へ確報',
  card_company_notified: 'カード会社へ連絡',
  acquirer_notified: 'アクワイアラへ連絡',
  shops_notified: '各ショップへ通知',
  letters_sent: '本人通知の送付',
  notices_published: '公表(お知らせの掲載)',
  recurrence_prevention: '再発防止策の実施',
  note: 'メモ',
};
export const DOCUMENT_LABELS: Record<string, string> = {
  member_letter: '本人通知(会員宛の書面)',
  public_notice: '公表文(ショップのお知らせ)',
  shop_notice: 'ショップ運営会社への報告',
  card_company_csv: 'カード会社・アクワイアラ向け一覧(CSV)',
  ppc_preliminary: '個人情報保護委員会への報告(速報)',
  ppc_final: '個人情報保護委員会への報告(確報)',
};
const DEADLINE_BADGE = { done: 'badge badge--ok', ok: 'badge', due_soon: 'badge badge--warn', overdue: 'badge badge--danger' } as const;
const DEADLINE_STATE = { done: '提出済み', ok: '期限内', due_soon: '期限間近', overdue: '期限超過' } as const;

export function DeadlineList(props: { deadlines: readonly Deadline[] }) {
  return (
    <ul class="console-plain-list">
      {props.deadlines.map((d) => (
        <li key={d.kind}>
          <span class={DEADLINE_BADGE[d.state]}>{DEADLINE_STATE[d.state]}</span> {d.label}: 期限 {formatJst(d.dueAt)}
          {d.doneAt && <> · 提出 {formatJst(d.doneAt)}</>} — <span class={d.state === 'overdue' ? 'field__error' : 'muted'}>{d.message}</span>
        </li>
      ))}
    </ul>
  );
}

export function MilestoneList(props: { milestones: readonly { id: string; kind: string; at: Date; note: string; tenantId: string | null }[]; shopName: (id: string) => string }) {
  if (!props.milestones.length) return <p class="muted">記録はまだありません。</p>;
  return (
    <ol class="order-timeline">
      {props.milestones.map((m) => (
        <li key={m.id}>
          {formatJst(m.at)} — {MILESTONE_LABELS[m.kind] ?? m.kind}
          {m.tenantId && <span class="badge badge--neutral">{props.shopName(m.tenantId)}</span>}
          {m.note && <span class="muted"> {m.note}</span>}
        </li>
      ))}
    </ol>
  );
}

export function ScopeCounts(props: { scope: ShopScope }) {
  const c = props.scope.counts;
  return (
    <dl class="order-facts">
      <div>
        <dt>影響を受けた会員(通知対象)</dt>
        <dd class="console-figure">{c.members}名</dd>
      </div>
      <div>
        <dt>カード決済を開始した会員 / 決済件数</dt>
        <dd>
          {c.cardPayers}名 / {c.cardAttempts}件
        </dd>
      </div>
      <div>
        <dt>決済画面を表示のみ(入力のおそれ)</dt>
        <dd>{c.pageViewOnly}名</dd>
      </div>
      <div>
        <dt>ログイン・パスワード画面を表示</dt>
        <dd>{c.credentialExposed}名</dd>
      </div>
      <div>
        <dt>住所なし(メールで通知・要確認)</dt>
        <dd>{c.postalMissing}名</dd>
      </div>
    </dl>
  );
}

/** Documents of one shop (or the incident-wide ones), current versions, each downloadable. */
export function DocumentTable(props: { documents: readonly IncidentDocumentRow[]; hrefOf: (doc: IncidentDocumentRow) => string; caption: string }) {
  if (!props.documents.length) return <p class="muted">文書はまだ作成されていません。</p>;
  return (
    <TableRegion label={props.caption}>
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">種類</th>
            <th scope="col">宛先・件名</th>
            <th scope="col" class="num">
              版
            </th>
            <th scope="col">状態</th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {props.documents.map((d) => (
            <tr key={d.id}>
              <td>{DOCUMENT_LABELS[d.kind] ?? d.kind}</td>
              <td>
                <a href={props.hrefOf(d)}>{d.title}</a>
                {d.postalMissing && <span class="badge badge--warn">住所なし: メールで通知</span>}
              </td>
              <td class="num">{d.version}</td>
              <td>{d.sentAt ? <span class="badge badge--ok">送付済み {formatJst(d.sentAt)}</span> : <span class="badge">下書き</span>}</td>
              <td class="mono console-break">{d.sha256.slice(0, 16)}…</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
