import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { DEVELOPMENT_PROVIDER_HOSTS, providerHostPolicy } from '../payments/provider-hosts.ts';
import { verifyPaymentSettings } from './payment-settings.verify.ts';
import { deliverSettingsChange, SETTINGS_CHANGE_OUTBOX_KIND, type SettingsChangePayload, setSettingsChangeWalkRequester } from './settings-change.events.ts';

let database: Database;
let shop: string;
const walks: { tenantId: string; reason: string }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  shop = String((await database.ownerExec(`INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('set-a','ショップA','A社','{}') RETURNING id`)).rows[0]!.id);
  setSettingsChangeWalkRequester(async (tenantId, reason) => {
    walks.push({ tenantId, reason });
  });
});
afterAll(async () => {
  setSettingsChangeWalkRequester(null);
  await database?.close();
});
beforeEach(async () => {
  walks.length = 0;
  await database.ownerExec(`UPDATE security_events SET acknowledged_at = now() WHERE acknowledged_at IS NULL; DELETE FROM card_kill_switches; DELETE FROM outbox`);
});

const staffEntry = (action: string, detail: Record<string, unknown> = {}) => ({
  actorType: 'staff' as const,
  actorId: null,
  actorLabel: '乗っ取られた管理者 <admin@a.example>',
  action,
  resourceType: 'provider_account',
  resourceId: shop,
  result: 'success' as const,
  sourceIp: '203.0.113.9',
  detail,
});

const queued = async () =>
  (await database.ownerExec(`SELECT tenant_id, payload FROM outbox WHERE kind = $1 ORDER BY created_at`, [SETTINGS_CHANGE_OUTBOX_KIND])).rows as {
    tenant_id: string | null;
    payload: SettingsChangePayload;
  }[];
const openEvents = async () =>
  (await database.ownerExec(`SELECT tenant_id, layer, severity, kind, contained_at FROM security_events WHERE acknowledged_at IS NULL ORDER BY first_seen_at`)).rows as {
    tenant_id: string | null;
    layer: string;
    severity: string;
    kind: string;
    contained_at: Date | null;
  }[];
const cardsStopped = async () => (await database.ownerExec(`SELECT engaged FROM card_kill_switches WHERE tenant_id = $1`, [shop])).rows[0]?.engaged === true;

