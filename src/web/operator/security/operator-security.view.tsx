import type { SecurityEventDetail, SecurityEventSummary } from '../../../domains/security/security-event-review.service.ts';
import type { VerifierStatus } from '../../../domains/security/verifier-heartbeat.service.ts';
import { type FieldErrors, FormErrors, formatDateTime, Notice, TextArea } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { TableRegion } from '../../../platform/views/table-region.tsx';
import { OperatorLayout, type OperatorPageFrame } from '../operator-layout.tsx';
import { type ContainmentStats, type DetectionLayerState, formatSeconds } from './detection-state.data.ts';

export const SEVERITY_LABELS = { critical: '重大', warning: '警告', info: '情報' } as const;
const SEVERITY_BADGE = { critical: 'badge badge--danger', warning: 'badge badge--warn', info: 'badge' } as const;

export const LAYER_LABELS: Record<string, string> = {
  csp_report: 'ブラウザ報告（CSP）',
  trusted_types: 'ブラウザ報告（Trusted Types）',
  render_refusal: '配信拒否（未登録スクリプト）',
  build_verifier: 'ビルド検証',
  db_text_verifier: '保存データ検証',
  browser_monitor: 'ブラウザ監視',
  egress: '外向き通信',
  dead_mans_switch: '死活監視',
  settings_change: '設定変更',
  card_testing: 'カードテスティング',
  browser_integrity: 'ブラウザ報告（ページ完全性）',
};

export interface ShopCardState {
  id: string | null;
  name: string;
  engaged: boolean;
  automatic: boolean;
  reason: string;
  changedAt: Date | null;
  openEvents: number;
}

export interface SecurityDashboardData {
  events: SecurityEventSummary[];
  status: 'open' | 'all';
  shops: ShopCardState[];
  verifiers: VerifierStatus[];
  detection: { layers: DetectionLayerState[]; containment: ContainmentStats };
  notice?: string;
}

const HEALTH_BADGE = { ok: 'badge badge--ok', warn: 'badge badge--warn', error: 'badge badge--danger' } as const;

/** Seconds from an event's detection to the card stop it caused. */
function stopLatency(e: Pick<SecurityEventSummary, 'firstSeenAt' | 'containedAt'>): string | null {
  if (!e.containedAt) return null;
  return formatSeconds(Math.max(0, (e.containedAt.getTime() - e.firstSeenAt.getTime()) / 1000));
}

