import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStaff, staffSessionCookie } from '../../../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import { proposeBaseline } from '../../../domains/monitor/monitor-baselines.service.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';

/** The monitor and inventory screens: two people with step-up, through the real HTTP routes. */

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let tenantId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database));
  tenantId = (await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').limit(1).executeTakeFirstOrThrow())).id;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function operator(role: 'security_officer' | 'platform_admin') {
  const staff = await createTestStaff(platform, { tenantId: null, role });
  const cookie = await staffSessionCookie(platform, staff);
  await database.ownerExec(`UPDATE sessions SET step_up_at = now() WHERE user_id = '${staff.userId}'`);
  return { staff, cookie };
}

async function post(cookie: string, page: string, url: string, form: Record<string, string>) {
  const res = await app.inject({ method: 'GET', url: page, headers: { cookie } });
  const csrf = csrfFrom(res);
  return app.inject({ method: 'POST', url, headers: { cookie: `${cookie}; ${csrf.cookie}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf.token, ...form }).toString() });
}

describe('operator monitor console', () => {
  it('shows every shop and takes a baseline through request and a second person’s approval', async () => {
    const alice = await operator('security_officer');
    const bob = await operator('platform_admin');
    const page = await app.inject({ method: 'GET', url: '/operator/monitor', headers: { cookie: alice.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ブラウザー監視');

    const { id } = await withTenant(database, tenantId, (tx) => proposeBaseline(tx, { tenantId, profile: 'desktop', snapshot: { version: 1, profile: 'desktop', pages: [], paymentRedirectHost: null }, sourceWalkId: null, origin: 'first_walk' }));
    expect((await post(alice.cookie, '/operator/monitor', `/operator/monitor/baselines/${id}/request`, { reason: '初回の基準を確認した' })).statusCode).toBe(303);
    const own = await post(alice.cookie, '/operator/monitor', `/operator/monitor/baselines/${id}/decide`, { decision: 'approve', note: '' });
    expect(own.statusCode).toBe(400);
    expect(own.body).toContain('本人は承認できません');
    const other = await post(bob.cookie, '/operator/monitor', `/operator/monitor/baselines/${id}/decide`, { decision: 'approve', note: 'OK' });
    expect(other.statusCode).toBe(303);
    const row = await withTenant(database, tenantId, (tx) => tx.selectFrom('monitor_baselines').select(['status', 'requested_by', 'approved_by']).where('id', '=', id).executeTakeFirstOrThrow());
    expect(row).toEqual({ status: 'approved', requested_by: alice.staff.userId, approved_by: bob.staff.userId });
  });

  it('records script approvals with requester ≠ approver', async () => {
    const alice = await operator('security_officer');
    const bob = await operator('platform_admin');
    const inventory = await app.inject({ method: 'GET', url: '/operator/inventory', headers: { cookie: alice.cookie } });
    expect(inventory.statusCode).toBe(200);
    expect(inventory.body).toContain('postal-fill');
    expect(inventory.body).toContain('承認記録なし');
    expect((await post(alice.cookie, '/operator/inventory', '/operator/inventory/requests', { scriptId: 'postal-fill', changeReason: '出荷中のハッシュを記録' })).statusCode).toBe(303);
    const approval = await withPlatform(database, (tx) => tx.selectFrom('script_inventory_approvals').select('id').where('script_id', '=', 'postal-fill').executeTakeFirstOrThrow());
    expect((await post(alice.cookie, '/operator/inventory', `/operator/inventory/requests/${approval.id}/decide`, { decision: 'approve' })).statusCode).toBe(400);
    expect((await post(bob.cookie, '/operator/inventory', `/operator/inventory/requests/${approval.id}/decide`, { decision: 'approve' })).statusCode).toBe(303);
    const after = await app.inject({ method: 'GET', url: '/operator/inventory', headers: { cookie: bob.cookie } });
    expect(after.body).toContain('承認記録あり');
  });
});
