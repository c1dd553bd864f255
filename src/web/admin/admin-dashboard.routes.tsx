import type { FastifyInstance } from 'fastify';
import { countMembershipsByStatus } from '../../domains/memberships/membership.service.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { frameOf, inAdmin } from './admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';
import { ADMIN_NAV, navRoles } from './admin-nav.ts';

function DashboardPage(props: AdminPageFrame & { counts: Record<string, number> | null; pendingInvitations: number | null }) {
  const base = adminBase(props.shop.slug);
  const items = ADMIN_NAV.filter((i) => i.id !== 'dashboard' && i.roles.includes(props.staff.role));
  return (
    <AdminLayout {...props} title="ダッシュボード" active="dashboard">
      {props.counts && (
        <div class="grid">
          <a class="card" href={`${base}/applications`}>
            <p class="card__meta">審査待ちの申請</p>
            <p class="console-figure">{props.counts.applied}</p>
          </a>
          <a class="card" href={`${base}/members`}>
            <p class="card__meta">会員(承認済み)</p>
            <p class="console-figure">{props.counts.approved}</p>
          </a>
          <a class="card" href={`${base}/members`}>
            <p class="card__meta">停止中</p>
            <p class="console-figure">{props.counts.suspended}</p>
          </a>
          <a class="card" href={`${base}/customers/import`}>
            <p class="card__meta">招待中の既存顧客</p>
            <p class="console-figure">{props.pendingInvitations}</p>
          </a>
        </div>
      )}
      {items.length === 0 && <p class="panel">この役割で使える管理メニューは今後追加されます。</p>}
    </AdminLayout>
  );
}

export function adminDashboardRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('dashboard');
  app.get('/', { config: { staffRoles: roles } }, async (request, reply) => {
    const data = await inAdmin(platform, request, roles, async (s) => {
      // Figures about members are for those who may manage members.
      if (!navRoles('applications').includes(s.principal.role)) return { ...s, counts: null, pendingInvitations: null };
      const pending = await s.tx
        .selectFrom('customer_invitations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      return { ...s, counts: await countMembershipsByStatus(s.tx), pendingInvitations: Number(pending.n) };
    });
    return reply.page(<DashboardPage {...frameOf(platform, request, data)} counts={data.counts} pendingInvitations={data.pendingInvitations} />, { page: 'admin-dashboard' });
  });
}
