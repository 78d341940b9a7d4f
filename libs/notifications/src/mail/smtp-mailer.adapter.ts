import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { messageIdFor } from './message-id';
import { MailDeliveryError, type MailAddress, type Mailer, type OutgoingMail, type SentMail } from './mailer.port';

export interface SmtpMailerOptions {
  /** `smtp://host:port` or `smtps://user:pass@host:port` (the SMTP_URL setting). */
  readonly smtpUrl: string;
  /** The From header, e.g. `Quarterly <quarterly@council.gov.uk>`; its domain names Message-IDs. */
  readonly from: string;
  /**
   * How long to wait for the server's greeting and each reply before treating it as down.
   * @defaultValue 10 000 ms
   */
  readonly timeoutMs?: number;
  /**
   * SMTP connections kept open and reused (nodemailer's pool): a run of digests does not pay a
   * connection and greeting per mail. A connection the server closed is replaced on the next send.
   * @defaultValue 4 (the mail worker's concurrency)
   */
  readonly maxConnections?: number;
}

/** SMTP reply codes 5xx are permanent refusals; anything else (network, 4xx) is worth a retry. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function formatAddress(address: MailAddress): { name: string; address: string } {
  return { name: address.name ?? '', address: address.email };
}

/**
 * {@link Mailer} over SMTP with nodemailer, on a pool of connections that are reused from one mail
 * to the next; a connection the server dropped (a restart) fails that send, which the mail job
 * retries on a new connection.
 */
export class SmtpMailerAdapter implements Mailer {
  private readonly transport: Transporter<SMTPPool.SentMessageInfo>;
  private readonly senderDomain: string;

  constructor(private readonly options: SmtpMailerOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    const url = new URL(options.smtpUrl);
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 4,
      host: url.hostname,
      port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 25),
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    this.senderDomain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'localhost';
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = messageIdFor(mail.idempotencyKey, this.senderDomain);
    try {
      const info = await this.transport.sendMail({
        from: this.options.from,
        to: mail.to.map(formatAddress),
        cc: mail.cc?.map(formatAddress),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        headers: { 'X-Quarterly-Notification': mail.idempotencyKey },
      });
      return { messageId, accepted: [...info.accepted] };
    } catch (error) {
      throw new MailDeliveryError(
        `SMTP delivery of ${mail.idempotencyKey} failed: ${(error as Error).message}`,
        isPermanent(error),
        { cause: error },
      );
    }
  }

  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw new MailDeliveryError(`SMTP server not ready: ${(error as Error).message}`, false, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
