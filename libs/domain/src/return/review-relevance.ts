import type { ReturnEvent } from './return.events';

/**
 * Whether an event changes what a reviewer of the return judges: the figure, its narrative, the
 * return's stage, or a concern a person raised about it. A reviewer's decision (approve,
 * challenge, escalate) is made against the last such change, so the engine's own bookkeeping in
 * between — a reminder, a chaser, a due date moved by a deadline extension, an automatic
 * escalation of an overdue figure — does not make what they saw stale.
 */
export function changesWhatReviewerJudges(event: ReturnEvent): boolean {
  switch (event.type) {
    case 'ReturnRequested':
    case 'ReturnSubmitted':
    case 'ReturnResubmitted':
    case 'ReturnFigureMarkedNotAvailable':
    case 'ReturnChallenged':
    case 'ReturnApproved':
    case 'ReturnRestated':
    case 'ReturnFigureImported':
      return true;
    case 'ReturnEscalated':
      // A person's escalation is a judgement about the figure; a rule's (overdue, challenge not
      // answered) is a timer's notice, recorded only while a figure is owed.
      return event.data.rule === undefined;
    case 'ReturnDueDateChanged':
    case 'ReturnReminderSent':
    case 'ReturnChased':
      return false;
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled return event ${JSON.stringify(unhandled)}`);
    }
  }
}
