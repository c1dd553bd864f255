import type { RouteModule } from '../../platform/http/app.ts';
import { adminAuditRoutes } from './admin-audit.routes.tsx';
import { adminCustomerImportRoutes } from './admin-customer-import.routes.tsx';
import { adminDashboardRoutes } from './admin-dashboard.routes.tsx';
import { adminMembershipRoutes } from './admin-memberships.routes.tsx';
import { adminNetworkRoutes } from './admin-network.routes.tsx';
import { adminRankRoutes } from './admin-ranks.routes.tsx';
import { adminStaffRoutes } from './admin-staff.routes.tsx';
import { adminIncidentRoutes } from './incidents/admin-incidents.routes.tsx';
import { adminInvoiceIssuerRoutes } from './settings/invoice-issuer.routes.tsx';
import { staffInvitationRoutes } from './staff-invitation.routes.tsx';

/**
 * The shop staff console: every page under /admin/:shop (the shop from the URL, checked against
 * the staff member's own shop on every route), and the staff invitation page.
 */
export const adminConsoleRoutes: RouteModule = async (app, platform) => {
  staffInvitationRoutes(app, platform);
  await app.register(
    async (shopApp) => {
      adminDashboardRoutes(shopApp, platform);
      adminMembershipRoutes(shopApp, platform);
      adminRankRoutes(shopApp, platform);
      adminCustomerImportRoutes(shopApp, platform);
      adminStaffRoutes(shopApp, platform);
      adminAuditRoutes(shopApp, platform);
      adminNetworkRoutes(shopApp, platform);
      adminIncidentRoutes(shopApp, platform);
      adminInvoiceIssuerRoutes(shopApp, platform);
    },
    { prefix: '/admin/:shop' },
  );
};
