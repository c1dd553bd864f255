import type { FastifyInstance } from 'fastify';
import { type AuditChainCheck, listAudit, verifyAuditChain } from '../../domains/audit/audit.service.ts';
import type { AuditRow } from '../../platform/db/schema.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { frameOf, inAdmin } from './admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';
import { navRoles } from './admin-nav.ts';
import { AuditChainStatus, AuditTable } from './audit-log.view.tsx';

const PAGE = 100;

function AuditPage(props: AdminPageFrame & { rows: AuditRow[]; check: AuditChainCheck }) {
  const base = `${adminBase(props.shop.slug)}/audit`;
  const last = props.rows.at(-1);
  return (
    <AdminLayout {...props} title="監査ログ" active="audit">
      <AuditChainStatus check={props.check} whatToDo="運営のセキュリティ担当に連絡してください" />
      <AuditTable rows={props.rows} caption="監査ログ(新しい順)" />
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
