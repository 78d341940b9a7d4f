/**
 * The steps of one cycle's returns. In a closed cycle every return is submitted and approved by
 * its directorate's DMT (a few challenged first); in the current cycle each return is left at the
 * stage {@link CURRENT_CYCLE_STORY} gives it.
 */
import type { WorkingDayCalendar } from '@quarterly/calendar';
import { previousQuarter, type CycleTimetable, type MonthlyValue, type PeriodId, type RequestedReturn } from '@quarterly/domain';
import Decimal from 'decimal.js';
import { DemoDataError } from './demo-errors';
import type { DemoKpi } from './demo-kpi-builders';
import { demoKpi } from './demo-kpis';
import { DEMO_PERFORMANCE_LEAD, demoDirectorOf, type DemoDirectorate } from './demo-people';
import type { StoryAction, StoryStep } from './demo-steps';
import {
  CURRENT_CYCLE,
  CURRENT_CYCLE_STORY,
  ESCALATE_AFTER_WORKING_DAYS,
  HISTORY_CHALLENGES,
  HISTORY_NOT_AVAILABLE,
  RESTATEMENT,
} from './demo-story';

/** The actor of automatic escalations, as the reminder worker records them. */
export const DEMO_REMINDER_ACTOR = 'system:reminders';

export interface CycleReturnsInput {
  readonly calendar: WorkingDayCalendar;
  readonly now: Date;
  readonly cycleId: PeriodId;
  /** The cycle's index in the story (0 is the first). */
  readonly index: number;
  readonly timetable: CycleTimetable;
  readonly openedOn: string;
  /** The returns the cycle requests, as the cycle decider lists them. */
  readonly requested: readonly RequestedReturn[];
  /** For each requested return, how many returns of its KPI the story asked for before it. */
  readonly occurrences: readonly number[];
}

export function planReturns(input: CycleReturnsInput): StoryStep[] {
  const { calendar, cycleId, index, timetable, requested } = input;
  const steps: StoryStep[] = [];
  const due = timetable.returnsDue;
  const afterDue = (workingDays: number): string => calendar.addWorkingDays(due, workingDays);

  requested.forEach((request, position) => {
    const kpi = demoKpi(request.kpiId);
    const ref = { kpiId: request.kpiId, cycleId };
    // Officers work through the day: spread each return's steps by a few minutes.
    const add = (date: string, time: string, actor: string, action: StoryAction): void => {
      const at = new Date(calendar.atLocalTime(date, time).getTime() + ((position * 7) % 180) * 60_000);
      steps.push({ at, actor, action });
    };
    // Key contacts submit every other quarter, owners the rest.
    const submitter = index % 2 === 1 && kpi.keyContacts[0] !== undefined ? kpi.keyContacts[0] : kpi.owner;
    const director = demoDirectorOf(kpi.description.directorate as DemoDirectorate).personId;
    const figure = figureOf(kpi, input.occurrences[position]!, request);
    const submitOn = afterDue(-((position + index) % 5));
    const submit = (value = figure.value): void => add(submitOn, '09:30', submitter, { kind: 'submit', ...ref, ...figure, value });
    const approve = (date: string): void => add(date, '14:00', director, { kind: 'approve', ...ref });
    const challenge = (date: string, reason: string): void => add(date, '11:00', director, { kind: 'challenge', ...ref, reason });
    const resubmit = (date: string, responseToChallenge: string): void =>
      add(date, '10:00', submitter, { kind: 'resubmit', ...ref, ...figure, responseToChallenge });
    const escalate = (date: string, level: 'dmt' | 'clt', automatic: boolean, reason: string): void =>
      add(date, '09:00', automatic ? DEMO_REMINDER_ACTOR : director, { kind: 'escalate', ...ref, level, automatic, reason });
    const overdue = (level: 'dmt' | 'clt'): void => {
      const days = ESCALATE_AFTER_WORKING_DAYS[level];
      escalate(afterDue(days), level, true, `Return overdue by ${days} working days: escalated to ${level.toUpperCase()} under the reminder policy.`);
    };

    if (index < CURRENT_CYCLE) {
      const notAvailable = HISTORY_NOT_AVAILABLE.find((entry) => entry.kpiId === kpi.kpiId);
      const challenged = HISTORY_CHALLENGES.find((entry) => entry.kpiId === kpi.kpiId && entry.cycle === index);
      if (notAvailable) {
        add(submitOn, '09:30', submitter, { kind: 'mark-not-available', ...ref, reason: notAvailable.reason });
        approve(afterDue(2));
      } else if (challenged) {
        submit(challenged.firstValue);
        challenge(afterDue(1), challenged.reason);
        resubmit(afterDue(3), challenged.response);
        approve(timetable.dmtReviewDeadline);
      } else {
        submit();
        approve(afterDue(1 + (position % 3)));
      }
      return;
    }

    const story = CURRENT_CYCLE_STORY;
    const named = <T extends { kpiId: string }>(entries: readonly T[]): T | undefined => entries.find((entry) => entry.kpiId === kpi.kpiId);
    const challenged = named(story.challenged);
    const resubmitted = named(story.resubmitted);
    const notAvailable = named(story.notAvailable);
    if ((story.requested as readonly string[]).includes(kpi.kpiId)) return;
    if (story.extended.kpiId === kpi.kpiId) {
      const to = calendar.addWorkingDays(calendar.localDateOf(input.now), 5);
      add(afterDue(-1), '12:00', DEMO_PERFORMANCE_LEAD, { kind: 'change-due-date', ...ref, to, reason: story.extended.reason });
    } else if ((story.submitted as readonly string[]).includes(kpi.kpiId)) {
      submit();
    } else if (challenged) {
      submit();
      challenge(afterDue(2), challenged.reason);
    } else if (resubmitted) {
      submit();
      challenge(afterDue(1), resubmitted.reason);
      resubmit(afterDue(4), resubmitted.response);
    } else if (notAvailable) {
      add(submitOn, '09:30', submitter, { kind: 'mark-not-available', ...ref, reason: notAvailable.reason });
    } else if ((story.escalatedToDmt as readonly string[]).includes(kpi.kpiId)) {
      overdue('dmt');
    } else if ((story.escalatedToCltWhenOverdue as readonly string[]).includes(kpi.kpiId)) {
      overdue('dmt');
      overdue('clt');
    } else if (story.escalatedToCltByDirector.kpiId === kpi.kpiId) {
      submit();
      challenge(afterDue(1), story.escalatedToCltByDirector.challenge);
      escalate(afterDue(6), 'clt', false, story.escalatedToCltByDirector.escalation);
    } else {
      submit();
      approve(afterDue(1 + (position % 3)));
    }
  });

  if (index === CURRENT_CYCLE) assertCurrentStoryIsDue(requested);
  if (index === RESTATEMENT.cycle + 1) steps.push(...planRestatement(input));
  return steps;
}

