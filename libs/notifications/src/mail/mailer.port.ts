/** A mailbox: who and where. */
export interface MailAddress {
  readonly name?: string;
  readonly email: string;
}

/** One e-mail, ready to send. */
export interface OutgoingMail {
  /**
   * Identifies the notification this mail carries (a digest run for a person, a notice event).
   * The mailer derives the Message-ID from it, so a mail sent twice for the same key carries the
   * same Message-ID and the copies are recognisable as one message.
   */
  readonly idempotencyKey: string;
  readonly to: readonly MailAddress[];
  readonly cc?: readonly MailAddress[];
  readonly subject: string;
  /** The plain-text body; every mail has one. */
  readonly text: string;
  /** The HTML body, an alternative to the text with the same content. */
  readonly html: string;
}

export interface SentMail {
  /** The Message-ID header sent, `<…@…>`. */
  readonly messageId: string;
  /** Addresses the server accepted. */
  readonly accepted: readonly string[];
}

/**
 * Sends e-mail. Implementations throw {@link MailDeliveryError}: `permanent` when retrying
 * cannot help (the server refused the message or every recipient with a 5xx), otherwise the
 * caller retries with backoff.
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Readiness for `/health`: resolves when the server accepts a connection and greets us. */
  verify(): Promise<void>;
  close(): Promise<void>;
}

/** The injection token for the active {@link Mailer}. */
export const MAILER = Symbol('MAILER');

/** The mail was not handed over to the SMTP server. */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  constructor(
    message: string,
    /** True when the server refused the message for good (5xx): retrying cannot help. */
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
