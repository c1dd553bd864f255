import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/http/platform.ts';
import { salonPasswordResetRoutes } from './password-reset.routes.tsx';
import { salonSignInRoutes } from './sign-in.routes.tsx';
import { salonSignUpRoutes } from './sign-up.routes.tsx';

/** Salon authentication on the platform origin: sign-in (+ handoff to shops), sign-up, password reset. */
export function accountAuthRoutes(app: FastifyInstance, platform: Platform) {
  salonSignInRoutes(app, platform);
  salonSignUpRoutes(app, platform);
  salonPasswordResetRoutes(app, platform);
}
