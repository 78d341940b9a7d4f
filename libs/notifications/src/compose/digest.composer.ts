import type { MailAddress, OutgoingMail } from '../mail/mailer.port';
import { displayDate, escapeHtml, returnLink, yourReturnsLink } from './html';
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
 * as overdue, challenged, due and awaiting review, each with a link to the return. Plain text and
 * HTML carry the same content.
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

  const textLines = [`Dear ${input.recipient.name},`, '', `Your performance returns as of ${displayDate(input.runDate)}:`];
  const htmlParts = [
    `<p>Dear ${escapeHtml(input.recipient.name)},</p>`,
    `<p>Your performance returns as of ${escapeHtml(displayDate(input.runDate))}:</p>`,
  ];
  for (const { state, title } of SECTIONS) {
    const section = items
      .filter((i) => i.state === state)
      .sort((a, b) => b.workingDaysOverdue - a.workingDaysOverdue || a.returnId.localeCompare(b.returnId));
    if (section.length === 0) continue;
    textLines.push('', `${title} (${section.length})`);
    htmlParts.push(`<h2>${escapeHtml(title)} (${section.length})</h2>`, '<ul>');
    for (const item of section) {
      const link = returnLink(publicBaseUrl, item.returnId);
      textLines.push(`- ${item.kpiId} ${item.kpiTitle} (${item.directorate}): ${describe(item)}`, `  ${link}`);
      htmlParts.push(
        `<li><a href="${escapeHtml(link)}">${escapeHtml(`${item.kpiId} ${item.kpiTitle}`)}</a> ` +
          `(${escapeHtml(item.directorate)}): ${escapeHtml(describe(item))}</li>`,
      );
    }
    htmlParts.push('</ul>');
  }
  const everything = yourReturnsLink(publicBaseUrl);
  textLines.push('', `${HOW_TO_RESPOND} Everything you answer for:`, `  ${everything}`);
  htmlParts.push(`<p>${escapeHtml(HOW_TO_RESPOND)} <a href="${escapeHtml(everything)}">See all your returns</a>.</p>`);
  textLines.push('', 'You receive this digest because you own, contribute to or review these returns.');
  htmlParts.push('<p>You receive this digest because you own, contribute to or review these returns.</p>');

  return {
    idempotencyKey: input.idempotencyKey,
    to: [{ name: input.recipient.name, email: input.recipient.email }],
    subject,
    text: `${textLines.join('\n')}\n`,
    html: `<!doctype html><html><body>${htmlParts.join('\n')}</body></html>`,
  };
}
