import type { AuditChainCheck } from '../../domains/audit/audit.service.ts';
import type { AuditRow } from '../../platform/db/schema.ts';
import { formatDateTime } from '../../platform/views/console-form.tsx';
import { StatusBadge } from '../../platform/views/status-badge.tsx';
import { TableRegion } from '../../platform/views/table-region.tsx';

/** The audit chain's verdict and its rows, as a shop's and the operator's 監査ログ show them. */

const RESULT_LABELS = { success: '成功', failure: '失敗', denied: '拒否' } as const;

/** The chain was recomputed from its first record for this view; a mismatch names where. */
export function AuditChainStatus(props: { check: AuditChainCheck; whatToDo?: string }) {
  return props.check.ok ? (
    <p class="alert alert--ok" role="status">
      改ざん検査: 正常({props.check.count.toLocaleString('ja-JP')}件のチェーンを先頭から再計算し、末尾 {props.check.head.hash.slice(0, 16)}… と一致)
    </p>
  ) : (
    <p class="alert alert--error" role="alert">
      改ざん検査: 異常 — {props.check.brokenAtSeq}番目の記録で不一致({props.check.reason}){props.whatToDo && `。${props.whatToDo}`}
    </p>
  );
}

export function AuditTable(props: { rows: AuditRow[]; caption: string }) {
  return (
    <TableRegion label={props.caption}>
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              番号
            </th>
            <th scope="col">日時</th>
            <th scope="col">操作者</th>
            <th scope="col">操作</th>
            <th scope="col">対象</th>
            <th scope="col">結果</th>
            <th scope="col">接続元</th>
            <th scope="col">理由</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.id}>
              <td class="num">{r.seq}</td>
              <td>{formatDateTime(r.at)}</td>
              <td>{r.actor_label || r.actor_type}</td>
              <td>
                <code>{r.action}</code>
              </td>
              <td>
                {r.resource_type} <span class="muted console-break">{r.resource_id}</span>
              </td>
              <td>
                <StatusBadge tone={r.result === 'success' ? 'ok' : 'danger'}>{RESULT_LABELS[r.result]}</StatusBadge>
              </td>
              <td>{r.source_ip}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