describe('security-relevant setting changes', () => {
  it('queue an event with the audited change itself, and only for the listed actions', async () => {
    await withTenant(database, shop, async (tx) => {
      await appendAudit(tx, staffEntry('staff.role_change', { from: 'order_clerk', to: 'shop_admin' }));
      await appendAudit(tx, staffEntry('price_rank.update'));
    });
    const rows = await queued();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenant_id: shop, payload: { action: 'staff.role_change', scopeTenantId: shop, sourceIp: '203.0.113.9' } });
    // Rolled back with the change: nothing queued.
    await withTenant(database, shop, async (tx) => {
      await appendAudit(tx, staffEntry('network.allowlist_replace'));
      throw new Error('rollback');
    }).catch(() => undefined);
    expect(await queued()).toHaveLength(1);
    // The shop's invoice settings: only a changed bank account (where transfers go) is security-relevant.
    await withTenant(database, shop, async (tx) => {
      await appendAudit(tx, { ...staffEntry('shop.invoice_issuer_updated', { changed: ['issuerPhone'] }), resourceType: 'shop_settings' });
      await appendAudit(tx, { ...staffEntry('shop.invoice_issuer_updated', { changed: ['issuerName', 'bankAccount'] }), resourceType: 'shop_settings' });
    });
    expect((await queued()).map((r) => r.payload.action)).toEqual(['staff.role_change', 'shop.invoice_issuer_updated']);
  });

  it('raise a warning for an ordinary change and have the monitor walk the shop at once', async () => {
    await withTenant(database, shop, (tx) => appendAudit(tx, staffEntry('payments.provider_key_set', { apiBaseUrl: 'https://api.stripe.com', hostedPageOrigin: 'https://checkout.stripe.com' })));
    const [item] = await queued();
    await deliverSettingsChange(database, item!.payload, DEVELOPMENT_PROVIDER_HOSTS);
    expect(await openEvents()).toMatchObject([{ tenant_id: shop, layer: 'settings_change', severity: 'warning', kind: 'settings.payments.provider_key_set', contained_at: null }]);
    expect(await cardsStopped()).toBe(false);
    expect(walks).toEqual([{ tenantId: shop, reason: 'settings:payments.provider_key_set' }]);
    // Delivered again (at-least-once outbox): the same event, one more occurrence.
    await deliverSettingsChange(database, item!.payload, DEVELOPMENT_PROVIDER_HOSTS);
    expect(await openEvents()).toHaveLength(1);
  });

  it('stop the shop’s cards when the payment endpoints point at a host the platform does not recognise', async () => {
    await withTenant(database, shop, (tx) =>
      appendAudit(tx, staffEntry('payments.provider_key_set', { apiBaseUrl: 'https://api.pay-oroshi.evil.example', hostedPageOrigin: 'https://pay-oroshi.evil.example' })),
    );
    const [item] = await queued();
    await deliverSettingsChange(database, item!.payload, DEVELOPMENT_PROVIDER_HOSTS);
    const [event] = await openEvents();
    expect(event).toMatchObject({ layer: 'settings_change', severity: 'critical' });
    expect(event!.contained_at).not.toBeNull();
    expect(await cardsStopped()).toBe(true);
  });

  it('attribute an operator’s baseline approval to the baseline’s shop', async () => {
    const baseline = await database.ownerExec(
      `INSERT INTO monitor_baselines (tenant_id, profile, snapshot, origin, status, requested_by) VALUES ($1, 'desktop', '{}', 'first_walk', 'proposed', NULL) RETURNING id`,
      [shop],
    );
    const baselineId = String(baseline.rows[0]!.id);
    await withPlatform(database, (tx) => appendAudit(tx, { ...staffEntry('monitor.baseline.approve'), actorType: 'operator', resourceType: 'monitor_baseline', resourceId: baselineId }));
    const [item] = await queued();
    expect(item!.tenant_id).toBeNull();
    await deliverSettingsChange(database, item!.payload, DEVELOPMENT_PROVIDER_HOSTS);
    expect(await openEvents()).toMatchObject([{ tenant_id: shop, layer: 'settings_change', severity: 'warning' }]);
    expect(walks).toEqual([{ tenantId: shop, reason: 'settings:monitor.baseline.approve' }]);
  });
});

describe('verifyPaymentSettings (the verifier’s check, whatever wrote the settings)', () => {
  it('flags stored endpoints outside the platform’s provider hosts; loopback only outside production', async () => {
    await database.ownerExec(
      `INSERT INTO provider_accounts (tenant_id, provider, api_base_url, hosted_page_origin, secret_key_sealed) VALUES ($1, 'stripe', 'http://127.0.0.1:3100', 'http://127.0.0.1:3100', 'sealed')
       ON CONFLICT (tenant_id) DO UPDATE SET api_base_url = EXCLUDED.api_base_url, hosted_page_origin = EXCLUDED.hosted_page_origin`,
      [shop],
    );
    expect((await verifyPaymentSettings(database, DEVELOPMENT_PROVIDER_HOSTS)).findings).toEqual([]);
    const production = providerHostPolicy({ APP_ENV: 'production', EGRESS_ALLOW_HOSTS: '' });
    expect((await verifyPaymentSettings(database, production)).findings.map((f) => f.severity)).toEqual(['critical']);
    await database.ownerExec(`UPDATE provider_accounts SET hosted_page_origin = 'https://pay-oroshi.evil.example' WHERE tenant_id = $1`, [shop]);
    const check = await verifyPaymentSettings(database, DEVELOPMENT_PROVIDER_HOSTS);
    expect(check.findings).toMatchObject([{ tenantId: shop, layer: 'db_text_verifier', severity: 'critical', kind: 'settings.provider-endpoint-unrecognised' }]);
    expect(check.findings[0]!.summary).toContain('https://pay-oroshi.evil.example');
    expect((await verifyPaymentSettings(database, providerHostPolicy({ APP_ENV: 'production', EGRESS_ALLOW_HOSTS: '*.evil.example, 127.0.0.1' }))).findings).toEqual([]);
  });
});
