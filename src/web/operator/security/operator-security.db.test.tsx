import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStaff, staffSessionCookie } from '../../../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import { engageCardKillSwitch } from '../../../domains/payments/card-kill-switch.service.ts';
import { raiseSecurityEvent } from '../../../domains/security/security-events.service.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Platform } from '../../../platform/http/platform.ts';

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let officerCookie: string;
let shopAdminCookie: string;
let eventId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database));
  const mallId = (await database.ownerExec(`SELECT id FROM tenants WHERE slug = 'mall'`)).rows[0]!.id as string;
  const officer = await createTestStaff(platform, { tenantId: null, role: 'security_officer' });
  officerCookie = await staffSessionCookie(platform, officer);
  const shopAdmin = await createTestStaff(platform, { tenantId: mallId, role: 'shop_admin' });
  shopAdminCookie = await staffSessionCookie(platform, shopAdmin);
  const raised = await raiseSecurityEvent(
    database,
    {
      tenantId: mallId,
      layer: 'csp_report',
      severity: 'critical',
      kind: 'csp.script-src-elem',
      page: 'checkout',
      summary: '決済ページで未承認スクリプトがブロックされました',
      fingerprint: 'csp:checkout:x',
      evidence: [{ kind: 'csp-report', data: { blocked_uri: 'https://skimmer.evil.example/s.js' } }],
    },
    { engageCardKillSwitch, webhookUrl: null },
  );
  eventId = raised.id;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('/operator/security', () => {
  it('lists open events and each shop’s card stop state for the security officer', async () => {
    const res = await app.inject({ method: 'GET', url: '/operator/security', headers: { cookie: officerCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('決済ページで未承認スクリプトがブロックされました');
    expect(res.body).toContain('停止中（自動）');
    expect(res.body).toContain('検証プロセスの報告がまだありません');
  });

  it('shows the evidence of one event', async () => {
    const res = await app.inject({ method: 'GET', url: `/operator/security/events/${eventId}`, headers: { cookie: officerCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('skimmer.evil.example');
    expect(res.body).toContain('SHA-256');
  });

  it('is closed to shop staff', async () => {
    const res = await app.inject({ method: 'GET', url: '/operator/security', headers: { cookie: shopAdminCookie } });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('skimmer');
  });

  it('acknowledging needs a note, is audited, and keeps the card stop', async () => {
    const page = await app.inject({ method: 'GET', url: `/operator/security/events/${eventId}`, headers: { cookie: officerCookie } });
    const { cookie, token } = csrfFrom(page);
    const cookies = `${officerCookie}; ${cookie}`;
    const empty = await app.inject({ method: 'POST', url: `/operator/security/events/${eventId}/acknowledge`, headers: { cookie: cookies }, payload: { _csrf: token, note: '' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('確認内容を入力してください。');
    const ok = await app.inject({ method: 'POST', url: `/operator/security/events/${eventId}/acknowledge`, headers: { cookie: cookies }, payload: { _csrf: token, note: '調査開始。カード停止は維持。' } });
    expect(ok.statusCode).toBe(303);
    const audit = await database.ownerExec(`SELECT actor_type, resource_id, reason FROM audit_log WHERE action = 'security.event_acknowledged'`);
    expect(audit.rows).toEqual([{ actor_type: 'operator', resource_id: eventId, reason: '調査開始。カード停止は維持。' }]);
    const list = await app.inject({ method: 'GET', url: '/operator/security', headers: { cookie: officerCookie } });
    expect(list.body).toContain('未確認のイベントはありません。');
    expect(list.body).toContain('停止中（自動）');
  });
});
