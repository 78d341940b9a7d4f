import type { MailAddress } from '../mail/mailer.port';

/** A person as the mailer needs them: from the people directory (PersonRegistered and later changes). */
export interface NoticeRecipient extends MailAddress {
  readonly personId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly directorate?: string;
  /** Deactivated people are never mailed. */
  readonly active: boolean;
}

/** The people an escalation mail goes to (the domain's `escalationAudience`, resolved to addresses). */
export interface EscalationAddressees {
  readonly to: readonly NoticeRecipient[];
  readonly cc: readonly NoticeRecipient[];
}
