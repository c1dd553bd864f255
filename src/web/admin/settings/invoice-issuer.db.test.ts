import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { addMember, addVariant, type CommerceShop, commerceShop } from '../../../domains/checkout/checkout-fixtures.testing.ts';
import { placeTestOrder } from '../../../domains/fulfilment/fulfilment-fixtures.testing.ts';
import { readDocumentPdf } from '../../../domains/invoicing/document-store.ts';
import { issueOrderInvoice } from '../../../domains/invoicing/order-invoice.service.ts';
import { corporateNumberCheckDigit } from '../../../domains/invoicing/registration-number.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { pdfText } from '../../../platform/pdf/pdf-inspect.testing.ts';
import { postForm, staffCookie, withCsrf } from '../orders/staff-http.test-support.ts';

/**
 * 請求書の発行者情報 over HTTP: shop admins only, step-up to save, T-number check digit and bank
 * account validated with the form shown again, audited with the account masked, and the next
 * invoice carries the new issuer and note.
 */

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let shop: CommerceShop;
const base = '123456789012';
const valid = `T${corporateNumberCheckDigit(base)}${base}`;
const wrongCheck = `T${(corporateNumberCheckDigit(base) % 9) + 1}${base}`;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, platform } = await createTestApp(database));
  shop = await commerceShop(database, 'ayame-color');
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const url = () => `/admin/${shop.slug}/settings/invoice-issuer`;
const form = (over: Record<string, string> = {}) => ({
  registrationNumber: `${valid.slice(0, 5)}-${valid.slice(5, 9)}-${valid.slice(9)}`,
  issuerName: '株式会社アヤメカラー',
  issuerPostalCode: '１５０－０００１',
  issuerAddress: '東京都渋谷区神宮前1-2-3 アヤメビル5F',
  issuerPhone: '03-5555-0101',
  bankName: 'みずほ銀行',
  branchName: '渋谷支店',
  accountType: '当座',
  accountNumber: '0123456',
  accountHolder: 'ｶ)ｱﾔﾒｶﾗｰ',
  invoiceNote: '振込手数料は貴社にてご負担ください。社印は省略しております。',
  ...over,
});
const settings = () => withTenant(database, shop.tenantId, (tx) => tx.selectFrom('shop_settings').selectAll().where('tenant_id', '=', shop.tenantId).executeTakeFirstOrThrow());

describe('請求書の発行者情報', () => {
  it('shows the current issuer and refuses bad input with the form again, changing nothing', async () => {
    const admin = await staffCookie(platform, shop.tenantId, 'shop_admin');
    const before = await settings();
    const page = await withCsrf(app, admin, url());
    const bad = await postForm(app, page, url(), form({ registrationNumber: wrongCheck, accountNumber: '12345', issuerPostalCode: '15', issuerName: '' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('登録番号に誤りがあります');
    expect(bad.body).toContain('口座番号は7桁の数字で入力してください。');
    expect(bad.body).toContain('郵便番号は7桁');
    expect(bad.body).toContain('発行者名（会社名）を入力してください。');
    expect(bad.body).toContain('value="渋谷支店"');
    const thirteen = await postForm(app, page, url(), form({ registrationNumber: valid.slice(1) }));
    expect(thirteen.body).toContain('先頭の「T」を含めて');
    expect(await settings()).toEqual(before);
  });

  it('saves after step-up, audits with the account masked, and the next invoice prints it', async () => {
    const admin = await staffCookie(platform, shop.tenantId, 'shop_admin');
    const page = await withCsrf(app, admin, url());
    await database.ownerExec(`UPDATE sessions SET step_up_at = now() - interval '1 hour' WHERE user_id = $1`, [admin.userId]);
    const stale = await postForm(app, page, url(), form());
    expect(stale.statusCode).toBe(303);
    expect(String(stale.headers.location)).toContain('/admin/step-up');
    expect((await settings()).registration_number).not.toBe(valid);

    await database.ownerExec(`UPDATE sessions SET step_up_at = now() WHERE user_id = $1`, [admin.userId]);
    const saved = await postForm(app, page, url(), form());
    expect(saved.statusCode).toBe(303);
    const row = await settings();
    expect(row).toMatchObject({ registration_number: valid, issuer_name: '株式会社アヤメカラー', issuer_postal_code: '1500001', invoice_note: form().invoiceNote });
    expect(row.bank_account).toMatchObject({ bankName: 'みずほ銀行', accountType: '当座', accountNumber: '0123456', accountHolder: 'カ)アヤメカラー' });
    const audit = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('audit_log').select(['detail', 'actor_id']).where('action', '=', 'shop.invoice_issuer_updated').executeTakeFirstOrThrow());
    expect(audit.actor_id).toBe(admin.userId);
    expect(JSON.stringify(audit.detail)).toContain('***456');
    expect(JSON.stringify(audit.detail)).not.toContain('0123456');
    const shown = await app.inject({ method: 'GET', url: `${url()}?done=1`, headers: { cookie: admin.cookie } });
    expect(shown.body).toContain('発行者情報を保存しました');
    expect(shown.body).toContain(`value="${valid}"`);

    const variant = await addVariant(database, shop, { sku: 'ISS-1', listPriceYen: 1200 });
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 100_000 });
    const order = await placeTestOrder(database, shop, member, [{ variantId: variant, quantity: 2 }]).catch((e) => { throw new Error(`PLACE ${e.stack}`); });
    const doc = await issueOrderInvoice({ inScope: (fn) => withTenant(database, shop.tenantId, fn), dataDir: platform.config.dataDir }, { tenantId: shop.tenantId, orderId: order.orderId });
    const text = (await pdfText(await readDocumentPdf(platform.config.dataDir, doc))).replace(/\s+/g, '');
    expect(text).toContain(valid);
    expect(text).toContain('株式会社アヤメカラー');
    expect(text).toContain('0123456');
    expect(text).toContain('社印は省略しております');
  });

  it('is for shop admins only', async () => {
    const clerk = await staffCookie(platform, shop.tenantId, 'order_clerk');
    const res = await app.inject({ method: 'GET', url: url(), headers: { cookie: clerk.cookie } });
    expect(res.statusCode).toBe(403);
  });
});
