import Encoding from 'encoding-japanese';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { queuedMails, seedPriceRanks, seedSalonMembership, seedStaffUser, staffSessionToken, tenantIdOf } from '../../domains/staff/console.test-support.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { cookieName } from '../../platform/http/cookies.ts';
import { JOB_SCHEMA } from '../../platform/jobs/job-schema.ts';

let database: Database;
let app: FastifyInstance;
let config: Config;
let shopA: string;
let adminCookie: string;

const HEADER = '会社名,担当者名,メールアドレス,電話番号,ランクコード,掛け払い,与信限度額,締め日,支払月,支払日,得意先コード';

function multipart(fields: Record<string, string>, file: { name: string; bytes: Uint8Array }) {
  const boundary = '----oroshitest';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`));
  parts.push(Buffer.from(file.bytes));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads a file through the page's form; returns the upload response. */
async function upload(bytes: Uint8Array, name = 'customers.csv') {
  const page = await app.inject({ url: '/admin/ayame-color/customers/import', headers: { cookie: adminCookie } });
  const csrf = csrfFrom(page);
  const body = multipart({ _csrf: csrf.token }, { name, bytes });
  return app.inject({
    method: 'POST',
    url: '/admin/ayame-color/customers/import',
    headers: { cookie: `${adminCookie}; ${csrf.cookie}`, 'content-type': body.contentType, 'sec-fetch-site': 'same-origin' },
    payload: body.payload,
  });
}

async function commit(previewUrl: string) {
  const page = await app.inject({ url: previewUrl, headers: { cookie: adminCookie } });
  const csrf = csrfFrom(page);
  return app.inject({
    method: 'POST',
    url: `${previewUrl}/commit`,
    headers: { cookie: `${adminCookie}; ${csrf.cookie}`, 'sec-fetch-site': 'same-origin' },
    payload: { _csrf: csrf.token },
  });
}

const invitationCount = async () => Number((await database.ownerExec('SELECT count(*)::int AS n FROM customer_invitations WHERE tenant_id = $1', [shopA])).rows[0]!.n);
const utf8 = (text: string) => new TextEncoder().encode(text);
const cp932 = (text: string) => Uint8Array.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, config } = await createTestApp(database));
  shopA = await tenantIdOf(database, 'ayame-color');
  await seedPriceRanks(database, shopA);
  const admin = await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin' });
  adminCookie = `${cookieName(config, 'session')}=${await staffSessionToken(database, admin)}`;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('customer CSV import', () => {
  it('imports a CP932 file all at once: invitations, single-use links and emails', async () => {
    const csv = `${HEADER}\r\n株式会社髙橋美容室,髙橋 花子,hanako@takahashi.example,03-1111-2222,gold,有,500000,20,翌月,末,C-001\r\nヘアサロン①,山田 太郎,yamada@salon.example,,standard,無,,,,,\r\n`;
    const res = await upload(cp932(csv));
    expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
    const previewUrl = String(res.headers.location);
    const preview = await app.inject({ url: previewUrl, headers: { cookie: adminCookie } });
    expect(preview.body).toContain('株式会社髙橋美容室');
    expect(preview.body).toContain('Shift_JIS');
    expect(preview.body).toContain('この内容で取り込む');
    expect(await invitationCount()).toBe(0);
    const done = await commit(previewUrl);
    expect(done.statusCode).toBe(303);
    const rows = (await database.ownerExec('SELECT company_name, email, credit_limit_yen, closing_day, payment_day, invoice_terms_enabled FROM customer_invitations WHERE tenant_id = $1 ORDER BY email', [shopA])).rows;
    expect(rows).toEqual([
      { company_name: '株式会社髙橋美容室', email: 'hanako@takahashi.example', credit_limit_yen: 500000, closing_day: 20, payment_day: 31, invoice_terms_enabled: true },
      { company_name: 'ヘアサロン①', email: 'yamada@salon.example', credit_limit_yen: 0, closing_day: 31, payment_day: 31, invoice_terms_enabled: false },
    ]);
    const mails = (await queuedMails(database)).filter((m) => m.to === 'hanako@takahashi.example');
    expect(mails).toHaveLength(1);
    const token = /\/account\/invitations\/([A-Za-z0-9_-]{43})/.exec(mails[0]!.text)?.[1];
    expect(token).toBeDefined();
    const tokens = (await database.ownerExec(`SELECT subject FROM auth_tokens WHERE kind = 'customer_invite'`)).rows.map((r) => r.subject as string);
    expect(tokens).toHaveLength(2);
    expect(tokens.every((s) => s.startsWith(`customer_invitation:${shopA}:`))).toBe(true);
    // Each queued mail has its delivery job, written in the same transaction (bulk outbox write).
    const jobs = await database.ownerExec(
      `SELECT count(*)::int AS n FROM ${JOB_SCHEMA}.job j JOIN outbox o ON o.id::text = j.data->>'outboxId' WHERE o.kind = 'mail.send' AND o.tenant_id = $1`,
      [shopA],
    );
    expect(jobs.rows[0]!.n).toBe(2);
    // Committing twice imports nothing more.
    expect((await commit(previewUrl)).statusCode).toBe(409);
    expect(await invitationCount()).toBe(2);
  });

  it('reports every bad row and imports nothing', async () => {
    const before = await invitationCount();
    const member = await seedSalonMembership(database, { tenantId: shopA, status: 'approved' });
    const csv = [
      HEADER,
      '良い会社,担当,good@ok.example,03-0000-0000,gold,無,,,,,',
      '未知ランク,担当,unknown-rank@ok.example,,platinum,無,,,,,',
      'メール不正,担当,not-an-email,,gold,無,,,,,',
      '重複1,担当,dup@ok.example,,gold,無,,,,,',
      '重複2,担当,DUP@ok.example,,gold,無,,,,,',
      '招待済み,担当,hanako@takahashi.example,,gold,無,,,,,',
      `会員,担当,${member.ownerEmail},,gold,無,,,,,`,
      'マイナス,担当,minus@ok.example,,gold,有,-100,,,,',
      '締め日,担当,closing@ok.example,,gold,有,1000,30,,,',
      ',,empty@ok.example,,gold,無,,,,,',
    ].join('\n');
    const res = await upload(utf8(csv));
    expect(res.statusCode).toBe(303);
    const previewUrl = String(res.headers.location);
    const preview = await app.inject({ url: previewUrl, headers: { cookie: adminCookie } });
    for (const message of [
      'ランクコード「platinum」はこのショップにありません',
      'メールアドレスの形式が正しくありません',
      'ファイル内で重複しています(5行目と同じ)',
      'hanako@takahashi.example は既に招待済みです',
      'は既に会員(または申請中)です',
      '与信限度額にマイナスは指定できません',
      '締め日は1〜28、31または「末」',
      '会社名が空です',
      '担当者名が空です',
    ]) {
      expect(preview.body).toContain(message);
    }
    expect(preview.body).toContain('エラーのある行(8行)');
    expect(preview.body).not.toContain('この内容で取り込む');
    // Posting the commit anyway changes nothing.
    const forced = await commit(previewUrl);
    expect(forced.statusCode).toBe(400);
    expect(await invitationCount()).toBe(before);
  });

  it('refuses missing columns, wrong encodings and empty files with a message', async () => {
    const missing = await upload(utf8('会社名,メールアドレス\nA,a@b.example\n'));
    expect(missing.statusCode).toBe(303);
    const page = await app.inject({ url: String(missing.headers.location), headers: { cookie: adminCookie } });
    expect(page.body).toContain('必須の列がありません: 担当者名、ランクコード');

    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(`${HEADER}\n`, 'utf16le')]);
    const bad = await upload(utf16);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('文字コードを判別できません');

    const binary = await upload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    expect(binary.statusCode).toBe(400);
    const empty = await upload(new Uint8Array());
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('ファイルが空です');
  });

  it('previews and commits 10,000 rows (the times are printed, not asserted: speed is the bench’s business)', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 10_000; i++) lines.push(`株式会社サロン${i},担当${i},bulk${i}@bulk.example,03-0000-${String(i).padStart(4, '0')},silver,有,100000,20,翌月,末,B${i}`);
    const started = Date.now();
    const res = await upload(utf8(lines.join('\r\n')));
    expect(res.statusCode).toBe(303);
    const previewUrl = String(res.headers.location);
    const preview = await app.inject({ url: previewUrl, headers: { cookie: adminCookie } });
    expect(preview.body).toContain('10,000行');
    const previewed = Date.now();
    const done = await commit(previewUrl);
    expect(done.statusCode).toBe(303);
    const committed = Date.now();
    expect(Number((await database.ownerExec(`SELECT count(*)::int AS n FROM customer_invitations WHERE email LIKE 'bulk%'`)).rows[0]!.n)).toBe(10_000);
    console.info(`10k rows: upload+preview ${previewed - started} ms, commit ${committed - previewed} ms`);
  }, 180_000);

  it('serves a sample CSV that imports cleanly (after the ranks exist)', async () => {
    const sample = await app.inject({ url: '/admin/ayame-color/customers/import/sample.csv', headers: { cookie: adminCookie } });
    expect(sample.statusCode).toBe(200);
    expect(sample.headers['content-disposition']).toContain('attachment');
    const res = await upload(sample.rawPayload);
    const preview = await app.inject({ url: String(res.headers.location), headers: { cookie: adminCookie } });
    expect(preview.body).toContain('エラーはありません');
  });
});
