import type { WorkingDayCalendar } from '@quarterly/calendar';
import { RETURN_GROUP_HEADINGS, workingDays } from '@quarterly/notifications';
import type { Principal } from '@quarterly/platform';
import { getStatusBoard, listCycles, type ReadModelDatabase, type StatusBoardRow } from '@quarterly/read-models';
import { longDate } from '../shared/page-renderer';
import { returnPagePath } from '../shared/return-paths';

export type YourReturnsGroupKey = 'overdue' | 'challenged' | 'due' | 'awaiting_approval' | 'approved';

export interface YourReturnRow {
  readonly href: string;
  readonly kpiId: string;
  readonly title: string;
  readonly period: string;
  /** What the person needs to know in a phrase: "3 working days late", "due 14 October 2026". */
  readonly note: string;
}

export interface YourReturnsGroup {
  readonly key: YourReturnsGroupKey;
  readonly heading: string;
  readonly rows: readonly YourReturnRow[];
}

export interface YourReturnsViewModel {
  readonly groups: readonly YourReturnsGroup[];
  readonly total: number;
}

// The digest e-mail's order and headings: what is most urgent first.
const GROUPS: ReadonlyArray<{ key: YourReturnsGroupKey; heading: string }> = (['overdue', 'challenged', 'due', 'awaiting_approval', 'approved'] as const).map(
  (key) => ({ key, heading: RETURN_GROUP_HEADINGS[key] }),
);

/**
 * Every return of the open cycles that the person owns or is a key contact for, grouped as the
 * digest e-mail groups them. One status-board query per open cycle (usually one).
 */
export async function yourReturnsFor(readModels: ReadModelDatabase, principal: Principal, now: Date, calendar: WorkingDayCalendar): Promise<YourReturnsViewModel> {
  const today = calendar.localDateOf(now);
  const grouped = new Map<YourReturnsGroupKey, YourReturnRow[]>(GROUPS.map(({ key }) => [key, []]));
  const cycles = (await listCycles(readModels.db)).filter((cycle) => cycle.state === 'open');
  for (const cycle of cycles) {
    const board = await getStatusBoard(readModels.db, cycle.cycleId, { now, filter: { person: principal.id } });
    for (const row of board?.returns ?? []) {
      const { key, note } = placeOf(row, today, calendar);
      grouped.get(key)!.push({ href: returnPagePath(row.kpiId, cycle.cycleId), kpiId: row.kpiId, title: row.kpiTitle, period: cycle.cycleId, note });
    }
  }
  const groups = GROUPS.map(({ key, heading }) => ({ key, heading, rows: grouped.get(key)! })).filter((g) => g.rows.length > 0);
  return { groups, total: groups.reduce((n, g) => n + g.rows.length, 0) };
}

function placeOf(row: StatusBoardRow, today: string, calendar: WorkingDayCalendar): { key: YourReturnsGroupKey; note: string } {
  switch (row.state) {
    case 'requested': {
      if (row.overdue) {
        const late = calendar.workingDaysBetween(row.dueDate, today);
        return { key: 'overdue', note: `Was due ${longDate(row.dueDate)}: ${workingDays(late)} late` };
      }
      return { key: 'due', note: row.dueDate === today ? 'Due today' : `Due ${longDate(row.dueDate)}` };
    }
    case 'challenged':
      return { key: 'challenged', note: 'Your directorate management team challenged the figure' };
    case 'approved':
      return { key: 'approved', note: `Approved ${longDate(row.approvedAt)}` };
    default:
      return { key: 'awaiting_approval', note: `Sent ${longDate(row.submittedAt)}` };
  }
}
