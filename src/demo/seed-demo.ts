import type { Logger } from 'pino';
import type { SecretsKey } from '../platform/config/secrets.ts';
import type { Database } from '../platform/db/database.ts';
import { seedDemoAccounts } from './seed-accounts.ts';
import { seedDemoCatalog } from './seed-catalog.ts';
import { seedDemoOrders } from './seed-orders.ts';
import { seedDemoPlatform } from './seed-platform.ts';
import { seedDemoShopSettings } from './seed-shop-settings.ts';

/**
 * The demo platform on first start: operator and six shops, their settings, staff and salons,
 * catalogs, and one member's order history with a closed monthly statement. Each step is idempotent on its own, so a restart (or a crash half-way) never
 * duplicates anything and finishes what is missing.
 */
export async function seedDemo(database: Database, secrets: SecretsKey, log: Logger, options: { baseOrigin?: string; dataDir?: string } = {}): Promise<void> {
  const startedAt = performance.now();
  const platform = await seedDemoPlatform(database);
  const settings = await seedDemoShopSettings(database);
  // baseOrigin: where the mailed invitation links point.
  const accounts = await seedDemoAccounts(database, { secrets, baseOrigin: options.baseOrigin });
  const catalog = await seedDemoCatalog(database);
  // dataDir: where the closed statement's PDF is stored (without it the closing job draws it).
  const orders = await seedDemoOrders(database, { dataDir: options.dataDir }).catch((err: Error) => {
    // The demo still starts without its order history; the log says why.
    log.error({ err: err.message }, 'demo orders not seeded');
    return null;
  });
  if (platform.seeded || settings.inserted || accounts.seeded || catalog.seededShops.length || orders?.seeded) {
    log.info({ ms: Math.round(performance.now() - startedAt), accounts, catalog, orders }, 'demo platform seeded');
  }
}
