export {
  MAILER,
  MailDeliveryError,
  type MailAddress,
  type Mailer,
  type OutgoingMail,
  type SentMail,
} from './mail/mailer.port';
export { messageIdFor } from './mail/message-id';
export { SmtpMailerAdapter, type SmtpMailerOptions } from './mail/smtp-mailer.adapter';
export { NotificationSender, type SendOutcome } from './mail/notification-sender';
export {
  SENT_NOTIFICATION_LEDGER,
  type LedgerEntry,
  type SentNotificationLedger,
} from './ledger/sent-notification-ledger.port';
export {
  RedisSentNotificationLedger,
  type RedisSentNotificationLedgerOptions,
} from './ledger/redis-sent-notification-ledger';
export type { EscalationAddressees, NoticeRecipient } from './compose/notice-recipient';
export { composeDigest, type DigestInput, type DigestItem, type DigestItemState } from './compose/digest.composer';
export { composeEscalation, type EscalationInput } from './compose/escalation.composer';
export { returnLink, yourReturnsLink } from './compose/html';
export { HOW_TO_RESPOND, RETURN_GROUP_HEADINGS, workingDays, type ReturnGroup } from './compose/return-wording';
