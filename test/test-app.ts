import type { FastifyInstance } from 'fastify';
import { createPlatform } from '../src/platform/boot.ts';
import { type Config, loadConfig } from '../src/platform/config/config.ts';
import { SecretsKey } from '../src/platform/config/secrets.ts';
import type { Database } from '../src/platform/db/database.ts';
import { buildApp, type RouteModule } from '../src/platform/http/app.ts';
import type { Platform } from '../src/platform/http/platform.ts';
import { createLogger } from '../src/platform/log/logger.ts';
import { ROUTES } from '../src/web/routes.ts';

/** The real app on a test database, with a fixed key and silent logs. */
export async function createTestApp(
  database: Database,
  options: { env?: Record<string, string>; routes?: readonly RouteModule[]; platform?: (p: Platform) => Platform } = {},
): Promise<{ app: FastifyInstance; platform: Platform; config: Config }> {
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '.tmp/test-data', ...options.env });
  const log = createLogger('silent');
  let platform = createPlatform(config, database, log, SecretsKey.fromHex('11'.repeat(32)));
  if (options.platform) platform = options.platform(platform);
  const app = await buildApp(platform, options.routes ?? ROUTES);
  await app.ready();
  return { app, platform, config };
}

/** Pulls the CSRF cookie and form token out of a rendered page. */
export function csrfFrom(res: { cookies: { name: string; value: string }[]; body: string }): { cookie: string; token: string } {
  const cookie = res.cookies.find((c) => c.name.endsWith('oroshi_csrf'));
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  if (!cookie || !token) throw new Error('page has no CSRF cookie or token');
  return { cookie: `${cookie.name}=${cookie.value}`, token };
}
