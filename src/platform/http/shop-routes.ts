import type { FastifyInstance } from 'fastify';
import type { Platform } from './platform.ts';

/**
 * Registers a shop-facing route module under both prefixes the origin router produces: `/s/:shop`
 * (subdomain origins and development paths) and `/h/:host` (a shop's custom host).
 */
export async function registerShopRoutes(
  app: FastifyInstance,
  platform: Platform,
  routes: (shopApp: FastifyInstance, platform: Platform) => void | Promise<void>,
): Promise<void> {
  for (const prefix of ['/s/:shop', '/h/:host']) {
    await app.register(async (shopApp) => routes(shopApp, platform), { prefix });
  }
}
