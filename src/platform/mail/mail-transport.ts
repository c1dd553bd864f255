import nodemailer from 'nodemailer';

export interface MailConfig {
  /** smtp:// or smtps:// URL; without it mail is only recorded for the operator console. */
  SMTP_URL?: string;
  MAIL_FROM: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable per outbox item, so a repeated delivery can be recognised by the receiving side. */
  messageId: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'console';
  /** The domain of MAIL_FROM, used for Message-IDs. */
  readonly domain: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

function fromDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split('@')[1]?.trim() || 'oroshi.localhost';
}

/** The mail transport, from config (never from process.env). */
export function createMailTransport(config: MailConfig): MailTransport {
  const domain = fromDomain(config.MAIL_FROM);
  if (!config.SMTP_URL) {
    return { kind: 'console', domain, send: async () => undefined, close: () => undefined };
  }
  const transporter = nodemailer.createTransport(config.SMTP_URL, {
    from: config.MAIL_FROM,
    // A hung server must fail the job (and let it retry), not hold a worker forever.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    domain,
    async send(mail) {
      await transporter.sendMail({
        from: config.MAIL_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
    },
    close: () => transporter.close(),
  };
}
