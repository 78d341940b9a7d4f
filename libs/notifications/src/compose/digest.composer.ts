import type { MailAddress, OutgoingMail } from '../mail/mailer.port';
import { displayDate, returnLink, yourReturnsLink } from './html';
import { DIGEST_MAIL } from './mail-templates';
import { HOW_TO_RESPOND, RETURN_GROUP_HEADINGS, workingDays } from './return-wording';

/**
 * Where a return stands for the person reading the digest:
 * - `due`: not yet submitted, due date today or ahead;
 * - `overdue`: not submitted and past its due date;
 * - `challenged`: the DMT challenged the figure and awaits a resubmission;
 * - `awaiting_review`: submitted, waiting for this person's DMT to review it after its deadline.
 */
export type DigestItemState = 'due' | 'overdue' | 'challenged' | 'awaiting_review';

/** One return in a digest. */
export interface DigestItem {
  /** `<kpiId>:<2024/25-Q2>` */
  readonly returnId: string;
  readonly kpiId: string;
  readonly kpiTitle: string;
  readonly directorate: string;
  readonly state: DigestItemState;
  /** The due date, or the DMT review deadline for `awaiting_review`. */
  readonly dueDate: string;
  /** Working days past `dueDate`; 0 or less when not late. */
  readonly workingDaysOverdue: number;
  /** The challenge's reason, for `challenged` items. */
  readonly detail?: string;
}

export interface DigestInput {
  /** Identifies this person's digest for this sending run, e.g. `digest.<personId>.<runKey>`. */
  readonly idempotencyKey: string;
  readonly recipient: MailAddress & { readonly name: string };
  /** The local date of the sending run. */
  readonly runDate: string;
  readonly items: readonly DigestItem[];
  /** Base of the links in the mail (PUBLIC_BASE_URL). */
  readonly publicBaseUrl: string;
}

const SECTIONS: ReadonlyArray<{ state: DigestItemState; title: string }> = (['overdue', 'challenged', 'due', 'awaiting_review'] as const).map((state) => ({
  state,
  title: RETURN_GROUP_HEADINGS[state],
}));

function plural(n: number, one: string, many = `${one}s`): string {
  if (one === 'working day') return workingDays(n);
  return `${n} ${n === 1 ? one : many}`;
}

function describe(item: DigestItem): string {
  switch (item.state) {
    case 'due':
      return item.workingDaysOverdue === 0
        ? `due today (${displayDate(item.dueDate)})`
        : `due ${displayDate(item.dueDate)}, in ${plural(-item.workingDaysOverdue, 'working day')}`;
    case 'overdue':
      return `was due ${displayDate(item.dueDate)}, ${plural(item.workingDaysOverdue, 'working day')} overdue`;
    case 'challenged':
      return item.detail ? `challenged: ${item.detail}` : 'challenged';
    case 'awaiting_review':
      return `review was due ${displayDate(item.dueDate)}`;
  }
}

/**
 * One e-mail for one person and one sending run, listing every return that needs them, grouped
 * as overdue, challenged, due and awaiting review (the headings of the "Your returns" page), each
 * with a link to the return's page, and how to respond. Plain text and HTML carry the same
 * content, from the templates in `mail-templates.ts`.
 */
export function composeDigest(input: DigestInput): OutgoingMail {
  const { items, publicBaseUrl } = input;
  const counts = SECTIONS.map(({ state }) => [state, items.filter((i) => i.state === state).length] as const);
  const headline = counts
    .filter(([, n]) => n > 0)
    .map(([state, n]) =>
      state === 'awaiting_review' ? `${n} to review` : `${plural(n, 'return')} ${state === 'due' ? 'due' : state}`,
    )
    .join(', ');
  const subject = `Quarterly returns: ${headline} (${displayDate(input.runDate)})`;
  const sections = SECTIONS.map(({ state, title }) => ({
    title,
    items: items
      .filter((i) => i.state === state)
      .sort((a, b) => b.workingDaysOverdue - a.workingDaysOverdue || a.returnId.localeCompare(b.returnId))
      .map((item) => ({
        title: `${item.kpiId} ${item.kpiTitle}`,
        directorate: item.directorate,
        description: describe(item),
        link: returnLink(publicBaseUrl, item.returnId),
      })),
  })).filter((section) => section.items.length > 0);
  const { text, html } = DIGEST_MAIL.render({
    name: input.recipient.name,
    runDate: displayDate(input.runDate),
    sections,
    howToRespond: HOW_TO_RESPOND,
    yourReturns: yourReturnsLink(publicBaseUrl),
  });
  return {
    idempotencyKey: input.idempotencyKey,
    to: [{ name: input.recipient.name, email: input.recipient.email }],
    subject,
    text,
    html,
  };
}
