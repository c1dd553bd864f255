import type { RouteModule } from '../../platform/http/app.ts';
import { operatorIncidentRoutes } from './incidents/operator-incidents.routes.tsx';
import { operatorAuditRoutes } from './operator-audit.routes.tsx';
import { operatorDashboardRoutes } from './operator-dashboard.routes.tsx';
import { operatorMailRoutes } from './operator-mail.routes.tsx';
import { operatorNetworkRoutes } from './operator-network.routes.tsx';
import { operatorSessionRoutes } from './operator-sessions.routes.tsx';
import { operatorShopRoutes } from './operator-shops.routes.tsx';
import { operatorStaffRoutes } from './operator-staff.routes.tsx';
import { operatorVerificationRoutes } from './operator-verifications.routes.tsx';
import { operatorSecurityRoutes } from './security/operator-security.routes.tsx';

/** The operator console (/operator/…): platform staff only, on the staff origin. */
export const operatorConsoleRoutes: RouteModule = (app, platform) => {
  operatorDashboardRoutes(app, platform);
  operatorShopRoutes(app, platform);
  operatorVerificationRoutes(app, platform);
  operatorMailRoutes(app, platform);
  operatorSessionRoutes(app, platform);
  operatorStaffRoutes(app, platform);
  operatorAuditRoutes(app, platform);
  operatorNetworkRoutes(app, platform);
  operatorSecurityRoutes(app, platform);
  operatorIncidentRoutes(app, platform);
};