function DetectionPanel(props: SecurityDashboardData['detection']) {
  const c = props.containment;
  return (
    <section class="panel" aria-labelledby="detection-h">
      <h2 id="detection-h">検知の状態</h2>
      <p class="muted">
        改ざんを見つける層ごとの、いま見込める検知までの時間（設定した間隔と直近の所要時間から計算）と稼働状態です。重大な検知は、その場でカード決済を停止します
        {c.count > 0 && c.medianSeconds !== null && c.maxSeconds !== null
          ? `（直近30日の ${c.count} 件: 検知から停止まで 中央値 ${formatSeconds(c.medianSeconds)}・最大 ${formatSeconds(c.maxSeconds)}、目標 10秒以内）。`
          : '（目標: 検知から10秒以内）。'}
      </p>
      <TableRegion label="検知の状態">
        <table class="stack-table">
          <thead>
            <tr>
              <th scope="col">検知レイヤー</th>
              <th scope="col">検知までの時間</th>
              <th scope="col">状態</th>
              <th scope="col" class="num">
                未確認
              </th>
              <th scope="col">最後の検知</th>
            </tr>
          </thead>
          <tbody>
            {props.layers.map((l) => (
              <tr key={l.id}>
                <td>
                  <strong>{l.label}</strong>
                </td>
                <td data-label="検知までの時間" class="stack-wide">
                  {l.bound}
                </td>
                <td data-label="状態">
                  <span class={HEALTH_BADGE[l.health]}>{l.health === 'ok' ? '正常' : l.health === 'warn' ? '注意' : '停止・異常'}</span> {l.status}
                </td>
                <td data-label="未確認" class="num">
                  {l.openEvents}
                </td>
                <td data-label="最後の検知">{l.lastDetectedAt ? formatDateTime(l.lastDetectedAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

function SeverityBadge(props: { severity: keyof typeof SEVERITY_LABELS }) {
  return <span class={SEVERITY_BADGE[props.severity]}>{SEVERITY_LABELS[props.severity]}</span>;
}

export function SecurityDashboardPage(props: OperatorPageFrame & SecurityDashboardData) {
  const open = props.events.filter((e) => !e.acknowledgedAt);
  return (
    <OperatorLayout {...props} title="セキュリティ" active="security">
      <Notice>{props.notice}</Notice>
      {open.some((e) => e.severity === 'critical') && (
        <p class="alert alert--error" role="alert">
          未確認の重大イベントがあります。証跡を確認し、確認済みにしてください（確認されるまで通知が繰り返されます）。
        </p>
      )}
      <section class="panel" aria-labelledby="events-h">
        <h2 id="events-h">セキュリティイベント</h2>
        <p>
          {props.status === 'open' ? (
            <>
              未確認のみ表示中 · <a href="/operator/security?status=all">すべて表示</a>
            </>
          ) : (
            <>
              すべて表示中 · <a href="/operator/security">未確認のみ</a>
            </>
          )}
        </p>
        {props.events.length === 0 ? (
          <p class="muted">{props.status === 'open' ? '未確認のイベントはありません。' : 'イベントはまだありません。'}</p>
        ) : (
          <TableRegion label="セキュリティイベント">
            <table class="stack-table">
              <thead>
                <tr>
                  <th scope="col">内容</th>
                  <th scope="col">重要度</th>
                  <th scope="col">ショップ</th>
                  <th scope="col">検知レイヤー</th>
                  <th scope="col" class="num">
                    回数
                  </th>
                  <th scope="col">検知</th>
                  <th scope="col">状態</th>
                </tr>
              </thead>
              <tbody>
                {props.events.map((e) => {
                  const latency = stopLatency(e);
                  return (
                    <tr key={e.id}>
                      <td class="stack-wide">
                        <a href={`/operator/security/events/${e.id}`}>{e.summary}</a>
                      </td>
                      <td data-label="重要度">
                        <SeverityBadge severity={e.severity} />
                      </td>
                      <td data-label="ショップ">{e.shopName ?? 'プラットフォーム全体'}</td>
                      <td data-label="検知レイヤー">{LAYER_LABELS[e.layer] ?? e.layer}</td>
                      <td data-label="回数" class="num">
                        {e.occurrences}
                      </td>
                      <td data-label="検知">
                        {formatDateTime(e.firstSeenAt)}
                        {e.occurrences > 1 && <span class="muted">（最終 {formatDateTime(e.lastSeenAt)}）</span>}
                      </td>
                      <td data-label="状態">
                        {e.acknowledgedAt ? '確認済み' : '未確認'}
                        {latency && (
                          <>
                            {' '}
                            <span class="badge">カード停止済み</span> <span class="muted">検知から{latency}</span>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
      <DetectionPanel {...props.detection} />
      <div class="console-columns">
        <section class="panel" aria-labelledby="cards-h">
          <h2 id="cards-h">カード決済の停止状態</h2>
          <TableRegion label="カード決済の停止状態">
            <table class="stack-table">
              <thead>
                <tr>
                  <th scope="col">対象</th>
                  <th scope="col">カード決済</th>
                  <th scope="col" class="num">
                    未確認イベント
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.shops.map((s) => (
                  <tr key={s.id ?? 'all'}>
                    <td>{s.name}</td>
                    <td data-label="カード決済">
                      {s.engaged ? (
                        <>
                          <span class="badge badge--danger">停止中{s.automatic ? '（自動）' : ''}</span> <span class="muted">{s.reason}</span>
                          <br />
                          <span class="muted">{formatDateTime(s.changedAt)}</span>
                        </>
                      ) : (
                        '利用可能'
                      )}
                    </td>
                    <td data-label="未確認イベント" class="num">
                      {s.openEvents}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
          <p class="muted">自動停止の解除は、原因を確認したうえで運営が決済の画面から行います（再認証が必要です）。</p>
        </section>
        <section class="panel" aria-labelledby="verifier-h">
          <h2 id="verifier-h">ファイル検証プロセス</h2>
          {props.verifiers.length === 0 ? (
            <p class="alert alert--warn">検証プロセスの報告がまだありません。</p>
          ) : (
            <ul>
              {props.verifiers.map((v) => (
                <li key={v.instance}>
                  {v.stale ? <span class="badge badge--danger">応答なし</span> : <span class="badge">稼働中</span>} {v.instance}: {formatDateTime(v.checkedAt)}（{v.ageSeconds}秒前）、ファイル {v.filesChecked}
                  件・テキスト {v.textsChecked} 件を {v.durationMs} ms で検証、不一致 {v.problems} 件
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </OperatorLayout>
  );
}

export function SecurityEventPage(props: OperatorPageFrame & { event: SecurityEventDetail; form?: { values: Record<string, string>; errors: FieldErrors }; notice?: string }) {
  const e = props.event;
  return (
    <OperatorLayout {...props} title="セキュリティイベント" active="security">
      <Notice>{props.notice}</Notice>
      <p>
        <a href="/operator/security">← セキュリティに戻る</a>
      </p>
      <section class="panel security-event" aria-labelledby="event-h">
        <h2 id="event-h">
          <SeverityBadge severity={e.severity} /> {e.summary}
        </h2>
        <dl class="legal">
          <dt>ショップ</dt>
          <dd>{e.shopName ?? 'プラットフォーム全体'}</dd>
          <dt>検知レイヤー</dt>
          <dd>
            {LAYER_LABELS[e.layer] ?? e.layer}（{e.kind}）
          </dd>
          <dt>ページ</dt>
          <dd>{e.page || '—'}</dd>
          <dt>初回 / 最終検知</dt>
          <dd>
            {formatDateTime(e.firstSeenAt)} / {formatDateTime(e.lastSeenAt)}（{e.occurrences} 回）
          </dd>
          <dt>封じ込め</dt>
          <dd>{e.containedAt ? `${formatDateTime(e.containedAt)} にカード決済を停止（${e.containmentScope === 'all' ? '全ショップ' : 'このショップ'}）` : 'なし'}</dd>
          <dt>報告したメンバー</dt>
          <dd>{e.principalId ? `ユーザー ${e.principalId}（セッション ${e.sessionId}）` : '—'}</dd>
          <dt>確認</dt>
          <dd>{e.acknowledgedAt ? `${formatDateTime(e.acknowledgedAt)}: ${e.acknowledgement}` : '未確認'}</dd>
        </dl>
      </section>
      {!e.acknowledgedAt && (
        <section class="panel" aria-labelledby="ack-h">
          <h2 id="ack-h">確認済みにする</h2>
          <p class="muted">通知の再送とエスカレーションが止まります。カード決済の停止は解除されません。</p>
          <form method="post" action={`/operator/security/events/${e.id}/acknowledge`}>
            <CsrfField token={props.csrfToken} />
            <FormErrors errors={props.form?.errors} />
            <TextArea name="note" label="確認内容・対応" required idPrefix="ack" values={props.form?.values} errors={props.form?.errors} />
            <button type="submit">確認済みにする</button>
          </form>
        </section>
      )}
      <section class="panel" aria-labelledby="evidence-h">
        <h2 id="evidence-h">証跡（追記のみ）</h2>
        {e.evidence.length === 0 ? (
          <p class="muted">証跡はありません。</p>
        ) : (
          e.evidence.map((item) => (
            <article key={item.id} class="card security-evidence">
              <h3>
                {item.kind} <span class="muted">{formatDateTime(item.recordedAt)}</span>
              </h3>
              <p class="muted">SHA-256: {item.sha256}</p>
              <pre>{JSON.stringify(item.data, null, 2)}</pre>
            </article>
          ))
        )}
      </section>
      <section class="panel" aria-labelledby="alerts-h">
        <h2 id="alerts-h">通知</h2>
        {e.alerts.length === 0 ? (
          <p class="muted">通知はありません（重大イベントのみ通知します）。</p>
        ) : (
          <ul>
            {e.alerts.map((a) => (
              <li key={`${a.channel}:${a.recipient}`}>
                {a.channel === 'email' ? 'メール' : 'Webhook'} {a.recipient}
                {a.level === 1 ? '（エスカレーション）' : ''}: {a.sendCount} 回送信、最終 {formatDateTime(a.lastSentAt)}
                {a.acknowledgedAt ? ' · 確認済み' : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </OperatorLayout>
  );
}
