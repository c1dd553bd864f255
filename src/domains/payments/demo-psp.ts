import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config/config.ts';
import type { SecretsKey } from '../../platform/config/secrets.ts';
import { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { createPspSandbox, type PspSandbox } from '../../psp-sandbox/psp-sandbox.server.ts';
import { loadProviderAccount, providerFor, saveProviderKey, saveWebhookEndpoint, webhookUrlFor } from './provider-account.service.ts';

/**
 * Development only: the sandbox provider on its own port and origin next to `npm start`, and a
 * sandbox account for every demo shop (keys `sk_test_demo_<slug>`, webhook endpoint registered
 * at the sandbox, signing secret sealed), so a demo member can pay by card at once.
 */

export const DEMO_PSP_PORT = 3100;

export async function startDemoPsp(config: Pick<Config, 'dataDir' | 'HOST' | 'PSP_PORT'>, options: { port?: number } = {}): Promise<PspSandbox> {
  return createPspSandbox({
    port: options.port ?? config.PSP_PORT,
    host: config.HOST,
    dataFile: path.join(config.dataDir, 'psp-sandbox.json'),
  });
}

export function demoSecretKey(slug: string): string {
  return `sk_test_demo_${slug.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export interface DemoProviderOptions {
  sandboxOrigin: string;
  secrets: SecretsKey;
  /** Where the sandbox posts webhooks: the platform origin (BASE_URL). */
  platformOrigin: string;
  log?: Logger;
}

/** Idempotent: a shop that already has an account with a webhook secret is left alone. */
export async function seedDemoProviderAccounts(database: Database, options: DemoProviderOptions): Promise<{ seeded: string[] }> {
  const box = new SecretBox(options.secrets);
  const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).where('status', '!=', 'closed').execute());
  const seeded: string[] = [];
  for (const shop of shops) {
    const account = await withTenant(database, shop.id, async (tx) => {
      const existing = await loadProviderAccount(tx, shop.id);
      if (existing?.webhook_secret_sealed && existing.api_base_url === options.sandboxOrigin) return null;
      await saveProviderKey(tx, box, null, shop.id, { secretKey: demoSecretKey(shop.slug), apiBaseUrl: options.sandboxOrigin, hostedPageOrigin: options.sandboxOrigin });
      return loadProviderAccount(tx, shop.id);
    });
    if (!account) continue;
    const url = webhookUrlFor(options.platformOrigin, shop.slug);
    try {
      const endpoint = await providerFor(account, box).registerWebhook(url);
      await withTenant(database, shop.id, (tx) => saveWebhookEndpoint(tx, box, null, shop.id, { ...endpoint, url }));
      seeded.push(shop.slug);
    } catch (err) {
      options.log?.warn({ shop: shop.slug, err: (err as Error).message }, 'demo PSP webhook registration failed');
    }
  }
  return { seeded };
}
