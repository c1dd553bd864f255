import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../platform/http/platform.ts';
import { staffMfaRoutes } from './mfa.routes.tsx';
import { staffPasskeyRoutes } from './passkey.routes.ts';
import { staffSignInRoutes } from './staff-sign-in.routes.tsx';
import { staffStepUpRoutes } from './step-up.routes.tsx';

/** Staff authentication on the staff origin: sign-in, second factor, step-up, password reset. */
export function staffAuthRoutes(app: FastifyInstance, platform: Platform) {
  staffSignInRoutes(app, platform);
  staffMfaRoutes(app, platform);
  staffPasskeyRoutes(app, platform);
  staffStepUpRoutes(app, platform);
}
