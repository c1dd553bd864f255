import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import { cardKillState, engageCardKillSwitch } from '../../../domains/payments/card-kill-switch.service.ts';
import { seedStaffUser, staffSessionToken, tenantIdOf } from '../../../domains/staff/console.test-support.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';

/**
 * The operator's カード停止 page: every shop's switch and the platform-wide one; engaging one shop
 * or all at once; releasing with step-up, an automatic stop's release recorded as the operator's
 * approval in the shop's own audit chain. Shop staff never reach it.
 */

let database: Database;
let app: FastifyInstance;
let shopA: string;
let shopB: string;
let officer: { id: string; tenantId: string | null };
let officerCookie: string;
const PAGE = '/operator/kill-switch';

const cookieOf = async (staff: { id: string; tenantId: string | null }, options?: { stepUp?: boolean }) => `oroshi_session=${await staffSessionToken(database, staff, options)}`;

async function postAs(cookie: string, url: string, payload: Record<string, string>) {
  const page = await app.inject({ url: PAGE, headers: { cookie } });
  const csrf = csrfFrom(page);
  return app.inject({ method: 'POST', url, headers: { cookie: `${cookie}; ${csrf.cookie}`, 'sec-fetch-site': 'same-origin' }, payload: { ...payload, _csrf: csrf.token } });
}

const stateOf = (tenantId: string) => withTenant(database, tenantId, (tx) => cardKillState(tx, tenantId));

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app } = await createTestApp(database));
  shopA = await tenantIdOf(database, 'ayame-color');
  const other = await database.ownerExec(`SELECT id FROM tenants WHERE id <> $1 ORDER BY sort_order LIMIT 1`, [shopA]);
  shopB = other.rows[0]!.id as string;
  officer = await seedStaffUser(database, { tenantId: null, role: 'security_officer', name: '保安 太郎' });
  officerCookie = await cookieOf(officer);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('operator card kill switch', () => {
  it('admits platform admins and security officers only', async () => {
    const admin = await cookieOf(await seedStaffUser(database, { tenantId: null, role: 'platform_admin' }));
    expect((await app.inject({ url: PAGE, headers: { cookie: admin } })).statusCode).toBe(200);
    const page = await app.inject({ url: PAGE, headers: { cookie: officerCookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('全ショップ（プラットフォーム全体）');
    expect(page.body).toContain('href="/operator/kill-switch"');
    const shopAdmin = await cookieOf(await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin' }));
    expect((await app.inject({ url: PAGE, headers: { cookie: shopAdmin } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `${PAGE}/engage`, headers: { cookie: shopAdmin }, payload: { target: 'all', reason: 'x' } })).statusCode).toBe(403);
    expect((await stateOf(shopA)).engaged).toBe(false);
  });

  it('engages one shop, then all; the form keeps what was typed on a mistake', async () => {
    const bad = await postAs(officerCookie, `${PAGE}/engage`, { target: shopA, reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('理由を入力してください');
    const unknown = await postAs(officerCookie, `${PAGE}/engage`, { target: 'nope', reason: '調査' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('調査');

    expect((await postAs(officerCookie, `${PAGE}/engage`, { target: shopA, reason: 'カード会社から不正利用の連絡' })).headers.location).toBe(`${PAGE}?done=stopped`);
    expect(await stateOf(shopA)).toMatchObject({ engaged: true, scope: 'shop', automatic: false });
    expect((await stateOf(shopB)).engaged).toBe(false);
    const audit = await database.ownerExec(`SELECT actor_type, reason FROM audit_log WHERE tenant_id = $1 AND action = 'payments.card_stopped'`, [shopA]);
    expect(audit.rows).toEqual([{ actor_type: 'operator', reason: 'カード会社から不正利用の連絡' }]);

    expect((await postAs(officerCookie, `${PAGE}/engage`, { target: 'all', reason: 'プラットフォーム全体の調査' })).statusCode).toBe(303);
    expect(await stateOf(shopB)).toMatchObject({ engaged: true, scope: 'all' });
    const page = await app.inject({ url: PAGE, headers: { cookie: officerCookie } });
    expect(page.body).toContain('全ショップのカード決済を停止中です');

    const stale = await cookieOf(officer, { stepUp: false });
    const noStepUp = await postAs(stale, `${PAGE}/all/release`, { reason: '調査完了' });
    expect(noStepUp.headers.location).toBe(`/admin/step-up?next=${encodeURIComponent(PAGE)}`);
    expect((await stateOf(shopB)).engaged).toBe(true);
    expect((await postAs(officerCookie, `${PAGE}/all/release`, { reason: '調査完了' })).headers.location).toBe(`${PAGE}?done=resumed`);
    expect((await stateOf(shopB)).engaged).toBe(false);
    expect(await stateOf(shopA)).toMatchObject({ engaged: true, scope: 'shop' });
    expect((await postAs(officerCookie, `${PAGE}/${shopA}/release`, { reason: '調査完了' })).statusCode).toBe(303);
    expect((await stateOf(shopA)).engaged).toBe(false);
  });

  it('records releasing an automatic stop as the operator’s approval', async () => {
    await engageCardKillSwitch(database, { tenantId: shopB, reason: '決済ページのスクリプトが基準と違います', automatic: true });
    const page = await app.inject({ url: PAGE, headers: { cookie: officerCookie } });
    expect(page.body).toContain('自動停止中');
    expect(page.body).toContain('承認してカード決済を再開');
    const missing = await postAs(officerCookie, `${PAGE}/${shopB}/release`, { reason: '' });
    expect(missing.statusCode).toBe(400);
    expect((await stateOf(shopB)).engaged).toBe(true);

    const approved = await postAs(officerCookie, `${PAGE}/${shopB}/release`, { reason: '差分はデプロイ由来と確認' });
    expect(approved.headers.location).toBe(`${PAGE}?done=approved`);
    expect((await stateOf(shopB)).engaged).toBe(false);
    const history = await database.ownerExec(`SELECT engaged, actor_type, approved_by FROM card_kill_switch_history WHERE tenant_id = $1 ORDER BY at`, [shopB]);
    expect(history.rows.at(-1)).toEqual({ engaged: false, actor_type: 'operator', approved_by: officer.id });
    const audit = await database.ownerExec(`SELECT detail FROM audit_log WHERE tenant_id = $1 AND action = 'payments.card_resumed'`, [shopB]);
    expect(audit.rows.at(-1)).toMatchObject({ detail: expect.objectContaining({ approvedBy: officer.id }) });
    const after = await app.inject({ url: `${PAGE}?done=approved`, headers: { cookie: officerCookie } });
    expect(after.body).toContain('運営（承認: 保安 太郎）');
  });
});
