import { seedDemo } from '../src/demo/seed-demo.ts';
import { createPlatform, prepareDatabase } from '../src/platform/boot.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabaseFromConfig } from '../src/platform/db/open-database.ts';
import { buildApp } from '../src/platform/http/app.ts';
import { createLogger } from '../src/platform/log/logger.ts';
import { ROUTES } from '../src/web/routes.ts';
import { scanNegativeControlRoutes } from './scan-negative-control.route.ts';

/**
 * The test-only build for npm run scan:web: the real routes plus the deliberately injectable one.
 * No background jobs (a scan needs pages, not mail). Never started by `npm start`.
 */
if (process.env.OROSHI_SCAN_NEGATIVE_CONTROL !== '1') {
  process.stderr.write('refusing to start: set OROSHI_SCAN_NEGATIVE_CONTROL=1 (this build contains an injectable route)\n');
  process.exit(2);
}
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const database = await openDatabaseFromConfig(config, (err) => log.warn({ err }, 'database connection lost'));
await prepareDatabase(database, config, log);
const platform = createPlatform(config, database, log);
if (config.seedDemo) await seedDemo(database, platform.secrets, log);
const app = await buildApp(platform, [...ROUTES, scanNegativeControlRoutes]);
await app.listen({ port: config.PORT, host: config.HOST });
log.info({ url: config.BASE_URL }, 'Oroshi is ready (scan negative control build)');
