import { prepareDatabase } from '../boot.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { createLogger } from '../log/logger.ts';
import { openDatabaseFromConfig } from './open-database.ts';

/** `npm run migrate`: applies pending migrations (and the job schema) with the owner connection. */
try {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabaseFromConfig(config);
  try {
    await prepareDatabase(database, config, log);
    process.stdout.write(`migrations up to date (${database.kind})\n`);
  } finally {
    await database.close();
  }
} catch (err) {
  const message = err instanceof ConfigError ? `configuration error — ${err.message}` : (err as Error).message;
  process.stderr.write(`Oroshi migrate: ${message}\n`);
  process.exit(1);
}
