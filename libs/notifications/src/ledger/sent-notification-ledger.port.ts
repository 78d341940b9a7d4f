/** What the ledger knows about one notification. */
export interface LedgerEntry {
  readonly key: string;
  /** `attempted`: a send began and was not confirmed; `sent`: the SMTP server accepted it. */
  readonly status: 'attempted' | 'sent';
  /** Sends begun for this key, including the current one. */
  readonly attempts: number;
  readonly firstAttemptAt: string;
  readonly sentAt?: string;
  readonly messageId?: string;
}

/**
 * Remembers which notifications went out, by idempotency key, so that a retried job does not
 * mail again. Used as: {@link recordAttempt} before handing the mail to SMTP, {@link recordSent}
 * after the server accepted it.
 *
 * The gap between the two is the only window in which a notification can go out twice: a process
 * killed after the server accepted the mail and before `recordSent` leaves the entry `attempted`,
 * and the retried job sends again. Both copies carry the same Message-ID (derived from the key),
 * so they are recognisable as one message. Every ordinary failure (SMTP down, refused, timed out)
 * happens before acceptance and is retried without a duplicate.
 */
export interface SentNotificationLedger {
  lookup(key: string): Promise<LedgerEntry | undefined>;
  /** Records that a send is about to begin; returns the entry with this attempt counted. */
  recordAttempt(key: string, at: Date): Promise<LedgerEntry>;
  /** Records that the SMTP server accepted the mail. */
  recordSent(key: string, sent: { readonly messageId: string; readonly at: Date }): Promise<void>;
}

/** The injection token for the active {@link SentNotificationLedger}. */
export const SENT_NOTIFICATION_LEDGER = Symbol('SENT_NOTIFICATION_LEDGER');
