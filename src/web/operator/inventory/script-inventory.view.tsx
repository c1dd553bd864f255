import type { ScriptApprovalHistoryRow } from '../../../domains/monitor/script-approvals.service.ts';
import type { InventoriedScript } from '../../../platform/http/script-inventory.ts';
import { formatDateTime, Notice } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { TableRegion } from '../../../platform/views/table-region.tsx';
import { OperatorLayout, type OperatorPageFrame } from '../operator-layout.tsx';

const STATUS_LABELS: Record<string, string> = { requested: '承認待ち', approved: '承認済み', rejected: '却下', withdrawn: '取り下げ' };

export interface InventoryPageProps extends OperatorPageFrame {
  pages: { page: string; scripts: InventoriedScript[] }[];
  scripts: (InventoriedScript & { approved: boolean })[];
  history: ScriptApprovalHistoryRow[];
  currentUserId: string;
  notice?: string;
  error?: string;
}

export function ScriptInventoryPage(props: InventoryPageProps) {
  return (
    <OperatorLayout {...props} title="スクリプト台帳" active="inventory">
      <Notice>{props.notice}</Notice>
      {props.error && (
        <div class="alert alert--error" role="alert">
          {props.error}
        </div>
      )}
      <p class="lead">
        保護対象ページで実行されるスクリプトのすべてを、目的・責任者・ハッシュ・承認履歴とともに示します（PCI DSS 6.4.3）。配信されるのはコードの台帳（script-inventory.ts）にあり、ハッシュが一致するものだけです。ここでは変更の依頼と、別のスタッフによる承認（再認証つき）を記録します。
      </p>
      <section class="panel" aria-labelledby="scripts-h">
        <h2 id="scripts-h">スクリプト</h2>
        <TableRegion label="スクリプト">
          <table class="stack-table">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">目的</th>
                <th scope="col">責任者</th>
                <th scope="col">承認</th>
                <th scope="col">配信中のハッシュ</th>
                <th scope="col">承認を依頼</th>
              </tr>
            </thead>
            <tbody>
              {props.scripts.map((s) => (
                <tr key={s.id}>
                  <td>
                    <strong>{s.id}</strong>
                    <span class="muted"> {s.file}</span>
                  </td>
                  <td data-label="目的" class="stack-wide">
                    {s.purpose}
                  </td>
                  <td data-label="責任者">{s.owner}</td>
                  <td data-label="承認">{s.approved ? <span class="badge badge--ok">承認記録あり</span> : <span class="badge badge--warn">承認記録なし</span>}</td>
                  <td data-label="配信中のハッシュ" class="stack-wide">
                    <code class="hash">{s.sha384}</code>
                  </td>
                  <td data-label="承認を依頼" class="stack-wide">
                    {s.approved ? (
                      '—'
                    ) : (
                      <form method="post" action="/operator/inventory/requests" class="table-form">
                        <CsrfField token={props.csrfToken} />
                        <input type="hidden" name="scriptId" value={s.id} />
                        <label class="visually-hidden" for={`why-${s.id}`}>
                          変更の理由
                        </label>
                        <input id={`why-${s.id}`} name="changeReason" maxLength={1000} required autocomplete="off" placeholder="変更の理由" />
                        <button type="submit" class="button--secondary">
                          依頼
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
      <section class="panel" aria-labelledby="pages-h">
        <h2 id="pages-h">保護対象ページごとのスクリプト</h2>
        <dl class="legal">
          {props.pages.map((p) => (
            <>
              <dt key={`dt-${p.page}`}>{p.page}</dt>
              <dd key={`dd-${p.page}`}>{p.scripts.length ? p.scripts.map((s) => s.id).join('、') : 'スクリプトなし'}</dd>
            </>
          ))}
        </dl>
      </section>
      <section class="panel" aria-labelledby="history-h">
        <h2 id="history-h">承認履歴</h2>
        {props.history.length === 0 ? (
          <p class="muted">まだ記録はありません。</p>
        ) : (
          <TableRegion label="承認履歴">
            <table class="stack-table">
              <thead>
                <tr>
                  <th scope="col">スクリプト</th>
                  <th scope="col">状態</th>
                  <th scope="col">ハッシュ</th>
                  <th scope="col">依頼</th>
                  <th scope="col">判断</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {props.history.map((h) => (
                  <tr key={h.id}>
                    <td>
                      <strong>{h.script_id}</strong>
                    </td>
                    <td data-label="状態">{STATUS_LABELS[h.status] ?? h.status}</td>
                    <td data-label="ハッシュ" class="stack-wide">
                      <code class="hash">{h.sha384}</code>
                    </td>
                    <td data-label="依頼" class="stack-wide">
                      {h.requested_by_name ?? '—'} {formatDateTime(h.requested_at)}
                      <span class="muted"> {h.change_reason}</span>
                    </td>
                    <td data-label="判断">
                      {h.decided_by_name ?? '—'} {h.decided_at ? formatDateTime(h.decided_at) : ''}
                      {h.decision_note && <span class="muted"> {h.decision_note}</span>}
                    </td>
                    <td data-label="操作" class="stack-wide">
                      {h.status === 'requested' && h.requested_by !== props.currentUserId && (
                        <form method="post" action={`/operator/inventory/requests/${h.id}/decide`} class="table-form">
                          <CsrfField token={props.csrfToken} />
                          <label class="visually-hidden" for={`inote-${h.id}`}>
                            メモ
                          </label>
                          <input id={`inote-${h.id}`} name="note" maxLength={500} autocomplete="off" placeholder="メモ（任意）" />
                          <button type="submit" name="decision" value="approve">
                            承認
                          </button>
                          <button type="submit" name="decision" value="reject" class="button--secondary">
                            却下
                          </button>
                        </form>
                      )}
                      {h.status === 'requested' && h.requested_by === props.currentUserId && <span class="muted">別のスタッフの承認待ち</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
    </OperatorLayout>
  );
}
