import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withTenant } from '../../platform/db/tenant-scope.ts';
import { paymentRouteModules } from '../../web/storefront/payment/payment-routes.module.ts';
import { offeredPaymentMethods, type PaymentContext } from '../checkout/payment-methods.ts';
import type { ShopSettings } from '../orders/shop-settings.ts';
import { ForbiddenError } from '../shared/domain-error.ts';
import { cardKillState, engageCardKillSwitch, setCardKillSwitch } from './card-kill-switch.service.ts';
import { createCardOrder, createMember, firstShop, type Member, salonSessionToken, TEST_SECRETS } from './payments.test-support.ts';
import { saveProviderKey } from './provider-account.service.ts';

let database: Database;
let member: Member;

beforeAll(async () => {
  database = await createTestDatabase();
  member = await createMember(database, await firstShop(database));
  await withTenant(database, member.tenantId, (tx) =>
    saveProviderKey(tx, new SecretBox(TEST_SECRETS), null, member.tenantId, { secretKey: 'sk_test_killswitch_probe', apiBaseUrl: 'http://127.0.0.1:9', hostedPageOrigin: 'http://127.0.0.1:9' }),
  );
}, 60_000);
afterAll(async () => database?.close());

async function offered(): Promise<Record<string, boolean>> {
  return withTenant(database, member.tenantId, async (tx) => {
    const settings = {
      tenantId: member.tenantId,
      shopSlug: member.slug,
      paymentMethods: ['bank_transfer', 'invoice', 'cod', 'card'],
      bankAccount: { bankName: 'テスト銀行', branchName: '本店', accountType: '普通', accountNumber: '1234567', accountHolder: 'テスト' },
      codFeeBands: [{ upToInclTax: 300_000, fee: 330 }],
    } as unknown as ShopSettings;
    const ctx = { tx, settings, buyer: {} as PaymentContext['buyer'], amountInclTax: 10_000, now: new Date() } as PaymentContext;
    const methods = await offeredPaymentMethods(ctx);
    return Object.fromEntries(methods.filter((m) => m.plugin.id !== 'invoice').map((m) => [m.plugin.id, m.availability.available]));
  });
}

describe('card kill switch', () => {
  it('hides card at once on every process; bank transfer and COD keep working; release rules hold', async () => {
    const a = await createTestApp(database, { routes: paymentRouteModules });
    const b = await createTestApp(database, { routes: paymentRouteModules });
    const order = await createCardOrder(database, member);
    const token = await salonSessionToken(database, member);
    const page = (instance: typeof a) =>
      instance.app.inject({ method: 'GET', url: `/s/${member.slug}/payment/${order.id}`, cookies: { oroshi_session: token } });

    expect(await offered()).toEqual({ card: true, bank_transfer: true, cod: true });
    for (const instance of [a, b]) {
      const res = await page(instance);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('カード決済へ進む');
      expect(res.headers['content-security-policy']).toContain('form-action');
      expect(res.headers['content-security-policy']).toContain('http://127.0.0.1:9');
    }

    await engageCardKillSwitch(database, { tenantId: member.tenantId, reason: 'checkout baseline deviation', automatic: true, evidence: { page: 'checkout' } });
    expect(await offered()).toEqual({ card: false, bank_transfer: true, cod: true });
    for (const instance of [a, b]) {
      const res = await page(instance);
      expect(res.body).toContain('カード決済を一時停止');
      expect(res.body).not.toContain('カード決済へ進む');
      const post = await instance.app.inject({ method: 'POST', url: `/s/${member.slug}/payment/${order.id}`, cookies: { oroshi_session: token }, payload: {} });
      expect(post.statusCode).not.toBe(303);
    }

    // An automatic stop: a shop admin cannot release it; an operator can, and that approval is recorded.
    const staff = { type: 'staff' as const, id: member.userId, label: 'shop admin' };
    await expect(
      withTenant(database, member.tenantId, (tx) => setCardKillSwitch(tx, { tenantId: member.tenantId, engaged: false, reason: '誤検知', actor: staff })),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const operator = { type: 'operator' as const, id: member.userId, label: 'security officer' };
    await withIdentity(database, { tenantId: member.tenantId, audience: 'operator' }, (tx) => setCardKillSwitch(tx, { tenantId: member.tenantId, engaged: false, reason: '確認済み', actor: operator }));
    expect(await offered()).toEqual({ card: true, bank_transfer: true, cod: true });
    const history = await database.ownerExec(`SELECT engaged, automatic, approved_by, reason FROM card_kill_switch_history WHERE tenant_id = $1 ORDER BY at`, [member.tenantId]);
    expect(history.rows).toEqual([
      { engaged: true, automatic: true, approved_by: null, reason: 'checkout baseline deviation' },
      { engaged: false, automatic: false, approved_by: member.userId, reason: '確認済み' },
    ]);
    const audit = await database.ownerExec(`SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'payments.card_%' ORDER BY seq`, [member.tenantId]);
    expect(audit.rows.map((r) => (r as { action: string }).action)).toEqual(['payments.card_stopped', 'payments.card_resumed']);

    // The platform-wide switch stops every shop's card.
    await engageCardKillSwitch(database, { tenantId: 'all', reason: 'platform incident', automatic: true });
    expect(await withTenant(database, member.tenantId, (tx) => cardKillState(tx, member.tenantId))).toMatchObject({ engaged: true, scope: 'all' });
    expect((await page(b)).body).toContain('カード決済を一時停止');
    await a.app.close();
    await b.app.close();
  });
});
