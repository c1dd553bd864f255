import { formatDateTime, Notice } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { TableRegion } from '../../../platform/views/table-region.tsx';
import { OperatorLayout, type OperatorPageFrame } from '../operator-layout.tsx';
import { formatSeconds, type MonitorWalkStats } from '../security/detection-state.data.ts';
import type { MonitorDashboardData, ShopMonitorRow } from './monitor-dashboard.data.ts';

const OUTCOME_LABELS: Record<string, string> = { clean: '正常', deviation: '逸脱あり', no_baseline: '基準なし', failed: '失敗' };
const STATUS_LABELS: Record<string, string> = { proposed: '承認待ち', approved: '承認済み', superseded: '置き換え済み', rejected: '却下' };
const PROFILE_LABELS: Record<string, string> = { desktop: 'PC', mobile: 'スマートフォン' };

/** "3分前（期限 10分）": how old the last good walk is against the dead-man's switch's two intervals. */
function goodWalkAge(at: Date, staleAfterMs: number, now: Date): string {
  return `${formatSeconds(Math.max(0, (now.getTime() - at.getTime()) / 1000))}前（期限 ${formatSeconds(staleAfterMs / 1000)}）`;
}

function monitorStatus(shop: ShopMonitorRow, staleAfterMs: number, now: Date): { label: string; tone: 'ok' | 'warn' | 'error' } {
  if (shop.openCritical > 0) return { label: '重大な逸脱', tone: 'error' };
  if (!shop.lastGoodAt || now.getTime() - shop.lastGoodAt.getTime() > staleAfterMs) return { label: '巡回が止まっています', tone: 'error' };
  if (shop.approvedProfiles.length < 2) return { label: '基準の承認待ち', tone: 'warn' };
  if (shop.openDeviations > 0) return { label: '要確認', tone: 'warn' };
  return { label: '監視中', tone: 'ok' };
}

export interface MonitorPageProps extends OperatorPageFrame {
  data: MonitorDashboardData;
  unavailable: string | null;
  protectionRequired: boolean;
  intervalMinutes: number;
  walkStats: MonitorWalkStats;
  currentUserId: string;
  notice?: string;
  error?: string;
  now: Date;
}

