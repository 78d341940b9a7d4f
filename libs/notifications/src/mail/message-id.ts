import { createHash } from 'node:crypto';

/**
 * The Message-ID for a notification: a hash of its idempotency key at the sender's domain.
 * Deterministic, so if a crash between sending and recording makes a job send again, both
 * copies carry the same Message-ID; mail clients and archives treat them as one message and an
 * operator can match a mail to its notice.
 */
export function messageIdFor(idempotencyKey: string, senderDomain: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<${digest}.quarterly@${senderDomain}>`;
}
