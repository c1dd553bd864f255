import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Platform } from '../../platform/http/platform.ts';
import { inOperator, operatorFrame } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

interface Figures {
  shops: number;
  suspendedShops: number;
  pendingVerifications: number;
  activeSessions: number;
  undeliveredOutbox: number;
}

function DashboardPage(props: OperatorPageFrame & { figures: Figures }) {
  const f = props.figures;
  const card = (label: string, value: number, href: string) => (
    <a class="card" href={href}>
      <p class="card__meta">{label}</p>
      <p class="console-figure">{value.toLocaleString('ja-JP')}</p>
    </a>
  );
  return (
    <OperatorLayout {...props} title="ダッシュボード" active="dashboard">
      <div class="grid">
        {card('ショップ', f.shops, '/operator/shops')}
        {card('停止中のショップ', f.suspendedShops, '/operator/shops')}
        {card('確認待ちのサロン', f.pendingVerifications, '/operator/verifications')}
        {card('有効なセッション', f.activeSessions, '/operator/sessions')}
        {card('未送信のメール・処理(運営分)', f.undeliveredOutbox, '/operator/mail')}
      </div>
    </OperatorLayout>
  );
}

export function operatorDashboardRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('dashboard');
  app.get('/operator', { config: { staffRoles: roles } }, async (request, reply) => {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => {
      const row = (
        await sql<Figures>`SELECT
          (SELECT count(*) FROM tenants WHERE status <> 'closed')::int AS "shops",
          (SELECT count(*) FROM tenants WHERE status = 'suspended')::int AS "suspendedShops",
          (SELECT count(*) FROM salon_accounts WHERE verification_status = 'pending')::int AS "pendingVerifications",
          (SELECT count(*) FROM sessions WHERE revoked_at IS NULL AND idle_expires_at > now() AND absolute_expires_at > now())::int AS "activeSessions",
          (SELECT count(*) FROM outbox WHERE delivered_at IS NULL)::int AS "undeliveredOutbox"`.execute(tx)
      ).rows[0]!;
      return { principal, figures: row };
    });
    return reply.page(<DashboardPage {...operatorFrame(platform, request, data.principal)} figures={data.figures} />, { page: 'operator-dashboard' });
  });
}
