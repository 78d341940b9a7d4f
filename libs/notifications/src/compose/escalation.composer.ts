import type { OutgoingMail } from '../mail/mailer.port';
import { displayDate, returnLink } from './html';
import { ESCALATION_MAIL } from './mail-templates';
import type { EscalationAddressees } from './notice-recipient';

export interface EscalationInput {
  /** The notice event's id: one escalation, one mail. */
  readonly idempotencyKey: string;
  readonly addressees: EscalationAddressees;
  readonly returnId: string;
  readonly kpiId: string;
  readonly kpiTitle: string;
  readonly directorate: string;
  readonly level: 'dmt' | 'clt';
  /** Why, in words, e.g. "4 working days overdue (due 14 Oct 2025)". */
  readonly reason: string;
  /** The local date the escalation was recorded. */
  readonly escalatedOn: string;
  readonly publicBaseUrl: string;
}

const LEVEL_NAMES = { dmt: 'the directorate management team (DMT)', clt: 'the corporate leadership team (CLT)' } as const;

/** The mail announcing an escalation, to the owner and copied to the people who must know. */
export function composeEscalation(input: EscalationInput): OutgoingMail {
  const link = returnLink(input.publicBaseUrl, input.returnId);
  const level = LEVEL_NAMES[input.level];
  const title = `${input.kpiId} ${input.kpiTitle}`;
  const copied = input.addressees.cc.map((p) => p.name).join(', ') || 'nobody';
  const { text, html } = ESCALATION_MAIL.render({
    title,
    directorate: input.directorate,
    level,
    escalatedOn: displayDate(input.escalatedOn),
    reason: input.reason,
    link,
    copied,
  });
  return {
    idempotencyKey: input.idempotencyKey,
    to: input.addressees.to.map((p) => ({ name: p.name, email: p.email })),
    cc: input.addressees.cc.map((p) => ({ name: p.name, email: p.email })),
    subject: `Escalated to ${input.level.toUpperCase()}: ${title}`,
    text,
    html,
  };
}
