import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStaff, staffSessionCookie, type TestStaff } from '../../../../test/sign-in.ts';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import { loadAuditSigningKey } from '../../../domains/audit/audit-anchor-key.ts';
import { verifyEvidenceBundle } from '../../../domains/incidents/evidence-bundle.tar.ts';
import { openIncident, setExposureWindow } from '../../../domains/incidents/incident.service.ts';
import { seedCardPayment, seedMember } from '../../../domains/incidents/incident.test-support.ts';
import { SYSTEM_ACTOR } from '../../../domains/incidents/incident-actor.ts';
import { produceIncidentDocuments } from '../../../domains/incidents/incident-workbench.service.ts';
import { parseJst } from '../../../domains/incidents/jst.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Platform } from '../../../platform/http/platform.ts';

/**
 * The workbench over HTTP: the operator's screens (list, open, window, documents, sending,
 * exports with step-up, evidence bundle), a shop's public notice page, and the shop console,
 * where staff see only their own shop's incidents, window, counts and documents.
 */

const jst = (s: string) => parseJst(s)!;
let database: Database;
let app: FastifyInstance;
let platform: Platform;
let dataDir: string;
const shop: Record<'a' | 'b', { id: string; slug: string }> = { a: { id: '', slug: 'ayame-color' }, b: { id: '', slug: '' } };
const cookie: Record<string, string> = {};
const staff: Record<string, TestStaff> = {};
let incidentA: string;
let incidentB: string;

async function stepUp(user: TestStaff) {
  await database.ownerExec(`UPDATE sessions SET step_up_at = now() WHERE user_id = $1`, [user.userId]);
}

