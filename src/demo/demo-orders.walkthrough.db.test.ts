import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salonSessionCookie, staffSessionCookie } from '../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../test/test-app.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import type { Database } from '../platform/db/database.ts';
import { withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import type { Platform } from '../platform/http/platform.ts';
import { createLogger } from '../platform/log/logger.ts';
import { pdfText } from '../platform/pdf/pdf-inspect.testing.ts';
import { demoId } from './seed-accounts.ts';
import { seedDemo } from './seed-demo.ts';

/**
 * Issue 5's "done when" on the seeded demo, over HTTP: the demo member downloads a qualified
 * invoice and the closed monthly statement and asks to return goods; staff print the picking list
 * (with 棚番), export a carrier CSV, decide the waiting return (a 掛け払い credit and the
 * 返還インボイス) and see the statement in 月次請求書.
 */

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let tenantId: string;
let member: string;
let staff: string;
const accountId = demoId('salon', 'hanamizuki');

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, platform } = await createTestApp(database, { env: { DATA_DIR: '.tmp/test-data-demo-walkthrough' } }));
  await seedDemo(database, platform.secrets, createLogger('silent'), { dataDir: platform.config.dataDir });
  tenantId = await withPlatform(database, async (tx) => (await tx.selectFrom('tenants').select('id').where('slug', '=', 'ayame-color').executeTakeFirstOrThrow()).id);
  member = await salonSessionCookie(platform, { userId: demoId('salon-user', 'owner@hanamizuki-hair.example'), accountId }, tenantId);
  staff = await staffSessionCookie(platform, { userId: demoId('staff', 'admin@ayame-color.example'), tenantId });
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const orders = () => withTenant(database, tenantId, (tx) => tx.selectFrom('orders').selectAll().where('account_id', '=', accountId).orderBy('placed_at').execute());
const get = (cookie: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
async function post(cookie: string, pageUrl: string, url: string, form: Record<string, string | string[]>) {
  const page = await get(cookie, pageUrl);
  expect(page.statusCode, pageUrl).toBe(200);
  const csrf = csrfFrom(page);
  const params = new URLSearchParams({ _csrf: csrf.token });
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return app.inject({ method: 'POST', url, headers: { cookie: `${cookie}; ${csrf.cookie}`, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, payload: params.toString() });
}

describe('the demo, by hand', () => {
  it('the member sees the history, downloads a qualified invoice and the monthly statement', async () => {
    const [delivered] = await orders();
    const history = await get(member, '/s/ayame-color/account/orders');
    expect(history.statusCode).toBe(200);
    for (const o of await orders()) expect(history.body).toContain(o.order_number);
    const invoice = await get(member, `/s/ayame-color/account/orders/${delivered!.id}/invoice.pdf`);
    expect(invoice.statusCode).toBe(200);
    const invoiceText = (await pdfText(invoice.rawPayload)).replace(/\s+/g, '');
    for (const field of ['適格請求書', '登録番号', delivered!.order_number, '有限会社はなみずき美容室', '10%対象']) expect(invoiceText).toContain(field);

    const statements = await get(member, '/s/ayame-color/account/statements');
    const link = /href="([^"]+\/account\/documents\/[0-9a-f-]+\.pdf)"/.exec(statements.body)?.[1];
    expect(link).toBeDefined();
    const statement = await get(member, link!.replace(/^https?:\/\/[^/]+/, ''));
    expect(statement.statusCode).toBe(200);
    const statementText = (await pdfText(statement.rawPayload)).replace(/\s+/g, '');
    expect(statementText).toContain('20日締め翌月末払い');
    expect(statementText).toContain(delivered!.order_number);
  });

  it('the member asks to return goods of a delivered order', async () => {
    const [delivered] = await orders();
    const url = `/s/ayame-color/account/orders/${delivered!.id}`;
    const line = await withTenant(database, tenantId, (tx) => tx.selectFrom('order_lines').select('line_no').where('order_id', '=', delivered!.id).orderBy('line_no').executeTakeFirstOrThrow());
    const asked = await post(member, url, `${url}/return`, { [`qty_${line.line_no}`]: '1', reason: '色味が見本と違いました' });
    expect(asked.statusCode).toBe(303);
    expect((await orders())[0]!.status).toBe('return_requested');
  });

  it('staff print the picking list with shelves, export a carrier CSV, and decide the waiting return', async () => {
    const rows = await orders();
    const toPick = rows.find((o) => o.status === 'confirmed')!;
    const picking = await post(staff, '/admin/ayame-color/orders', '/admin/ayame-color/orders/bulk', { action: 'picking', ids: [toPick.id] });
    expect(picking.headers['content-type']).toBe('application/pdf');
    const pickText = await pdfText(picking.rawPayload);
    expect(pickText).toContain('棚番');
    expect(pickText).toMatch(/[A-F]-\d{2}-\d/);
    const csv = await post(staff, '/admin/ayame-color/orders', '/admin/ayame-color/orders/bulk', { action: 'sagawa', ids: [toPick.id] });
    expect(csv.statusCode, csv.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(-1500)).toBe(200);
    expect(csv.headers['content-type']).toContain('Shift_JIS');

    const waiting = rows[1]!;
    const request = await withTenant(database, tenantId, (tx) => tx.selectFrom('returns').select('id').where('order_id', '=', waiting.id).where('status', '=', 'requested').executeTakeFirstOrThrow());
    const url = `/admin/ayame-color/orders/${waiting.id}`;
    const decided = await post(staff, url, `${url}/returns/${request.id}/decide`, { decision: 'approve', note: '交換品と一緒にお送りします', restock: '1' });
    expect(decided.statusCode).toBe(303);
    const detail = await get(staff, url);
    expect(detail.body).toContain('相殺済み');
    expect(detail.body).toContain('返還インボイス');
    const statements = await get(staff, '/admin/ayame-color/statements');
    expect(statements.statusCode).toBe(200);
    expect(statements.body).toContain('有限会社はなみずき美容室');
    expect(statements.body).toContain('送付済み（メール');
  });
});
