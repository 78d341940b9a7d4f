import type { WorkingDayCalendar } from '@quarterly/calendar';
import type { DigestItem, NoticeRecipient } from '@quarterly/notifications';
import { getStatusBoard, listCycles, type ReadModelDatabase } from '@quarterly/read-models';

const AWAITING_REVIEW = ['submitted', 'resubmitted', 'restated', 'marked_not_available'] as const;

/**
 * Everything a person should hear about today, across open cycles: the returns they own or
 * contribute to that are due, overdue or challenged, and for a DMT member the returns of their
 * directorate still awaiting review after the cycle's review deadline. Read from the status board.
 */
export async function digestItemsFor(
  database: ReadModelDatabase,
  person: NoticeRecipient,
  now: Date,
  calendar: WorkingDayCalendar,
): Promise<DigestItem[]> {
  const today = calendar.localDateOf(now);
  const items: DigestItem[] = [];
  const cycles = (await listCycles(database.db)).filter((c) => c.state === 'open');
  for (const cycle of cycles) {
    const owed = await getStatusBoard(database.db, cycle.cycleId, {
      now,
      filter: { person: person.personId, states: ['requested', 'challenged'] },
    });
    for (const row of owed?.returns ?? []) {
      items.push({
        returnId: row.returnId,
        kpiId: row.kpiId,
        kpiTitle: row.kpiTitle,
        directorate: row.directorate,
        state: row.state === 'challenged' ? 'challenged' : row.overdue ? 'overdue' : 'due',
        dueDate: row.dueDate,
        workingDaysOverdue: calendar.workingDaysBetween(row.dueDate, today),
      });
    }
    const deadline = cycle.timetable.dmtReviewDeadline;
    if (person.roles.includes('dmt') && person.directorate && deadline < today) {
      const waiting = await getStatusBoard(database.db, cycle.cycleId, {
        now,
        filter: { directorate: person.directorate, states: [...AWAITING_REVIEW] },
      });
      for (const row of waiting?.returns ?? []) {
        items.push({
          returnId: row.returnId,
          kpiId: row.kpiId,
          kpiTitle: row.kpiTitle,
          directorate: row.directorate,
          state: 'awaiting_review',
          dueDate: deadline,
          workingDaysOverdue: calendar.workingDaysBetween(deadline, today),
        });
      }
    }
  }
  return items;
}