async function form(url: string, who: string, payload: Record<string, string | string[]>) {
  const page = await app.inject({ method: 'GET', url: url.startsWith('/operator/incidents/') ? url.split('/').slice(0, 4).join('/') : '/operator/incidents', headers: { cookie: cookie[who]! } });
  const { cookie: csrf, token } = csrfFrom(page);
  return app.inject({ method: 'POST', url, headers: { cookie: `${cookie[who]}; ${csrf}` }, payload: { _csrf: token, ...payload } });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-workbench-'));
  ({ app, platform } = await createTestApp(database, { env: { DATA_DIR: dataDir } }));
  const rows = (await database.ownerExec(`SELECT id, slug FROM tenants ORDER BY sort_order, slug`)).rows as { id: string; slug: string }[];
  shop.a.id = rows.find((r) => r.slug === shop.a.slug)!.id;
  const other = rows.find((r) => r.slug !== shop.a.slug)!;
  shop.b = { id: other.id, slug: other.slug };
  staff.officer = await createTestStaff(platform, { tenantId: null, role: 'security_officer' });
  staff.adminA = await createTestStaff(platform, { tenantId: shop.a.id, role: 'shop_admin' });
  staff.adminB = await createTestStaff(platform, { tenantId: shop.b.id, role: 'shop_admin' });
  staff.clerkA = await createTestStaff(platform, { tenantId: shop.a.id, role: 'order_clerk' });
  for (const [k, v] of Object.entries(staff)) cookie[k] = await staffSessionCookie(platform, v);

  const memberA = await seedMember(database, shop.a.id, { company: '株式会社Aサロン', contact: '青木 花子' });
  await seedCardPayment(database, shop.a.id, memberA, { at: jst('2025-04-15T10:00:00'), status: 'succeeded', last4: '4242', providerPaymentId: 'pi_a_1' });
  const memberB = await seedMember(database, shop.b.id, { company: '株式会社Bサロン', contact: '別所 太郎' });
  await seedCardPayment(database, shop.b.id, memberB, { at: jst('2025-04-15T11:00:00'), status: 'failed', last4: '1881', providerPaymentId: 'pi_b_1' });
  incidentB = await openIncident(database, SYSTEM_ACTOR, { title: 'B店だけのインシデント', source: 'card_company', awareAt: jst('2025-04-20T09:00:00'), tenantIds: [shop.b.id] });
  await setExposureWindow(database, SYSTEM_ACTOR, { incidentId: incidentB, tenantId: shop.b.id, start: jst('2025-04-13T00:00:00'), end: jst('2025-04-22T12:00:00'), reason: '調査' });
  await produceIncidentDocuments(database, dataDir, SYSTEM_ACTOR, incidentB);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('operator workbench', () => {
  it('refuses a window in the future or an empty shop list, showing the form again in Japanese', async () => {
    const res = await form('/operator/incidents', 'officer', { title: '決済画面の改ざん', source: 'customer_inquiry', awareAt: '2999-01-01T00:00:00', summary: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('認知日時に未来の日時は指定できません');
    expect(res.body).toContain('対象のショップを1つ以上選んでください');
    expect(res.body).toContain('value="決済画面の改ざん"');
  });

  it('opens an incident, shows the window, counts and JST deadlines; refuses a window that ends before it starts', async () => {
    const res = await form('/operator/incidents', 'officer', { title: 'A店の決済画面の改ざん', source: 'customer_inquiry', awareAt: '2025-04-20T10:15:00', tenantIds: [shop.a.id] });
    expect(res.statusCode).toBe(303);
    incidentA = /\/operator\/incidents\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
    const bad = await form(`/operator/incidents/${incidentA}/windows`, 'officer', { tenantId: shop.a.id, start: '2025-04-22T12:00:00', end: '2025-04-13T00:00:00', reason: '調査' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('終了日時は開始日時より後にしてください');
    const notOn = await form(`/operator/incidents/${incidentA}/windows`, 'officer', { tenantId: shop.b.id, start: '2025-04-13T00:00:00', end: '2025-04-22T12:00:00', reason: '調査' });
    expect(notOn.statusCode).toBe(400);
    expect(notOn.body).toContain('このショップはインシデントの対象ではありません');
    const ok = await form(`/operator/incidents/${incidentA}/windows`, 'officer', { tenantId: shop.a.id, start: '2025-04-13T00:00:00', end: '2025-04-22T12:00:00', reason: 'フォレンジック結果' });
    expect(ok.statusCode).toBe(303);
    const page = await app.inject({ method: 'GET', url: `/operator/incidents/${incidentA}`, headers: { cookie: cookie.officer! } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2025年4月13日 00:00:00 (JST)');
    expect(page.body).toContain('1名');
    // 速報: 5 days from the JST day of awareness, the end of that day.
    expect(page.body).toContain('2025年4月25日 23:59:59 (JST)');
    expect(page.body).toContain('期限を');
    const list = await app.inject({ method: 'GET', url: '/operator/incidents', headers: { cookie: cookie.officer! } });
    expect(list.body).toContain('A店の決済画面の改ざん');
    expect(list.body).toContain('B店だけのインシデント');
  });

  it('is closed to shop staff', async () => {
    for (const url of ['/operator/incidents', `/operator/incidents/${incidentA}`]) {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: cookie.adminA! } });
      expect(res.statusCode).toBe(403);
    }
  });

  it('produces the documents, sends with step-up only, and publishes the notice at the shop’s public URL', async () => {
    await database.ownerExec(`UPDATE sessions SET step_up_at = NULL WHERE user_id = $1`, [staff.officer!.userId]);
    expect((await form(`/operator/incidents/${incidentA}/documents`, 'officer', {})).statusCode).toBe(303);
    const noStepUp = await form(`/operator/incidents/${incidentA}/documents/send`, 'officer', { tenantId: shop.a.id, kind: 'public_notice' });
    expect(noStepUp.statusCode).toBe(303);
    expect(String(noStepUp.headers.location)).toMatch(/^\/admin\/step-up/);
    const draft = (await database.ownerExec(`SELECT id FROM incident_documents WHERE incident_id = $1 AND kind = 'public_notice'`, [incidentA])).rows[0]!.id as string;
    expect((await app.inject({ method: 'GET', url: `/s/${shop.a.slug}/notices/${draft}` })).statusCode).toBe(404);

    await stepUp(staff.officer!);
    const sent = await form(`/operator/incidents/${incidentA}/documents/send`, 'officer', { tenantId: shop.a.id, kind: 'public_notice' });
    expect(sent.statusCode).toBe(303);
    const letters = await form(`/operator/incidents/${incidentA}/documents/send`, 'officer', { tenantId: shop.a.id, kind: 'member_letter' });
    expect(letters.statusCode).toBe(303);
    const again = await form(`/operator/incidents/${incidentA}/documents/send`, 'officer', { tenantId: shop.a.id, kind: 'member_letter' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('送付できる未送付の文書がありません');

    const pub = await app.inject({ method: 'GET', url: `/s/${shop.a.slug}/notices/${draft}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain('個人情報漏えいに関するお詫びとお知らせ');
    expect(pub.body).toContain('1名');
    expect((await app.inject({ method: 'GET', url: `/s/${shop.a.slug}/notices/${draft}/pdf` })).headers['content-type']).toBe('application/pdf');
    expect((await app.inject({ method: 'GET', url: `/s/${shop.a.slug}/notices` })).body).toContain(`/notices/${draft}`);
    // Not another shop's URL, not a letter, not a made-up id.
    expect((await app.inject({ method: 'GET', url: `/s/${shop.b.slug}/notices/${draft}` })).statusCode).toBe(404);
    const letter = (await database.ownerExec(`SELECT id FROM incident_documents WHERE incident_id = $1 AND kind = 'member_letter'`, [incidentA])).rows[0]!.id as string;
    expect((await app.inject({ method: 'GET', url: `/s/${shop.a.slug}/notices/${letter}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/s/${shop.a.slug}/notices/00000000-0000-4000-8000-000000000000` })).statusCode).toBe(404);
    // A closed shop still shows its legal notice.
    await database.ownerExec(`UPDATE tenants SET status = 'closed' WHERE id = $1`, [shop.a.id]);
    try {
      expect((await app.inject({ method: 'GET', url: `/s/${shop.a.slug}/` })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: `/s/${shop.a.slug}/notices/${draft}` })).statusCode).toBe(200);
    } finally {
      await database.ownerExec(`UPDATE tenants SET status = 'active' WHERE id = $1`, [shop.a.id]);
    }
    const audit = await database.ownerExec(`SELECT action FROM audit_log WHERE tenant_id IS NULL AND resource_type = 'incident_document' AND action = 'incident.document_sent'`);
    expect(audit.rows.length).toBeGreaterThanOrEqual(2);
  });

  it('exports the scope CSV and a verifiable evidence bundle only after step-up', async () => {
    await database.ownerExec(`UPDATE sessions SET step_up_at = NULL WHERE user_id = $1`, [staff.officer!.userId]);
    const refused = await app.inject({ method: 'GET', url: `/operator/incidents/${incidentA}/evidence.tar`, headers: { cookie: cookie.officer! } });
    expect(refused.statusCode).toBe(303);
    await stepUp(staff.officer!);
    const csv = await app.inject({ method: 'GET', url: `/operator/incidents/${incidentA}/shops/${shop.a.id}/scope.csv`, headers: { cookie: cookie.officer! } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('株式会社Aサロン');
    expect(csv.body).toContain('"4242"');
    expect(csv.body).not.toContain('株式会社Bサロン');
    const tarRes = await app.inject({ method: 'GET', url: `/operator/incidents/${incidentA}/evidence.tar`, headers: { cookie: cookie.officer! } });
    expect(tarRes.statusCode).toBe(200);
    const check = await verifyEvidenceBundle(tarRes.rawPayload, loadAuditSigningKey(platform.config).publicKey);
    expect(check.problems).toEqual([]);
  });
});

describe('shop staff see only their own shop’s incidents', () => {
  it('lists only the incidents their shop is on', async () => {
    const a = await app.inject({ method: 'GET', url: `/admin/${shop.a.slug}/incidents`, headers: { cookie: cookie.adminA! } });
    expect(a.statusCode).toBe(200);
    expect(a.body).toContain('A店の決済画面の改ざん');
    expect(a.body).not.toContain('B店だけのインシデント');
    const b = await app.inject({ method: 'GET', url: `/admin/${shop.b.slug}/incidents`, headers: { cookie: cookie.adminB! } });
    expect(b.body).toContain('B店だけのインシデント');
    expect(b.body).not.toContain('A店の決済画面の改ざん');
  });

  it('opens their incident with their window, counts and documents; another shop’s incident is not found', async () => {
    const own = await app.inject({ method: 'GET', url: `/admin/${shop.a.slug}/incidents/${incidentA}`, headers: { cookie: cookie.adminA! } });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('2025年4月13日 00:00:00 (JST)');
    expect(own.body).toContain('1名');
    expect(own.body).toContain('本人通知');
    expect(own.body).not.toContain('株式会社Bサロン');
    const other = await app.inject({ method: 'GET', url: `/admin/${shop.a.slug}/incidents/${incidentB}`, headers: { cookie: cookie.adminA! } });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('B店だけのインシデント');
    // Through their own shop's URL only: shop A's console is closed to shop B's admin.
    expect((await app.inject({ method: 'GET', url: `/admin/${shop.a.slug}/incidents/${incidentA}`, headers: { cookie: cookie.adminB! } })).statusCode).toBe(403);
    // Order clerks are not shown incidents (members' personal data): shop admins only.
    expect((await app.inject({ method: 'GET', url: `/admin/${shop.a.slug}/incidents`, headers: { cookie: cookie.clerkA! } })).statusCode).toBe(403);
  });

  it('downloads their own documents (letters after step-up), never another shop’s', async () => {
    const docs = (await database.ownerExec(`SELECT id, kind, tenant_id FROM incident_documents WHERE incident_id = $1 AND superseded_by IS NULL`, [incidentA])).rows as { id: string; kind: string; tenant_id: string | null }[];
    const notice = docs.find((d) => d.kind === 'public_notice')!;
    const letter = docs.find((d) => d.kind === 'member_letter')!;
    const ppc = docs.find((d) => d.kind === 'ppc_preliminary')!;
    const base = `/admin/${shop.a.slug}/incidents/${incidentA}/documents`;
    await database.ownerExec(`UPDATE sessions SET step_up_at = NULL WHERE user_id = $1`, [staff.adminA!.userId]);
    expect((await app.inject({ method: 'GET', url: `${base}/${notice.id}`, headers: { cookie: cookie.adminA! } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `${base}/${letter.id}`, headers: { cookie: cookie.adminA! } })).statusCode).toBe(303);
    await stepUp(staff.adminA!);
    expect((await app.inject({ method: 'GET', url: `${base}/${letter.id}`, headers: { cookie: cookie.adminA! } })).statusCode).toBe(200);
    // The incident-wide PPC report names the other shops: not in a shop's console.
    expect((await app.inject({ method: 'GET', url: `${base}/${ppc.id}`, headers: { cookie: cookie.adminA! } })).statusCode).toBe(404);
    const bDoc = (await database.ownerExec(`SELECT id FROM incident_documents WHERE incident_id = $1 AND kind = 'public_notice'`, [incidentB])).rows[0]!.id;
    expect((await app.inject({ method: 'GET', url: `/admin/${shop.a.slug}/incidents/${incidentB}/documents/${bDoc}`, headers: { cookie: cookie.adminA! } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/admin/${shop.a.slug}/incidents/${incidentA}/documents/${bDoc}`, headers: { cookie: cookie.adminA! } })).statusCode).toBe(404);
  });
});
