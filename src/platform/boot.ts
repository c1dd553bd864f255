import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import { SecretsKey } from './config/secrets.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { assertRuntimeRoleIsSafe } from './db/open-database.ts';
import { CsrfTokens } from './http/csrf.ts';
import type { Platform } from './http/platform.ts';
import { loadApprovedScripts } from './http/script-inventory.ts';
import { StaticAssets } from './http/static-assets.ts';

/** Migrations (and the job schema) on the owner connection, then the runtime-role safety check. */
export async function prepareDatabase(database: Database, config: Config, log: Logger): Promise<void> {
  const { applied } = await migrate(database, { appPassword: config.DATABASE_APP_PASSWORD });
  if (applied.length) log.info({ applied }, 'migrations applied');
  const jobs = await import('./jobs/job-schema.ts').catch(() => undefined);
  await jobs?.installJobSchema(database);
  await assertRuntimeRoleIsSafe(database);
}

export function createPlatform(config: Config, database: Database, log: Logger, secrets = SecretsKey.load(config)): Platform {
  const assets = new StaticAssets();
  const { approved, problems } = loadApprovedScripts(assets);
  for (const problem of problems) {
    // The page that needs the script will refuse to render rather than ship unapproved code.
    log.fatal({ event: 'security.script_inventory_mismatch', problem }, 'inventoried script refused');
  }
  return { config, database, log, assets, scripts: approved, csrf: new CsrfTokens(secrets.derive('csrf')), secrets };
}
