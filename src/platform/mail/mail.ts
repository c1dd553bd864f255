import { ValidationError } from '../../domains/shared/domain-error.ts';
import type { Tx } from '../db/tenant-scope.ts';
import { enqueueOutbox, enqueueOutboxBatch, type OutboxHandler, type OutboxRecord, registerOutboxHandler } from '../jobs/outbox.ts';
import type { MailTransport } from './mail-transport.ts';

export const MAIL_SEND = 'mail.send';

export interface MailContent {
  to: string;
  subject: string;
  text: string;
}

const EMAIL = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/;

function checkMail(mail: MailContent): MailContent {
  const errors: Record<string, string> = {};
  if (mail.to.length > 254 || !EMAIL.test(mail.to)) errors.to = 'メールアドレスの形式が正しくありません。';
  // A line break in a subject would be a header injection in a naive transport.
  if (!mail.subject || mail.subject.length > 200 || /[\r\n]/.test(mail.subject)) errors.subject = '件名を1行200文字以内で入力してください。';
  if (mail.text.length > 100_000) errors.text = '本文が長すぎます。';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { to: mail.to, subject: mail.subject, text: mail.text };
}

/** Queues an email in the caller's transaction; it is sent after commit. Returns the outbox id. */
export function queueMail(tx: Tx, mail: MailContent & { tenantId: string | null }): Promise<string> {
  const content = checkMail(mail);
  return enqueueOutbox(tx, { kind: MAIL_SEND, tenantId: mail.tenantId, payload: { ...content } });
}

/** Queues many emails in the caller's transaction (bulk outbox write); every one is checked first. */
export function queueMails(tx: Tx, mails: readonly (MailContent & { tenantId: string | null })[]): Promise<string[]> {
  const items = mails.map((mail) => ({ kind: MAIL_SEND, tenantId: mail.tenantId, payload: { ...checkMail(mail) } }));
  return enqueueOutboxBatch(tx, items);
}

/**
 * Sends one queued email and records it in mail_messages (the operator console reads them there;
 * with no SMTP it is the only place the mail exists) in the transaction that marks the item
 * delivered. Idempotent by outbox id: an item already recorded is not sent again (checked when
 * the item is loaded, `mailAlreadyRecorded`). A crash between sending and recording sends it once
 * more, with the same Message-ID.
 */
export function mailSendHandler(transport: MailTransport): OutboxHandler {
  return async (item) => {
    const mail = checkMail(item.payload as unknown as MailContent);
    await transport.send({ ...mail, messageId: `<${item.id}@${transport.domain}>` });
    const record: OutboxRecord = (tx) =>
      tx
        .insertInto('mail_messages')
        .values({
          tenant_id: item.tenantId,
          outbox_id: item.id,
          to_address: mail.to,
          subject: mail.subject,
          body_text: mail.text,
          transport: transport.kind,
        })
        .onConflict((oc) => oc.column('outbox_id').doNothing())
        .execute();
    return record;
  };
}

async function mailAlreadyRecorded(tx: Tx, item: { id: string }): Promise<boolean> {
  return Boolean(await tx.selectFrom('mail_messages').select('id').where('outbox_id', '=', item.id).executeTakeFirst());
}

export function registerMailHandler(transport: MailTransport): () => void {
  return registerOutboxHandler(MAIL_SEND, mailSendHandler(transport), { alreadyDone: mailAlreadyRecorded });
}
