import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import type { Database } from '../db/database.ts';
import { withPlatform, withTenant } from '../db/tenant-scope.ts';
import { deliverOutboxItem } from '../jobs/outbox.ts';
import { queueMail, registerMailHandler } from './mail.ts';
import { createMailTransport, type MailTransport } from './mail-transport.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.testing.ts';

const log = pino({ level: 'silent' });
let database: Database;
let shopA: string;
let shopB: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(
    `INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('mail-a','A','A社','{}'),('mail-b','B','B社','{}') RETURNING id`,
  );
  [shopA, shopB] = rows.map((r) => String(r.id)) as [string, string];
});
afterAll(() => database.close());

const mailRows = async (outboxId: string) => (await database.ownerExec('SELECT * FROM mail_messages WHERE outbox_id = $1', [outboxId])).rows;
const deliver = (outboxId: string, tenantId: string | null) => deliverOutboxItem(database, { outboxId, tenantId }, log);

describe('createMailTransport', () => {
  it('takes its settings from the config it is given, never from the environment', () => {
    const saved = process.env.SMTP_URL;
    process.env.SMTP_URL = 'smtp://127.0.0.1:1';
    try {
      const transport = createMailTransport({ MAIL_FROM: 'Oroshi <no-reply@oroshi.test>' });
      expect(transport.kind).toBe('console');
      expect(transport.domain).toBe('oroshi.test');
    } finally {
      if (saved === undefined) delete process.env.SMTP_URL;
      else process.env.SMTP_URL = saved;
    }
  });
});

describe('queueMail', () => {
  it('refuses a malformed address or a subject with a line break, queueing nothing', async () => {
    await expect(
      withTenant(database, shopA, (tx) => queueMail(tx, { tenantId: shopA, to: 'not-an-address', subject: '件名', text: '本文' })),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      withTenant(database, shopA, (tx) => queueMail(tx, { tenantId: shopA, to: 'a@salon.test', subject: 'x\r\nBcc: evil@attacker.test', text: '' })),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await database.ownerExec(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'mail.send'`)).rows[0]?.n).toBe(0);
  });
});

describe('mail.send without SMTP', () => {
  let off: () => void;
  beforeAll(() => {
    off = registerMailHandler(createMailTransport({ MAIL_FROM: 'Oroshi <no-reply@oroshi.test>' }));
  });
  afterAll(() => off());

  it('records the mail for the operator console, in the shop scope', async () => {
    const id = await withTenant(database, shopA, (tx) =>
      queueMail(tx, { tenantId: shopA, to: 'owner@salon.test', subject: 'ご注文を承りました', text: 'ご注文ありがとうございます。' }),
    );
    expect(await deliver(id, shopA)).toBe('delivered');
    expect(await mailRows(id)).toMatchObject([
      { tenant_id: shopA, to_address: 'owner@salon.test', subject: 'ご注文を承りました', body_text: 'ご注文ありがとうございます。', transport: 'console' },
    ]);
    const seenByB = await withTenant(database, shopB, (tx) => tx.selectFrom('mail_messages').select('id').execute());
    expect(seenByB).toEqual([]);
  });

  it('records a platform mail (no shop) in the platform scope', async () => {
    const id = await withPlatform(database, (tx) => queueMail(tx, { tenantId: null, to: 'security@oroshi.test', subject: 'Alert', text: 'x' }));
    await deliver(id, null);
    expect(await mailRows(id)).toMatchObject([{ tenant_id: null, transport: 'console' }]);
  });

  it('adds no second row when the item is delivered again after a crash before marking', async () => {
    const id = await withTenant(database, shopA, (tx) => queueMail(tx, { tenantId: shopA, to: 'b@salon.test', subject: '再送', text: '本文' }));
    await deliver(id, shopA);
    await database.ownerExec('UPDATE outbox SET delivered_at = NULL WHERE id = $1', [id]);
    expect(await deliver(id, shopA)).toBe('delivered');
    expect(await mailRows(id)).toHaveLength(1);
  });
});

describe('mail.send over SMTP', () => {
  let sink: SmtpSink;
  let transport: MailTransport;
  let off: () => void;
  beforeAll(async () => {
    sink = await startSmtpSink();
    transport = createMailTransport({ SMTP_URL: sink.url, MAIL_FROM: 'Oroshi <no-reply@oroshi.test>' });
    off = registerMailHandler(transport);
  });
  afterAll(async () => {
    off();
    transport.close();
    await sink.close();
  });

  it('sends through the server and records the mail with transport smtp', async () => {
    const id = await withTenant(database, shopB, (tx) =>
      queueMail(tx, { tenantId: shopB, to: 'owner@salon.test', subject: 'Order 1001 shipped', text: 'Tracking: 1234-5678' }),
    );
    await deliver(id, shopB);
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.from).toBe('no-reply@oroshi.test');
    expect(mail.to).toEqual(['owner@salon.test']);
    expect(mail.data).toMatch(/^Subject: Order 1001 shipped\r$/m);
    expect(mail.data).toContain(`Message-ID: <${id}@oroshi.test>`);
    expect(mail.data).toContain('Tracking: 1234-5678');
    expect(await mailRows(id)).toMatchObject([{ tenant_id: shopB, transport: 'smtp', subject: 'Order 1001 shipped' }]);
  });

  it('records nothing when the server refuses, and sends once when retried', async () => {
    const before = sink.received.length;
    const id = await withTenant(database, shopB, (tx) => queueMail(tx, { tenantId: shopB, to: 'gone@salon.test', subject: 'Hi', text: 'x' }));
    sink.rejectNextRecipient();
    await expect(deliver(id, shopB)).rejects.toThrow(/550/);
    expect(await mailRows(id)).toHaveLength(0);
    expect((await database.ownerExec('SELECT attempts, last_error FROM outbox WHERE id = $1', [id])).rows[0]).toMatchObject({
      attempts: 1,
      last_error: expect.stringContaining('550'),
    });
    expect(await deliver(id, shopB)).toBe('delivered');
    expect(sink.received.length - before).toBe(1);
    expect(await mailRows(id)).toHaveLength(1);
  });

  it('does not send again an item already recorded', async () => {
    const id = await withTenant(database, shopB, (tx) => queueMail(tx, { tenantId: shopB, to: 'c@salon.test', subject: 'Once', text: 'x' }));
    await deliver(id, shopB);
    const after = sink.received.length;
    await database.ownerExec('UPDATE outbox SET delivered_at = NULL WHERE id = $1', [id]);
    await deliver(id, shopB);
    expect(sink.received.length).toBe(after);
    expect(await mailRows(id)).toHaveLength(1);
  });
});
