import type { SentNotificationLedger } from '../ledger/sent-notification-ledger.port';
import type { Mailer, OutgoingMail } from './mailer.port';

export type SendOutcome =
  | { readonly outcome: 'sent'; readonly messageId: string; readonly attempt: number }
  | { readonly outcome: 'already_sent'; readonly messageId: string | undefined };

/**
 * Sends a notification at most once per idempotency key in every case but one: a crash between
 * the SMTP server's acceptance and the ledger write (see {@link SentNotificationLedger}), where
 * the copy carries the same Message-ID. A failed send throws (the job retries it); a key already
 * recorded as sent returns `already_sent` without contacting the server.
 */
export class NotificationSender {
  constructor(
    private readonly mailer: Mailer,
    private readonly ledger: SentNotificationLedger,
    private readonly now: () => Date,
  ) {}

  async send(mail: OutgoingMail): Promise<SendOutcome> {
    const previous = await this.ledger.lookup(mail.idempotencyKey);
    if (previous?.status === 'sent') return { outcome: 'already_sent', messageId: previous.messageId };
    const attempt = await this.ledger.recordAttempt(mail.idempotencyKey, this.now());
    const sent = await this.mailer.send(mail);
    await this.ledger.recordSent(mail.idempotencyKey, { messageId: sent.messageId, at: this.now() });
    return { outcome: 'sent', messageId: sent.messageId, attempt: attempt.attempts };
  }
}
