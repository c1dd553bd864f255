import type { FastifyInstance } from 'fastify';
import { type AuditChainCheck, listAudit, verifyAuditChain } from '../../domains/audit/audit.service.ts';
import type { AuditRow } from '../../platform/db/schema.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { formatDateTime } from '../../platform/views/console-form.tsx';
import { StatusBadge } from '../../platform/views/status-badge.tsx';
import { TableRegion } from '../../platform/views/table-region.tsx';
import { frameOf, inAdmin } from './admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';
import { navRoles } from './admin-nav.ts';

const PAGE = 100;
const RESULT_LABELS = { success: '成功', failure: '失敗', denied: '拒否' } as const;

function AuditPage(props: AdminPageFrame & { rows: AuditRow[]; check: AuditChainCheck }) {
  const base = `${adminBase(props.shop.slug)}/audit`;
  const last = props.rows.at(-1);
  return (
    <AdminLayout {...props} title="監査ログ" active="audit">
      {props.check.ok ? (
        <p class="alert alert--ok" role="status">
          改ざん検査: 正常({props.check.count.toLocaleString('ja-JP')}件のチェーンを先頭から再計算し、末尾 {props.check.head.hash.slice(0, 16)}… と一致)
        </p>
      ) : (
        <p class="alert alert--error" role="alert">
          改ざん検査: 異常 — {props.check.brokenAtSeq}番目の記録で不一致({props.check.reason})。運営のセキュリティ担当に連絡してください。
        </p>
      )}
      <TableRegion label="監査ログ(新しい順)">
        <table>
          <caption class="visually-hidden">監査ログ(新しい順)</caption>
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
      {props.rows.length === PAGE && last && (
        <p>
          <a href={`${base}?before=${last.seq}`}>さらに古い記録</a>
        </p>
      )}
    </AdminLayout>
  );
}

/** The shop's own audit chain, newest first, with the chain re-verified on every view. */
export function adminAuditRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('audit');
  app.get('/audit', { config: { staffRoles: roles } }, async (request, reply) => {
    const beforeRaw = (request.query as { before?: string }).before;
    const before = beforeRaw && /^\d{1,12}$/.test(beforeRaw) ? Number(beforeRaw) : undefined;
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, rows: await listAudit(s.tx, { limit: PAGE, before }), check: await verifyAuditChain(s.tx) }));
    return reply.page(<AuditPage {...frameOf(platform, request, data)} rows={data.rows} check={data.check} />, { page: 'admin-audit' });
  });
}
