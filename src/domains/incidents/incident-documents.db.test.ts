import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { pdfText } from '../../platform/pdf/pdf-inspect.testing.ts';
import { tenantIdOf } from '../staff/console.test-support.ts';
import { openIncident, setExposureWindow } from './incident.service.ts';
import { seedCardPayment, seedMember, seedPageView } from './incident.test-support.ts';
import { asOperator, SYSTEM_ACTOR } from './incident-actor.ts';
import { PPC_ITEMS } from './incident-documents.pdf.ts';
import { editDocumentText, issueDocument, markDocumentSent } from './incident-documents.service.ts';
import { type ProducedDocument, produceIncidentDocuments } from './incident-workbench.service.ts';
import { parseJst } from './jst.ts';

const jst = (s: string) => parseJst(s)!;
let database: Database;
let dataDir: string;
let produced: ProducedDocument[];
let incidentId: string;
const members: Awaited<ReturnType<typeof seedMember>>[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-incident-'));
  const shop = await tenantIdOf(database, 'ayame-color');
  members.push(await seedMember(database, shop, { company: '株式会社𠮷田ヘアー', contact: '𠮷田 花子' }));
  members.push(await seedMember(database, shop, { company: '有限会社住所なし美容室', contact: '高橋 葵', address: false }));
  members.push(await seedMember(database, shop, { company: '株式会社見ただけサロン', contact: '佐藤 蓮' }));
  await seedCardPayment(database, shop, members[0]!, { at: jst('2025-04-14T10:00:00'), status: 'succeeded', brand: 'visa', last4: '4242' });
  await seedCardPayment(database, shop, members[1]!, { at: jst('2025-04-15T10:00:00'), status: 'failed', brand: 'jcb', last4: '3530' });
  await seedPageView(database, { tenantId: shop, page: 'payment-step', at: jst('2025-04-16T10:00:00'), viewer: 'salon', userId: members[2]!.userId, accountId: members[2]!.accountId });
  incidentId = await openIncident(database, SYSTEM_ACTOR, {
    title: '決済画面の改ざん',
    source: 'security_event',
    awareAt: jst('2025-04-20T10:00:00'),
    tenantIds: [shop],
    summary: '決済画面に不正なスクリプトが埋め込まれていました。',
    cause: '管理画面の脆弱性を突いた改ざん',
    inquiryDesk: '専用窓口 0120-000-000(平日10時〜17時)',
    secondaryDamage: 'カードの不正利用のおそれ',
    prevention: '決済画面のスクリプト固定と常時監視',
  });
  await setExposureWindow(database, SYSTEM_ACTOR, { incidentId, tenantId: shop, start: jst('2025-04-13T00:00:00'), end: jst('2025-04-22T12:00:00'), reason: '調査結果' });
  produced = await produceIncidentDocuments(database, dataDir, SYSTEM_ACTOR, incidentId, jst('2025-05-01T09:00:00'));
}, 60_000);
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('incident documents', () => {
  it('writes a letter per affected member whose PDF text has the name and every required item', async () => {
    const letters = produced.filter((d) => d.kind === 'member_letter');
    expect(letters.map((l) => l.title).sort()).toEqual(['有限会社住所なし美容室', '株式会社見ただけサロン', '株式会社𠮷田ヘアー'].sort());
    for (const letter of letters) {
      const member = members.find((m) => m.company === letter.title)!;
      const text = (await pdfText(fs.readFileSync(letter.path))).replace(/\s+/g, '');
      expect(text).toContain(member.contact.replace(/\s+/g, ''));
      for (const item of ['発生した事象', '漏えいのおそれがある情報', 'カード番号', 'セキュリティコード', '原因', '管理画面の脆弱性', 'ご利用明細', 'お問い合わせ窓口', '0120-000-000']) expect(text).toContain(item);
    }
    const yoshida = (await pdfText(fs.readFileSync(letters.find((l) => l.title === '株式会社𠮷田ヘアー')!.path))).replace(/\s+/g, '');
    expect(yoshida).toContain('4242');
    expect(yoshida).toContain('2025年4月13日00:00:00(JST)');
  });

  it('keeps a member without a postal address, flagged for email', async () => {
    const rows = await database.ownerExec(`SELECT fields FROM incident_documents WHERE kind = 'member_letter' AND fields->>'postalMissing' = 'true'`);
    expect(rows.rows.map((r) => (r.fields as { member: { companyName: string } }).member.companyName)).toEqual(['有限会社住所なし美容室']);
  });

  it('writes the PPC report with the nine items as 速報 and 確報, the notices and the card CSV', async () => {
    for (const kind of ['ppc_preliminary', 'ppc_final'] as const) {
      const text = (await pdfText(fs.readFileSync(produced.find((d) => d.kind === kind)!.path))).replace(/\s+/g, '');
      expect(text).toContain(kind === 'ppc_preliminary' ? '速報' : '確報');
      for (const item of PPC_ITEMS) expect(text).toContain(item);
      expect(text).toContain('3名');
    }
    const notice = (await pdfText(fs.readFileSync(produced.find((d) => d.kind === 'public_notice')!.path))).replace(/\s+/g, '');
    expect(notice).toContain('3名');
    const csv = fs.readFileSync(produced.find((d) => d.kind === 'card_company_csv')!.path, 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(3);
    expect(csv).toContain('"3530"');
    expect(produced.filter((d) => d.kind === 'shop_notice')).toHaveLength(1);
  });

  it('refuses to edit a sent document and issues a corrected version instead', async () => {
    const letter = produced.find((d) => d.kind === 'member_letter')!;
    await markDocumentSent(database, SYSTEM_ACTOR, letter.id, { to: 'someone@salon.example', subject: '個人情報漏えいに関するお知らせ' });
    await expect(editDocumentText(database, SYSTEM_ACTOR, letter.id, '書き換え')).rejects.toThrow('送付済みの文書は編集できません');
    // Even a direct UPDATE is refused by the database.
    await expect(asOperator(database, SYSTEM_ACTOR, (tx) => tx.updateTable('incident_documents').set({ title: 'x' }).where('id', '=', letter.id).execute())).rejects.toThrow(/never edited/);
    const row = (await database.ownerExec('SELECT tenant_id, kind, recipient_key FROM incident_documents WHERE id = $1', [letter.id])).rows[0]!;
    const corrected = await asOperator(database, SYSTEM_ACTOR, (tx) =>
      issueDocument(tx, dataDir, SYSTEM_ACTOR, { incidentId, tenantId: row.tenant_id as string, kind: 'member_letter', recipientKey: row.recipient_key as string, title: '訂正版', fields: {}, fileName: 'c.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF') }),
    );
    expect(corrected.version).toBeGreaterThan(1);
    const old = (await database.ownerExec('SELECT superseded_by, sent_at FROM incident_documents WHERE id = $1', [letter.id])).rows[0]!;
    expect(old.superseded_by).toBe(corrected.id);
    expect(old.sent_at).not.toBeNull();
  });
});
