import { createHash } from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { type ProviderHostPolicy, unrecognisedProviderEndpoints } from '../payments/provider-hosts.ts';
import type { SecurityEventInput } from './security-events.service.ts';

/**
 * The verifier's check of each shop's stored payment endpoints (BRIEF catalogue 14: "PSP URL"),
 * independent of the screen that wrote them: whether the change came through a taken-over admin
 * account (the settings_change layer sees that) or straight into the database (it does not), an
 * API or hosted-page host the platform does not recognise is critical — the shop's cards stop.
 */

export interface PaymentSettingsCheck {
  accountsChecked: number;
  findings: SecurityEventInput[];
}

export async function verifyPaymentSettings(database: Database, policy: ProviderHostPolicy): Promise<PaymentSettingsCheck> {
  const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).orderBy('slug').execute());
  const findings: SecurityEventInput[] = [];
  let accountsChecked = 0;
  for (const shop of shops) {
    const account = await withTenant(database, shop.id, (tx) => tx.selectFrom('provider_accounts').select(['api_base_url', 'hosted_page_origin']).executeTakeFirst());
    if (!account) continue;
    accountsChecked++;
    const unrecognised = unrecognisedProviderEndpoints({ apiBaseUrl: account.api_base_url, hostedPageOrigin: account.hosted_page_origin }, policy);
    if (!unrecognised.length) continue;
    findings.push({
      tenantId: shop.id,
      layer: 'db_text_verifier',
      severity: 'critical',
      kind: 'settings.provider-endpoint-unrecognised',
      page: 'payment-step',
      summary: `決済の接続先がプラットフォームの認める決済代行会社ではありません: ${unrecognised.join(', ')}`,
      fingerprint: `provider:${createHash('sha256').update(unrecognised.join(' ')).digest('hex').slice(0, 16)}`,
      evidence: [{ kind: 'stored-setting', data: { apiBaseUrl: account.api_base_url, hostedPageOrigin: account.hosted_page_origin, unrecognised } }],
    });
  }
  return { accountsChecked, findings };
}