/** The figure the story gives a KPI's nth return. */
function figureOf(kpi: DemoKpi, occurrence: number, request: RequestedReturn): { value: string; monthlyValues: MonthlyValue[] } {
  if (request.expectedMonths.length === 0) {
    const value = kpi.values[occurrence];
    if (value === undefined) throw new DemoDataError(`${kpi.kpiId} has no figure for its return number ${occurrence + 1}`);
    return { value, monthlyValues: [] };
  }
  const monthlyValues = request.expectedMonths.map((month, offset) => {
    const value = kpi.months?.[occurrence * 3 + offset];
    if (value === undefined) throw new DemoDataError(`${kpi.kpiId} has no figure for ${month}`);
    return { month, value };
  });
  const value =
    kpi.headline === 'sum'
      ? monthlyValues.reduce((total, month) => total.plus(month.value), new Decimal(0)).toFixed()
      : monthlyValues[monthlyValues.length - 1]!.value;
  return { value, monthlyValues };
}

function assertCurrentStoryIsDue(requested: readonly RequestedReturn[]): void {
  const story = CURRENT_CYCLE_STORY;
  const named = [
    ...story.requested,
    story.extended.kpiId,
    ...story.submitted,
    ...story.challenged.map((entry) => entry.kpiId),
    ...story.resubmitted.map((entry) => entry.kpiId),
    ...story.notAvailable.map((entry) => entry.kpiId),
    ...story.escalatedToDmt,
    ...story.escalatedToCltWhenOverdue,
    story.escalatedToCltByDirector.kpiId,
  ];
  const missing = named.filter((kpiId) => !requested.some((request) => request.kpiId === kpiId));
  if (missing.length > 0) throw new DemoDataError(`the current cycle does not ask for ${missing.join(', ')}`);
}

/** The restated figure is corrected by its owner early in the next cycle and approved again. */
function planRestatement(input: CycleReturnsInput): StoryStep[] {
  const { calendar } = input;
  const kpi = demoKpi(RESTATEMENT.kpiId);
  const ref = { kpiId: kpi.kpiId, cycleId: previousQuarter(input.cycleId) };
  const restateOn = calendar.addWorkingDays(input.openedOn, 5);
  return [
    {
      at: calendar.atLocalTime(restateOn, '10:15'),
      actor: kpi.owner,
      action: { kind: 'restate', ...ref, value: RESTATEMENT.value, monthlyValues: [], reason: RESTATEMENT.reason },
    },
    {
      at: calendar.atLocalTime(calendar.addWorkingDays(restateOn, 2), '11:30'),
      actor: demoDirectorOf(kpi.description.directorate as DemoDirectorate).personId,
      action: { kind: 'approve', ...ref },
    },
  ];
}
