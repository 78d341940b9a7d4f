import type { WorkingDayCalendar } from '@quarterly/calendar';
import { quarterEndDate, type CycleTimetable, type PeriodId } from '@quarterly/domain';

/**
 * The timetable most councils use, counted in England and Wales working days: returns ten
 * working days after quarter end, DMT review five later, CLT five after that, publication ten
 * after CLT. A cycle opened with its own timetable ignores this.
 */
export function defaultCycleTimetable(periodId: PeriodId, calendar: WorkingDayCalendar): CycleTimetable {
  return cycleTimetableFrom(calendar.addWorkingDays(quarterEndDate(periodId), 10), calendar);
}

/**
 * The timetable that follows a chosen returns due date with the default's gaps: DMT review five
 * working days later, CLT five after that, publication ten after CLT.
 */
export function cycleTimetableFrom(returnsDue: string, calendar: WorkingDayCalendar): CycleTimetable {
  const dmtReviewDeadline = calendar.addWorkingDays(returnsDue, 5);
  const cltDate = calendar.addWorkingDays(dmtReviewDeadline, 5);
  return { returnsDue, dmtReviewDeadline, cltDate, publicationDate: calendar.addWorkingDays(cltDate, 10) };
}
