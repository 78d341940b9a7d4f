import { formatFigure, type FigureDisplay, type ReturnEvent } from '@quarterly/domain';
import { longDate } from '../shared/page-renderer';

/** One thing that happened to a return, as a sentence a person reads. */
export interface TimelineEntry {
  readonly revision: string;
  readonly type: ReturnEvent['type'];
  readonly at: string;
  readonly text: string;
  /** The words someone wrote with it (commentary, reason), shown as a quote. */
  readonly quote?: string;
}

type NameOf = (personId: string) => string;

/**
 * A return's events in plain English, oldest first, with people's names rather than their ids and
 * figures written as the KPI writes them ("1,702,115", "83.5%"), from the KPI as the return was
 * requested (or imported) with.
 */
export function timelineOf(events: ReadonlyArray<{ event: ReturnEvent; revision: bigint; recordedAt: string }>, nameOf: NameOf): TimelineEntry[] {
  const opening = events.find(({ event }) => event.type === 'ReturnRequested' || event.type === 'ReturnFigureImported')?.event;
  const display: FigureDisplay | undefined = opening?.type === 'ReturnRequested' || opening?.type === 'ReturnFigureImported' ? opening.data.kpi : undefined;
  const figure = (value: string) => (display === undefined ? value : formatFigure(value, display));
  return events.map(({ event, revision, recordedAt }) => ({ revision: String(revision), type: event.type, at: recordedAt, ...describe(event, nameOf, figure) }));
}

function names(ids: readonly string[], nameOf: NameOf): string {
  const all = ids.map(nameOf);
  return all.length <= 1 ? (all[0] ?? 'nobody') : `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
}

function describe(event: ReturnEvent, nameOf: NameOf, figure: (value: string) => string): { text: string; quote?: string } {
  switch (event.type) {
    case 'ReturnRequested':
      return { text: `Figure requested, due ${longDate(event.data.dueDate)}` };
    case 'ReturnSubmitted':
      return { text: `${nameOf(event.data.submittedBy)} sent the figure ${figure(event.data.value)}`, quote: event.data.commentary };
    case 'ReturnResubmitted':
      return { text: `${nameOf(event.data.submittedBy)} sent a revised figure ${figure(event.data.value)}`, quote: event.data.responseToChallenge };
    case 'ReturnFigureMarkedNotAvailable':
      return { text: `${nameOf(event.data.markedBy)} reported that no figure is available`, quote: event.data.reason };
    case 'ReturnChallenged':
      return { text: `${nameOf(event.data.challengedBy)} challenged the figure`, quote: event.data.reason };
    case 'ReturnApproved':
      return { text: `${nameOf(event.data.approvedBy)} approved the figure` };
    case 'ReturnEscalated':
      return {
        text: `${event.data.escalatedBy.startsWith('system:') ? 'Escalated automatically' : `${nameOf(event.data.escalatedBy)} escalated the return`} to ${event.data.level === 'clt' ? 'the corporate leadership team' : 'the directorate management team'}`,
        quote: event.data.reason,
      };
    case 'ReturnRestated':
      return { text: `${nameOf(event.data.restatedBy)} restated the figure as ${figure(event.data.value)}`, quote: event.data.reason };
    case 'ReturnDueDateChanged':
      return { text: `Deadline moved from ${longDate(event.data.from)} to ${longDate(event.data.to)}`, quote: event.data.reason };
    case 'ReturnReminderSent':
      return { text: `Reminder sent to ${names(event.data.recipients, nameOf)}` };
    case 'ReturnFigureImported': {
      const { published, source } = event.data;
      const imported = event.data.value === null ? `no figure (${event.data.notAvailableReason ?? 'not available'})` : `the figure ${figure(event.data.value)}`;
      return {
        text: `${nameOf(source.importedBy)} imported ${imported} as published on ${longDate(published.publishedOn)} in ${published.sourceDocument}, from ${source.fileName}; nobody approved it in Quarterly`,
        ...(event.data.commentary ? { quote: event.data.commentary } : {}),
      };
    }
    case 'ReturnChased':
      return { text: `Chaser sent to ${names(event.data.recipients, nameOf)}: ${event.data.workingDaysOverdue} working day${event.data.workingDaysOverdue === 1 ? '' : 's'} overdue` };
  }
}
