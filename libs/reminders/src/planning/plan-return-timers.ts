import type { WorkingDayCalendar } from '@quarterly/calendar';
import type { PlannedTimer, TimerKind } from './planned-timer';
import type { ReminderPolicy } from '@quarterly/application';

/**
 * The facts a timer plan is made from, extracted from stored events by the process manager:
 * - `return_requested`: a return was requested with its due date (ReturnRequested);
 * - `due_date_changed`: its due date moved (ReturnDueDateChanged); plans anew from the new date;
 * - `challenged`: the DMT challenged the figure at `challengedAt` (ReturnChallenged);
 * - `awaiting_review`: a figure (or "not available") was submitted at `submittedAt` and waits for
 *   the DMT's review, due by the cycle's `dmtReviewDeadline`.
 */
export type TimerTrigger =
  | { readonly type: 'return_requested'; readonly eventId: string; readonly returnId: string; readonly dueDate: string }
  | { readonly type: 'due_date_changed'; readonly eventId: string; readonly returnId: string; readonly dueDate: string }
  | { readonly type: 'challenged'; readonly eventId: string; readonly returnId: string; readonly challengedAt: string }
  | {
      readonly type: 'awaiting_review';
      readonly eventId: string;
      readonly returnId: string;
      readonly submittedAt: string;
      readonly dmtReviewDeadline: string;
    };

/**
 * Chasers continue after the last escalation, but not for ever: an overdue return is chased
 * this many more times after its CLT escalation (and an unanswered challenge after its
 * escalation), so a forgotten return cannot fill Redis with jobs. The performance team's
 * dashboards show what is still outstanding after that.
 */
export const CHASES_AFTER_LAST_ESCALATION = 2;
/** How many times a DMT is chased for one submission it has not reviewed. */
export const DMT_REVIEW_CHASES = 3;

/**
 * The timers one event calls for, in firing order. Pure: no clock, no I/O. Dates in the past
 * are planned too; the process manager decides what is too late to schedule.
 *
 * Chasers skip the days on which an escalation fires: the escalation notice says it already.
 */
export function planReturnTimers(
  trigger: TimerTrigger,
  policy: ReminderPolicy,
  calendar: WorkingDayCalendar,
): PlannedTimer[] {
  const planned: PlannedTimer[] = [];
  const add = (
    kind: TimerKind,
    step: string,
    anchorDate: string,
    workingDays: number,
    noticeKey: string,
    countFrom: string = anchorDate,
  ) => {
    const date = calendar.addWorkingDays(countFrom, workingDays);
    planned.push({
      jobId: `${trigger.eventId}.${kind}.${step}`,
      kind,
      returnId: trigger.returnId,
      fireAt: calendar.atLocalTime(date, policy.sendAtLocalTime).toISOString(),
      sourceEventId: trigger.eventId,
      anchorDate,
      workingDaysFromAnchor: calendar.workingDaysBetween(anchorDate, date),
      noticeKey,
    });
  };

  switch (trigger.type) {
    case 'return_requested':
    case 'due_date_changed': {
      const due = trigger.dueDate;
      for (const before of policy.remindWorkingDaysBefore) {
        add('reminder', `before${before}`, due, -before, `reminder.${due}.before${before}`);
      }
      if (policy.remindOnDeadlineDay) add('reminder', 'on_day', due, 0, `reminder.${due}.on_day`);
      const dmt = policy.escalateToDmtAfterWorkingDays;
      const clt = policy.escalateToCltAfterWorkingDays;
      const every = policy.chaseEveryWorkingDays;
      const horizon = clt + CHASES_AFTER_LAST_ESCALATION * every;
      for (let n = 1; n * every <= horizon; n += 1) {
        const days = n * every;
        if (days !== dmt && days !== clt) add('chaser', String(n), due, days, `chaser.${due}.${n}`);
      }
      add('escalate_dmt', '1', due, dmt, `escalate_dmt.${due}`);
      add('escalate_clt', '1', due, clt, `escalate_clt.${due}`);
      break;
    }
    case 'challenged': {
      const challengedOn = calendar.localDateOf(trigger.challengedAt);
      const limit = policy.challengeResubmitWithinWorkingDays;
      const every = policy.chaseEveryWorkingDays;
      const horizon = limit + CHASES_AFTER_LAST_ESCALATION * every;
      for (let n = 1; n * every <= horizon; n += 1) {
        const days = n * every;
        if (days !== limit) {
          add('challenge_chaser', String(n), challengedOn, days, `challenge_chaser.${trigger.eventId}.${n}`);
        }
      }
      add('challenge_escalation', '1', challengedOn, limit, `challenge_escalation.${trigger.eventId}`);
      break;
    }
    case 'awaiting_review': {
      if (!policy.chaseDmtReviewAfterDeadline) break;
      // A figure submitted after the review deadline is already late for review: its first
      // chase comes on the next working day after the submission instead.
      const submittedOn = calendar.localDateOf(trigger.submittedAt);
      const deadline = trigger.dmtReviewDeadline;
      const countFrom = submittedOn > deadline ? submittedOn : deadline;
      for (let n = 1; n <= DMT_REVIEW_CHASES; n += 1) {
        const days = 1 + (n - 1) * policy.chaseEveryWorkingDays;
        // The deadline is part of the id: when the deadline is extended, the chasers planned
        // for the new one are new jobs, and the old ones find themselves stale.
        const step = `${deadline}.${n}`;
        add('dmt_review_chaser', step, deadline, days, `dmt_review_chaser.${trigger.eventId}.${step}`, countFrom);
      }
      break;
    }
  }
  return planned.sort((a, b) => (a.fireAt < b.fireAt ? -1 : a.fireAt > b.fireAt ? 1 : 0));
}