export function MonitorDashboardPage(props: MonitorPageProps) {
  const { data } = props;
  const staleAfterMs = 2 * props.intervalMinutes * 60_000;
  return (
    <OperatorLayout {...props} title="ブラウザー監視" active="monitor">
      {props.unavailable && (
        <div class="alert alert--error" role="alert">
          <strong>ブラウザー監視を実行できません。</strong> {props.unavailable}
          {props.protectionRequired ? ' 本番モード（PROTECTION_REQUIRED）のため、全ショップのカード決済を停止しています。' : ' デモ環境のため、カード決済は止めていません。決済ページは監視されていません。'}
        </div>
      )}
      <Notice>{props.notice}</Notice>
      {props.error && (
        <div class="alert alert--error" role="alert">
          {props.error}
        </div>
      )}
      <p class="lead">
        各ショップのサインインから注文確認・決済ページまでを、監視用メンバーとして PC とスマートフォンの両方で{props.intervalMinutes}分ごとに巡回し、承認済みの基準と比較します（PCI DSS 11.6.1）。
      </p>
      <p>
        <strong>検知までの時間:</strong> まだ誰も読み込んでいない改ざんは、最長で巡回間隔 {props.intervalMinutes}分 + 巡回1回
        {props.walkStats.medianWalkSeconds !== null ? `（直近の中央値 ${formatSeconds(props.walkStats.medianWalkSeconds)}）` : ''}
        のうちに見つかり、重大な逸脱はその場でカード決済を止めます。最後の正常な巡回が {props.intervalMinutes * 2}分より古いショップは、それ自体が重大イベントです。
        {props.walkStats.staleShops > 0 && <span class="badge badge--danger">巡回が止まっているショップ {props.walkStats.staleShops}</span>}
      </p>
      <section class="panel" aria-labelledby="shops-h">
        <h2 id="shops-h">ショップごとの状態</h2>
        <TableRegion label="ショップごとの状態">
          <table class="stack-table">
            <thead>
              <tr>
                <th scope="col">ショップ</th>
                <th scope="col">状態</th>
                <th scope="col">カード決済</th>
                <th scope="col">最後の巡回</th>
                <th scope="col">最後の正常な巡回</th>
                <th scope="col" class="num">
                  未対応の逸脱
                </th>
                <th scope="col">承認済みの基準</th>
              </tr>
            </thead>
            <tbody>
              {data.shops.map((shop) => {
                const status = monitorStatus(shop, staleAfterMs, props.now);
                return (
                  <tr key={shop.id}>
                    <td>
                      <strong>{shop.name}</strong>
                    </td>
                    <td data-label="状態">
                      <span class={`badge badge--${status.tone === 'error' ? 'danger' : status.tone}`}>{status.label}</span>
                    </td>
                    <td data-label="カード決済">{shop.killSwitch ? <span class="badge badge--danger">停止中{shop.killSwitch.automatic ? '（自動）' : ''}</span> : '利用可'}</td>
                    <td data-label="最後の巡回" class="stack-wide">
                      {shop.lastWalk ? (
                        <>
                          {formatDateTime(shop.lastWalk.at)} {PROFILE_LABELS[shop.lastWalk.profile]} {shop.lastWalk.outcome ? OUTCOME_LABELS[shop.lastWalk.outcome] : '実行中'}
                          {shop.lastWalk.durationMs !== null && <span class="muted">（{(shop.lastWalk.durationMs / 1000).toFixed(1)}秒）</span>}
                          {shop.lastWalk.error && <span class="muted walk-error"> {shop.lastWalk.error.slice(0, 120)}</span>}
                        </>
                      ) : (
                        '未巡回'
                      )}
                    </td>
                    <td data-label="最後の正常な巡回">
                      {shop.lastGoodAt ? (
                        <>
                          {formatDateTime(shop.lastGoodAt)}
                          <br />
                          <span class="muted">{goodWalkAge(shop.lastGoodAt, staleAfterMs, props.now)}</span>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td data-label="未対応の逸脱" class="num">
                      {shop.openDeviations}
                      {shop.openCritical > 0 && <span class="muted">（重大 {shop.openCritical}）</span>}
                    </td>
                    <td data-label="承認済みの基準">
                      {shop.approvedProfiles.length ? shop.approvedProfiles.map((p) => PROFILE_LABELS[p]).join('・') : 'なし'}
                      {shop.pendingBaselines > 0 && <span class="muted">（承認待ち {shop.pendingBaselines}）</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      </section>

      <section class="panel" aria-labelledby="events-h">
        <h2 id="events-h">未対応の監視イベント</h2>
        {data.events.length === 0 ? (
          <p class="muted">未対応のイベントはありません。</p>
        ) : (
          <ul>
            {data.events.map((e) => (
              <li key={`${e.kind}-${e.last_seen_at.toISOString()}`}>
                <span class={`badge badge--${e.severity === 'critical' ? 'error' : 'warn'}`}>{e.severity === 'critical' ? '重大' : '警告'}</span> {e.shop ?? '全ショップ'}: {e.summary}{' '}
                <span class="muted">
                  {formatDateTime(e.last_seen_at)}・{e.occurrences}回
                </span>
              </li>
            ))}
          </ul>
        )}
        <p class="muted">イベントの確認・対応は セキュリティ 画面で行います。</p>
      </section>

      <section class="panel" aria-labelledby="walks-h">
        <h2 id="walks-h">逸脱のあった巡回</h2>
        {data.deviationWalks.length === 0 ? (
          <p class="muted">ありません。</p>
        ) : (
          data.deviationWalks.map((w) => (
            <form key={w.id} method="post" action={`/operator/monitor/walks/${w.id}/propose`} class="monitor-walk">
              <CsrfField token={props.csrfToken} />
              <p>
                <strong>{w.shop}</strong> {PROFILE_LABELS[w.profile]} {formatDateTime(w.started_at)}・逸脱 {w.deviations}件
              </p>
              <ul>
                {w.summaries.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
              <div class="field">
                <label for={`reason-${w.id}`}>意図した変更である理由</label>
                <input id={`reason-${w.id}`} name="reason" maxLength={500} required autocomplete="off" />
              </div>
              <button type="submit" class="button--secondary">
                この巡回を新しい基準として提案
              </button>
            </form>
          ))
        )}
      </section>

      <section class="panel" aria-labelledby="baselines-h">
        <h2 id="baselines-h">基準の履歴と承認</h2>
        <p class="muted">基準は、依頼した人とは別のスタッフが再認証のうえ承認します。</p>
        <TableRegion label="基準の履歴と承認">
          <table class="stack-table">
            <thead>
              <tr>
                <th scope="col">ショップ</th>
                <th scope="col">端末</th>
                <th scope="col">状態</th>
                <th scope="col">提案</th>
                <th scope="col">依頼</th>
                <th scope="col">承認</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {data.history.map((b) => (
                <tr key={b.id}>
                  <td>
                    <strong>{b.shop}</strong>
                  </td>
                  <td data-label="端末">{PROFILE_LABELS[b.profile]}</td>
                  <td data-label="状態">{STATUS_LABELS[b.status] ?? b.status}</td>
                  <td data-label="提案">
                    {formatDateTime(b.proposed_at)} {b.origin === 'first_walk' ? '初回の巡回' : '運営スタッフ'}・{b.pages}ページ
                  </td>
                  <td data-label="依頼" class="stack-wide">
                    {b.requester ?? '—'}
                    {b.request_reason && <span class="muted"> {b.request_reason}</span>}
                  </td>
                  <td data-label="承認" class="stack-wide">
                    {b.auto_approved ? '自動承認（開発環境）' : (b.approver ?? '—')}
                    {b.approved_at && <span class="muted"> {formatDateTime(b.approved_at)}</span>}
                    {b.decision_note && !b.auto_approved && <span class="muted"> {b.decision_note}</span>}
                  </td>
                  <td data-label="操作" class="stack-wide">
                    {b.status === 'proposed' && !b.requested_by && (
                      <form method="post" action={`/operator/monitor/baselines/${b.id}/request`} class="table-form">
                        <CsrfField token={props.csrfToken} />
                        <label class="visually-hidden" for={`req-${b.id}`}>
                          依頼の理由
                        </label>
                        <input id={`req-${b.id}`} name="reason" maxLength={500} required autocomplete="off" placeholder="依頼の理由" />
                        <button type="submit" class="button--secondary">
                          承認を依頼
                        </button>
                      </form>
                    )}
                    {b.status === 'proposed' && b.requested_by && b.requested_by !== props.currentUserId && (
                      <form method="post" action={`/operator/monitor/baselines/${b.id}/decide`} class="table-form">
                        <CsrfField token={props.csrfToken} />
                        <label class="visually-hidden" for={`note-${b.id}`}>
                          メモ
                        </label>
                        <input id={`note-${b.id}`} name="note" maxLength={500} autocomplete="off" placeholder="メモ（任意）" />
                        <button type="submit" name="decision" value="approve">
                          承認
                        </button>
                        <button type="submit" name="decision" value="reject" class="button--secondary">
                          却下
                        </button>
                      </form>
                    )}
                    {b.status === 'proposed' && b.requested_by === props.currentUserId && <span class="muted">別のスタッフの承認待ち</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
    </OperatorLayout>
  );
}
