import type { RouteModule } from '../platform/http/app.ts';
import { registerShopRoutes } from '../platform/http/shop-routes.ts';
import { accountRoutes } from './account/account.routes.tsx';
import { accountAuthRoutes } from './account/auth/account-auth.routes.ts';
import { adminConsoleRoutes } from './admin/admin.routes.ts';
import { staffAuthRoutes } from './admin/auth/staff-auth.routes.ts';
import { adminCatalogRoutes } from './admin/catalog/catalog-admin.routes.ts';
import { adminOrderRoutes } from './admin/orders/orders-admin.routes.tsx';
import { adminPaymentRouteModule } from './admin/payments/payments-admin.routes.tsx';
import { platformCspReportRoutes, shopCspReportRoutes } from './hooks/csp-report.routes.ts';
import { platformPageIntegrityRoutes, shopPageIntegrityRoutes } from './hooks/page-integrity.routes.ts';
import { shopMediaRoutes } from './media/media.routes.ts';
import { operatorInventoryRoutes } from './operator/inventory/script-inventory.routes.tsx';
import { operatorKillSwitchRoutes } from './operator/kill-switch/kill-switch.routes.tsx';
import { operatorMonitorRoutes } from './operator/monitor/monitor-dashboard.routes.tsx';
import { operatorConsoleRoutes } from './operator/operator.routes.ts';
import { platformHomeRoutes } from './public/platform-home.routes.tsx';
import { memberOrderRoutes } from './storefront/account/member-orders.routes.tsx';
import { cartRoutes } from './storefront/cart/cart.routes.tsx';
import { catalogRoutes } from './storefront/catalog.routes.tsx';
import { checkoutRoutes } from './storefront/checkout/checkout.routes.tsx';
import { publicNoticeRoutes } from './storefront/notices/public-notices.routes.tsx';
import { paymentRouteModules } from './storefront/payment/payment-routes.module.ts';
import { quickOrderRoutes } from './storefront/quick-order/quick-order.routes.tsx';
import { sessionHandoffRoutes } from './storefront/session-handoff.routes.tsx';
import { shopFrontRoutes } from './storefront/shop-front.routes.tsx';

/** Every audience's routes, in one list: the composition root of the web layer. */
export const ROUTES: readonly RouteModule[] = [
  platformHomeRoutes,
  platformCspReportRoutes,
  platformPageIntegrityRoutes,
  accountAuthRoutes,
  accountRoutes,
  staffAuthRoutes,
  adminConsoleRoutes,
  adminCatalogRoutes,
  adminOrderRoutes,
  operatorConsoleRoutes,
  operatorMonitorRoutes,
  operatorInventoryRoutes,
  adminPaymentRouteModule,
  operatorKillSwitchRoutes,
  (app, platform) =>
    registerShopRoutes(app, platform, async (shopApp, p) => {
      shopFrontRoutes(shopApp, p);
      sessionHandoffRoutes(shopApp, p);
      catalogRoutes(shopApp, p);
      cartRoutes(shopApp, p);
      quickOrderRoutes(shopApp, p);
      checkoutRoutes(shopApp, p);
      memberOrderRoutes(shopApp, p);
      shopMediaRoutes(shopApp, p);
      shopCspReportRoutes(shopApp, p);
      shopPageIntegrityRoutes(shopApp, p);
      publicNoticeRoutes(shopApp, p);
    }),
  ...paymentRouteModules,
];
