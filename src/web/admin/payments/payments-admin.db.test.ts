import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { engageCardKillSwitch } from '../../../domains/payments/card-kill-switch.service.ts';
import { handleCardReturn, startCardPayment } from '../../../domains/payments/card-payment.service.ts';
import { createCardOrder, createMember, firstShop, type Member, testDeps } from '../../../domains/payments/payments.test-support.ts';
import { seedStaffUser, staffSessionToken } from '../../../domains/staff/console.test-support.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { PspSandbox } from '../../../psp-sandbox/psp-sandbox.server.ts';
import { startSandbox } from '../../../psp-sandbox/psp-sandbox.test-support.ts';

/**
 * The shop's 決済 screen through the real app: the key is saved sealed (step-up, audited, never
 * shown again), the webhook is registered at the sandbox, a card payment made through that
 * account is listed and refunded within what is left, and the kill switch engages at once while
 * an automatic stop cannot be released by the shop. Other shop roles are refused.
 */

let database: Database;
let app: FastifyInstance;
let sandbox: PspSandbox;
let member: Member;
let adminCookie: string;
let base: string;

const cookieOf = async (staff: { id: string; tenantId: string | null }, options?: { stepUp?: boolean }) => `oroshi_session=${await staffSessionToken(database, staff, options)}`;

async function postAs(cookie: string, url: string, payload: Record<string, string>) {
  const page = await app.inject({ url: base, headers: { cookie } });
  const csrf = csrfFrom(page);
  return app.inject({ method: 'POST', url, headers: { cookie: `${cookie}; ${csrf.cookie}`, 'sec-fetch-site': 'same-origin' }, payload: { ...payload, _csrf: csrf.token } });
}

const audits = async (action: string) => (await database.ownerExec(`SELECT detail, reason FROM audit_log WHERE tenant_id = $1 AND action = $2 ORDER BY seq`, [member.tenantId, action])).rows;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startSandbox({ testHooks: true, webhookRetry: { initialDelayMs: 20, maxDelayMs: 50, maxAttempts: 1, timeoutMs: 500 } });
  member = await createMember(database, await firstShop(database));
  ({ app } = await createTestApp(database));
  const admin = await seedStaffUser(database, { tenantId: member.tenantId, role: 'shop_admin' });
  adminCookie = await cookieOf(admin);
  base = `/admin/${member.slug}/payments`;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
  await database?.close();
});

