import fc from 'fast-check';
import { EnglandAndWalesCalendar } from '@quarterly/calendar';
import { planReturnTimers, type TimerTrigger } from './plan-return-timers';
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from '@quarterly/application';

const calendar = new EnglandAndWalesCalendar();
const RETURN_ID = 'ASC-01:2025/26-Q2';

const summary = (trigger: TimerTrigger, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY) =>
  planReturnTimers(trigger, policy, calendar).map((t) => [t.jobId, t.kind, t.fireAt, t.workingDaysFromAnchor]);

describe('planReturnTimers', () => {
  describe('when a return is requested', () => {
    const requested: TimerTrigger = { type: 'return_requested', eventId: 'e1', returnId: RETURN_ID, dueDate: '2025-10-14' };

    it('plans reminders, chasers and both escalations at 09:00 London time on working days', () => {
      expect(summary(requested)).toEqual([
        ['e1.reminder.before3', 'reminder', '2025-10-09T08:00:00.000Z', -3],
        ['e1.reminder.on_day', 'reminder', '2025-10-14T08:00:00.000Z', 0],
        ['e1.chaser.1', 'chaser', '2025-10-16T08:00:00.000Z', 2],
        ['e1.escalate_dmt.1', 'escalate_dmt', '2025-10-17T08:00:00.000Z', 3],
        ['e1.chaser.2', 'chaser', '2025-10-20T08:00:00.000Z', 4],
        ['e1.chaser.3', 'chaser', '2025-10-22T08:00:00.000Z', 6],
        ['e1.escalate_clt.1', 'escalate_clt', '2025-10-24T08:00:00.000Z', 8],
        // Clocks went back on 26 October: 09:00 is 09:00 UTC again.
        ['e1.chaser.5', 'chaser', '2025-10-28T09:00:00.000Z', 10],
        ['e1.chaser.6', 'chaser', '2025-10-30T09:00:00.000Z', 12],
      ]);
    });

    it('skips the Christmas bank holidays and the 2026 substitute day', () => {
      const plan = planReturnTimers({ ...requested, dueDate: '2026-12-23' }, DEFAULT_REMINDER_POLICY, calendar);
      const firstChaser = plan.find((t) => t.kind === 'chaser');
      const dmt = plan.find((t) => t.kind === 'escalate_dmt');
      expect(firstChaser?.fireAt).toBe('2026-12-29T09:00:00.000Z');
      expect(dmt?.fireAt).toBe('2026-12-30T09:00:00.000Z');
    });

    it('plans the same ids and notice keys every time (a replay adds nothing)', () => {
      expect(planReturnTimers(requested, DEFAULT_REMINDER_POLICY, calendar)).toEqual(
        planReturnTimers(requested, DEFAULT_REMINDER_POLICY, calendar),
      );
    });

    it('follows a policy with several reminders and no reminder on the day', () => {
      const policy = { ...DEFAULT_REMINDER_POLICY, remindWorkingDaysBefore: [5, 1], remindOnDeadlineDay: false };
      const reminders = planReturnTimers(requested, policy, calendar).filter((t) => t.kind === 'reminder');
      expect(reminders.map((t) => [t.jobId, t.fireAt])).toEqual([
        ['e1.reminder.before5', '2025-10-07T08:00:00.000Z'],
        ['e1.reminder.before1', '2025-10-13T08:00:00.000Z'],
      ]);
    });
  });

  describe('when the due date changes', () => {
    it('plans anew from the new date, with ids derived from the change event', () => {
      const before = planReturnTimers(
        { type: 'return_requested', eventId: 'e1', returnId: RETURN_ID, dueDate: '2025-10-14' },
        DEFAULT_REMINDER_POLICY,
        calendar,
      );
      const after = planReturnTimers(
        { type: 'due_date_changed', eventId: 'e7', returnId: RETURN_ID, dueDate: '2025-10-21' },
        DEFAULT_REMINDER_POLICY,
        calendar,
      );
      expect(after.map((t) => t.jobId)).toEqual(before.map((t) => t.jobId.replace('e1.', 'e7.')));
      expect(after.every((t) => t.anchorDate === '2025-10-21')).toBe(true);
      expect(after.find((t) => t.kind === 'escalate_dmt')?.fireAt).toBe('2025-10-24T08:00:00.000Z');
      const oldKeys = new Set(before.map((t) => t.noticeKey));
      expect(after.some((t) => oldKeys.has(t.noticeKey))).toBe(false);
    });
  });

  describe('when a return is challenged', () => {
    it('starts the resubmission clock from the London date of the challenge', () => {
      const challenged: TimerTrigger = { type: 'challenged', eventId: 'c1', returnId: RETURN_ID, challengedAt: '2025-11-03T15:00:00Z' };
      expect(summary(challenged)).toEqual([
        ['c1.challenge_chaser.1', 'challenge_chaser', '2025-11-05T09:00:00.000Z', 2],
        ['c1.challenge_chaser.2', 'challenge_chaser', '2025-11-07T09:00:00.000Z', 4],
        ['c1.challenge_escalation.1', 'challenge_escalation', '2025-11-10T09:00:00.000Z', 5],
        ['c1.challenge_chaser.3', 'challenge_chaser', '2025-11-11T09:00:00.000Z', 6],
        ['c1.challenge_chaser.4', 'challenge_chaser', '2025-11-13T09:00:00.000Z', 8],
      ]);
    });

    it('counts a challenge made late on a summer evening from the next London day', () => {
      const plan = planReturnTimers(
        { type: 'challenged', eventId: 'c2', returnId: RETURN_ID, challengedAt: '2025-07-07T23:30:00Z' },
        DEFAULT_REMINDER_POLICY,
        calendar,
      );
      expect(plan[0]!.anchorDate).toBe('2025-07-08');
    });
  });

  describe('when a figure awaits DMT review', () => {
    const awaiting: TimerTrigger = {
      type: 'awaiting_review',
      eventId: 's1',
      returnId: RETURN_ID,
      submittedAt: '2025-10-13T10:00:00Z',
      dmtReviewDeadline: '2025-10-28',
    };

    it('chases the DMT from the working day after the review deadline', () => {
      expect(summary(awaiting)).toEqual([
        ['s1.dmt_review_chaser.2025-10-28.1', 'dmt_review_chaser', '2025-10-29T09:00:00.000Z', 1],
        ['s1.dmt_review_chaser.2025-10-28.2', 'dmt_review_chaser', '2025-10-31T09:00:00.000Z', 3],
        ['s1.dmt_review_chaser.2025-10-28.3', 'dmt_review_chaser', '2025-11-04T09:00:00.000Z', 5],
      ]);
    });

    it('chases a figure submitted after the deadline from the day after its submission', () => {
      const late = planReturnTimers({ ...awaiting, submittedAt: '2025-10-30T10:00:00Z' }, DEFAULT_REMINDER_POLICY, calendar);
      expect(late.map((t) => [t.fireAt, t.anchorDate, t.workingDaysFromAnchor])).toEqual([
        ['2025-10-31T09:00:00.000Z', '2025-10-28', 3],
        ['2025-11-04T09:00:00.000Z', '2025-10-28', 5],
        ['2025-11-06T09:00:00.000Z', '2025-10-28', 7],
      ]);
    });

    it('plans nothing when the policy does not chase DMT reviews', () => {
      expect(summary(awaiting, { ...DEFAULT_REMINDER_POLICY, chaseDmtReviewAfterDeadline: false })).toEqual([]);
    });
  });

  describe('for any valid policy and due date', () => {
    const policies = fc
      .record({
        before: fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { maxLength: 3 }),
        onDay: fc.boolean(),
        every: fc.integer({ min: 1, max: 5 }),
        dmt: fc.integer({ min: 1, max: 10 }),
        gap: fc.integer({ min: 1, max: 10 }),
        challenge: fc.integer({ min: 1, max: 10 }),
        time: fc.constantFrom('07:30', '09:00', '16:45'),
      })
      .map(
        (p): ReminderPolicy => ({
          remindWorkingDaysBefore: p.before,
          remindOnDeadlineDay: p.onDay,
          chaseEveryWorkingDays: p.every,
          escalateToDmtAfterWorkingDays: p.dmt,
          escalateToCltAfterWorkingDays: p.dmt + p.gap,
          challengeResubmitWithinWorkingDays: p.challenge,
          chaseDmtReviewAfterDeadline: true,
          sendAtLocalTime: p.time,
        }),
      );
    const dueDates = fc
      .integer({ min: 0, max: 3 * 365 })
      .map((offset) => calendar.addWorkingDays(new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10), 0));

    it('fires only on working days at the sending time, with unique ids BullMQ accepts', () => {
      fc.assert(
        fc.property(policies, dueDates, (policy, dueDate) => {
          const plan = [
            ...planReturnTimers({ type: 'return_requested', eventId: 'e', returnId: RETURN_ID, dueDate }, policy, calendar),
            ...planReturnTimers({ type: 'challenged', eventId: 'c', returnId: RETURN_ID, challengedAt: `${dueDate}T12:00:00Z` }, policy, calendar),
          ];
          for (const timer of plan) {
            const date = calendar.localDateOf(timer.fireAt);
            expect(calendar.isWorkingDay(date)).toBe(true);
            expect(calendar.atLocalTime(date, policy.sendAtLocalTime).toISOString()).toBe(timer.fireAt);
            expect(timer.jobId).not.toContain(':');
          }
          expect(new Set(plan.map((t) => t.jobId)).size).toBe(plan.length);
          expect(new Set(plan.map((t) => t.noticeKey)).size).toBe(plan.length);
        }),
      );
    });

    it('never chases on an escalation day and keeps reminders before the chasers', () => {
      fc.assert(
        fc.property(policies, dueDates, (policy, dueDate) => {
          const plan = planReturnTimers({ type: 'return_requested', eventId: 'e', returnId: RETURN_ID, dueDate }, policy, calendar);
          const escalationDays = new Set(plan.filter((t) => t.kind.startsWith('escalate')).map((t) => t.fireAt));
          const chasers = plan.filter((t) => t.kind === 'chaser');
          expect(chasers.some((t) => escalationDays.has(t.fireAt))).toBe(false);
          expect(chasers.every((t) => t.workingDaysFromAnchor > 0)).toBe(true);
          expect(plan.filter((t) => t.kind === 'reminder').every((t) => t.workingDaysFromAnchor <= 0)).toBe(true);
          expect(plan.filter((t) => t.kind === 'escalate_dmt' || t.kind === 'escalate_clt')).toHaveLength(2);
        }),
      );
    });
  });
});
