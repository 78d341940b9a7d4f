/**
 * The words people read about their returns, shared by the e-mails (digests) and the web pages
 * ("Your returns", "To review"), so a reminder and the page it links to say the same thing.
 */
export const RETURN_GROUP_HEADINGS = {
  overdue: 'Overdue',
  challenged: 'Challenged: please respond',
  due: 'Due',
  awaiting_review: 'Awaiting your review',
  awaiting_approval: 'Waiting for approval',
  approved: 'Approved',
} as const;

export type ReturnGroup = keyof typeof RETURN_GROUP_HEADINGS;

/** `1 working day`, `3 working days`. */
export function workingDays(n: number): string {
  return `${n} working day${n === 1 ? '' : 's'}`;
}

/** What to do about a return, said the same way in every e-mail. */
export const HOW_TO_RESPOND = 'Open a return to send its figure, answer a challenge or review it.';