describe('shop payments screen', () => {
  it('is for shop admins only', async () => {
    for (const role of ['order_clerk', 'catalog_editor'] as const) {
      const cookie = await cookieOf(await seedStaffUser(database, { tenantId: member.tenantId, role }));
      expect((await app.inject({ url: base, headers: { cookie } })).statusCode, role).toBe(403);
      expect((await app.inject({ method: 'POST', url: `${base}/key`, headers: { cookie }, payload: { secretKey: 'sk_test_stolen_key_0000' } })).statusCode, role).toBe(403);
    }
    const res = await app.inject({ url: base, headers: { cookie: adminCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('まだ決済サービスのアカウントがありません');
    expect(res.body).toContain(`href="/admin/${member.slug}/payments"`);
  });

  it('saves the secret key sealed with step-up, shows only its hint, and registers the webhook', async () => {
    const secretKey = 'sk_test_admin_screen_key_7Q4z';
    const stale = await cookieOf({ id: (await seedStaffUser(database, { tenantId: member.tenantId, role: 'shop_admin' })).id, tenantId: member.tenantId }, { stepUp: false });
    const refused = await postAs(stale, `${base}/key`, { secretKey, apiBaseUrl: sandbox.origin, hostedPageOrigin: sandbox.origin });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe(`/admin/step-up?next=${encodeURIComponent(base)}`);

    const bad = await postAs(adminCookie, `${base}/key`, { secretKey: 'pk_test_wrong', apiBaseUrl: 'ftp://x', hostedPageOrigin: sandbox.origin });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('シークレットキー（sk_test_… または sk_live_…）を入力してください。');
    expect(bad.body).toContain('value="ftp://x"');
    expect(bad.body).not.toContain('pk_test_wrong');

    const saved = await postAs(adminCookie, `${base}/key`, { secretKey, apiBaseUrl: sandbox.origin, hostedPageOrigin: sandbox.origin, captureMethod: 'automatic' });
    expect(saved.statusCode).toBe(303);
    const page = await app.inject({ url: `${base}?done=key`, headers: { cookie: adminCookie } });
    expect(page.body).toContain('sk_test_…7Q4z');
    expect(page.body).not.toContain(secretKey);
    expect(page.body).toContain('未登録');
    const stored = JSON.stringify((await database.ownerExec('SELECT * FROM provider_accounts WHERE tenant_id = $1', [member.tenantId])).rows);
    expect(stored).not.toContain(secretKey);
    expect(JSON.stringify(await audits('payments.provider_key_set'))).toContain('sk_test_…7Q4z');
    expect(JSON.stringify(await database.ownerExec('SELECT * FROM audit_log'))).not.toContain(secretKey);

    const registered = await postAs(adminCookie, `${base}/webhook`, {});
    expect(registered.statusCode).toBe(303);
    const after = await app.inject({ url: base, headers: { cookie: adminCookie } });
    expect(after.body).toContain('登録済み');
    expect(after.body).toMatch(/we_[A-Za-z0-9]+/);
    expect(await audits('payments.webhook_registered')).toHaveLength(1);
  });

  it('lists a card payment with brand, last four and 3DS, and refunds no more than is left', async () => {
    const order = await createCardOrder(database, member, 12_100);
    const identity = { tenantId: member.tenantId, accountId: member.accountId, principalId: member.userId, audience: 'salon' as const };
    const started = await startCardPayment(testDeps(database), {
      identity,
      orderId: order.id,
      shopName: 'テスト',
      clientIp: '198.51.100.9',
      successUrl: `http://shop.test/r?session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: 'http://shop.test/c',
    });
    if (started.kind !== 'redirect') throw new Error(`not started: ${started.kind}`);
    const sessionId = started.url.split('/pay/')[1]!;
    const paid = await fetch(`${sandbox.origin}/__sandbox/sessions/${sessionId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ number: '4000000000003220', three_d_secure: 'authenticate' }).toString(),
    });
    expect(((await paid.json()) as { result: string }).result).toBe('succeeded');
    expect((await handleCardReturn(testDeps(database), { identity, orderId: order.id, sessionId })).kind).toBe('settled');

    const page = await app.inject({ url: base, headers: { cookie: adminCookie } });
    expect(page.body).toContain(order.orderNumber);
    expect(page.body).toContain('VISA ••••3220');
    expect(page.body).toContain('認証成功');
    expect(page.body).toContain('返金（残り 12,100円）');
    const paymentId = /action="[^"]+\/payments\/([0-9a-f-]{36})\/refund"/.exec(page.body)![1]!;
    const key = /name="requestKey" value="([^"]+)"/.exec(page.body)![1]!;

    const stale = await cookieOf({ id: (await seedStaffUser(database, { tenantId: member.tenantId, role: 'shop_admin' })).id, tenantId: member.tenantId }, { stepUp: false });
    const noStepUp = await postAs(stale, `${base}/${paymentId}/refund`, { amountYen: '100', reason: '返品', requestKey: key });
    expect(noStepUp.statusCode).toBe(303);
    expect(noStepUp.headers.location).toContain('/admin/step-up');

    const tooMuch = await postAs(adminCookie, `${base}/${paymentId}/refund`, { amountYen: '12101', reason: '返品', requestKey: key });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.body).toContain('返金可能額（12,100円）を超えています');
    expect(tooMuch.body).toContain('value="12101"');

    const partial = await postAs(adminCookie, `${base}/${paymentId}/refund`, { amountYen: '２,１００', reason: '一部返品', requestKey: key });
    expect(partial.statusCode).toBe(303);
    const after = await app.inject({ url: base, headers: { cookie: adminCookie } });
    expect(after.body).toContain('返金済み 2,100円');
    expect(after.body).toContain('返金（残り 10,000円）');
    expect(await audits('payments.refunded')).toEqual([expect.objectContaining({ reason: '一部返品' })]);
    const again = await postAs(adminCookie, `${base}/${paymentId}/refund`, { amountYen: '10001', reason: '返品', requestKey: 'f'.repeat(8) });
    expect(again.statusCode).toBe(400);
  });

  it('engages the kill switch at once, releases with step-up, and never releases an automatic stop', async () => {
    const empty = await postAs(adminCookie, `${base}/kill-switch/engage`, { reason: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('理由を入力してください');

    const stale = await cookieOf({ id: (await seedStaffUser(database, { tenantId: member.tenantId, role: 'shop_admin' })).id, tenantId: member.tenantId }, { stepUp: false });
    const engaged = await postAs(stale, `${base}/kill-switch/engage`, { reason: '不審な注文が続いたため' });
    expect(engaged.headers.location).toBe(`${base}?done=stopped`);
    let page = await app.inject({ url: base, headers: { cookie: adminCookie } });
    expect(page.body).toContain('不審な注文が続いたため');
    expect(page.body).toContain('カード決済を再開する');

    const release = await postAs(stale, `${base}/kill-switch/release`, { reason: '確認済み' });
    expect(release.headers.location).toContain('/admin/step-up');
    expect((await postAs(adminCookie, `${base}/kill-switch/release`, { reason: '確認済み' })).statusCode).toBe(303);
    page = await app.inject({ url: base, headers: { cookie: adminCookie } });
    expect(page.body).toContain('受付中');

    await engageCardKillSwitch(database, { tenantId: member.tenantId, reason: 'チェックアウトの改ざんを検知', automatic: true });
    page = await app.inject({ url: base, headers: { cookie: adminCookie } });
    expect(page.body).toContain('運営者の承認が必要です');
    expect(page.body).not.toContain('カード決済を再開する');
    const refused = await postAs(adminCookie, `${base}/kill-switch/release`, { reason: '誤検知だと思う' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('運営者の承認が必要です');
    const row = (await database.ownerExec('SELECT engaged, automatic FROM card_kill_switches WHERE tenant_id = $1', [member.tenantId])).rows[0];
    expect(row).toEqual({ engaged: true, automatic: true });
    expect((await audits('payments.card_stopped')).length).toBe(2);
    expect((await audits('payments.card_resumed')).length).toBe(1);
  });
});
