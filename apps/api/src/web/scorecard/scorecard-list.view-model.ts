import { monthsOfQuarter, type PeriodId } from '@quarterly/domain';
import { isPublishedCycle, type CycleView } from '@quarterly/read-models';
import { longDate, monthName } from '../shared/page-renderer';
import { periodPathOf } from '../shared/return-paths';

/** One quarter on the scorecards page: which months it covers and where it stands. */
export interface ScorecardListRow {
  readonly cycleId: string;
  readonly href: string;
  /** `April to June 2026`. */
  readonly covers: string;
  readonly published: boolean;
  /** `Published 20 August 2026`, or what is still to come. */
  readonly standing: string;
}

/** The quarters a person may read, newest first; councillors see the published ones only. */
export function scorecardListRows(cycles: readonly CycleView[], staff: boolean): ScorecardListRow[] {
  return cycles
    .filter((cycle) => staff || isPublishedCycle(cycle))
    .map((cycle) => ({
      cycleId: cycle.cycleId,
      href: `/app/scorecards/${periodPathOf(cycle.cycleId)}`,
      covers: monthsCovered(cycle.cycleId as PeriodId),
      published: isPublishedCycle(cycle),
      standing: standingOf(cycle),
    }));
}

function monthsCovered(cycleId: PeriodId): string {
  const months = monthsOfQuarter(cycleId);
  return `${monthName(months[0]!).split(' ')[0]} to ${monthName(months[months.length - 1]!)}`;
}

function standingOf(cycle: CycleView): string {
  switch (cycle.state) {
    case 'closed':
      return `Published ${longDate(cycle.closedAt)}`;
    case 'imported':
      return 'Published before Quarterly (brought in with past figures)';
    case 'open':
      return `Figures being collected: returns due ${longDate(cycle.timetable.returnsDue)}`;
  }
}
