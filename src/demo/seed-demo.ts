import type { Logger } from 'pino';
import type { SecretsKey } from '../platform/config/secrets.ts';
import type { Database } from '../platform/db/database.ts';
import { seedDemoAccounts } from './seed-accounts.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { seedDemoPlatform } from './seed-platform.ts';
import { seedDemoShopSettings } from './seed-shop-settings.ts';

/**
 * The demo platform on first start: operator and six shops, their settings, staff and salons,
 * catalogs. Each step is idempotent on its own, so a restart (or a crash half-way) never
 * duplicates anything and finishes what is missing.
 */
export async function seedDemo(database: Database, secrets: SecretsKey, log: Logger, options: { baseOrigin?: string } = {}): Promise<void> {
  const startedAt = performance.now();
  const platform = await seedDemoPlatform(database);
  const settings = await seedDemoShopSettings(database);
  // baseOrigin: where the mailed invitation links point.
  const accounts = await seedDemoAccounts(database, { secrets, baseOrigin: options.baseOrigin });
  const catalog = await seedDemoCatalog(database);
  if (platform.seeded || settings.inserted || accounts.seeded || catalog.seededShops.length) {
    log.info({ ms: Math.round(performance.now() - startedAt), accounts, catalog }, 'demo platform seeded');
  }
}
