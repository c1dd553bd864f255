import { registerCardAndCodMethods } from '../../../domains/payments/payment-methods.register.ts';
import type { RouteModule } from '../../../platform/http/app.ts';
import { registerShopRoutes } from '../../../platform/http/shop-routes.ts';
import { pspWebhookRoutes } from '../../hooks/psp-webhook.routes.ts';
import { paymentStepRoutes } from './payment.routes.tsx';

/**
 * The payments issue's web routes for the lead to add to web/routes.ts ROUTES: the provider's
 * webhooks on the platform origin and the shop's payment step. Registering also adds card and
 * COD to the checkout's payment methods in this process.
 */
export const paymentRouteModules: readonly RouteModule[] = [
  (app, platform) => {
    registerCardAndCodMethods();
    return pspWebhookRoutes(app, platform);
  },
  (app, platform) => registerShopRoutes(app, platform, (shopApp, p) => paymentStepRoutes(shopApp, p)),
];
