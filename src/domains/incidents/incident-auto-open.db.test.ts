import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { raiseSecurityEvent, type SecurityEventInput } from '../security/security-events.service.ts';

let database: Database;
const shops: string[] = [];
const settings = { engageCardKillSwitch: async () => ({ changed: true }), webhookUrl: null };

const critical = (tenantId: string | null, fingerprint: string, layer: SecurityEventInput['layer'] = 'browser_monitor'): SecurityEventInput => ({
  tenantId,
  layer,
  severity: 'critical',
  kind: 'walk.script-added',
  page: 'checkout',
  summary: '決済画面に未承認のスクリプトが追加されました',
  fingerprint,
  evidence: [{ kind: 'walk-diff', data: { fingerprint } }],
});

async function incidentsOf(tenantId: string) {
  const { rows } = await database.ownerExec(
    `SELECT i.id, i.source, i.security_event_id FROM incidents i JOIN incident_shops s ON s.incident_id = i.id WHERE s.tenant_id = $1 ORDER BY i.opened_at`,
    [tenantId],
  );
  return rows as { id: string; source: string; security_event_id: string }[];
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  const { rows } = await database.ownerExec(`SELECT id FROM tenants ORDER BY sort_order, slug`);
  shops.push(...rows.map((r) => String(r.id)));
}, 60_000);

afterAll(async () => {
  await database?.close();
});

describe('incidents opened automatically from critical security events', () => {
  it('opens one with the event attached and the window from the evidence; a second event for the shop joins it; a repeat changes nothing', async () => {
    const [a] = shops;
    const first = await raiseSecurityEvent(database, critical(a!, 'walk:a:1'), settings);
    expect(first.incident?.opened).toBe(true);
    const [incident] = await incidentsOf(a!);
    expect(incident).toMatchObject({ id: first.incident!.id, source: 'security_event', security_event_id: first.id });
    const event = (await database.ownerExec(`SELECT incident_id, first_seen_at FROM security_events WHERE id = $1`, [first.id])).rows[0]!;
    expect(event.incident_id).toBe(first.incident!.id);
    const opened = (await database.ownerExec(`SELECT aware_at FROM incidents WHERE id = $1`, [first.incident!.id])).rows[0]!;
    expect(new Date(opened.aware_at as string).getTime()).toBe(new Date(event.first_seen_at as string).getTime());
    const window = (await database.ownerExec(`SELECT window_source, window_start FROM incident_shops WHERE incident_id = $1`, [first.incident!.id])).rows[0]!;
    expect(window.window_source).toBe('security_event');

    const second = await raiseSecurityEvent(database, critical(a!, 'walk:a:2', 'csp_report'), settings);
    expect(second.incident).toEqual({ id: first.incident!.id, opened: false });
    const repeat = await raiseSecurityEvent(database, critical(a!, 'walk:a:1'), settings);
    expect(repeat.incident).toEqual({ id: first.incident!.id, opened: false });
    expect(await incidentsOf(a!)).toHaveLength(1);
    const audit = await database.ownerExec(`SELECT action FROM audit_log WHERE tenant_id IS NULL AND resource_id = $1 ORDER BY seq`, [first.incident!.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['incident.shop_added', 'incident.open', 'incident.event_attached']);
  });

  it('two layers reporting at the same moment end on one incident', async () => {
    const b = shops[1]!;
    const [x, y] = await Promise.all([raiseSecurityEvent(database, critical(b, 'walk:b:1'), settings), raiseSecurityEvent(database, critical(b, 'csp:b:1', 'csp_report'), settings)]);
    expect(x.incident!.id).toBe(y.incident!.id);
    expect(await incidentsOf(b)).toHaveLength(1);
  });

  it('a warning opens nothing; a platform-wide critical event puts every open shop on the incident', async () => {
    const c = shops[2]!;
    const warning = await raiseSecurityEvent(database, { ...critical(c, 'warn:c'), severity: 'warning' }, settings);
    expect(warning.incident).toBeNull();
    expect(await incidentsOf(c)).toHaveLength(0);
    const build = await raiseSecurityEvent(database, { ...critical(null, 'build:1', 'build_verifier'), kind: 'file.modified', summary: '決済モジュールのファイルが改ざんされています' }, settings);
    const onIt = (await database.ownerExec(`SELECT tenant_id FROM incident_shops WHERE incident_id = $1`, [build.incident!.id])).rows.map((r) => r.tenant_id);
    expect(onIt).toContain(c);
    expect(onIt.length).toBe(shops.length);
  });

  it('containment stands when opening fails: the failure is kept as evidence on the event', async () => {
    const d = shops[3]!;
    const raised = await raiseSecurityEvent(database, critical(d, 'walk:d:1'), {
      ...settings,
      openIncident: async () => {
        throw new Error('database busy');
      },
    });
    expect(raised.containment).not.toBeNull();
    expect(raised.incident).toBeNull();
    const kinds = (await database.ownerExec(`SELECT kind FROM security_evidence WHERE event_id = $1`, [raised.id])).rows.map((r) => r.kind);
    expect(kinds).toContain('incident-open-failed');
  });
});
