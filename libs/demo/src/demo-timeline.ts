/**
 * Turns the demo data (people, register, story) into a dated plan of steps, each one command by
 * one person. Pure: the same `now` gives the same plan, so two stores seeded with the same `now`
 * hold the same history.
 *
 * The story is anchored on `now`: its current cycle is the latest quarter that ended at least
 * {@link MIN_DAYS_SINCE_CURRENT_QUARTER_END} days ago (so its returns are due, chased and
 * escalated before today), preceded by five closed cycles. On 22 November 2026 that is
 * 2026/27-Q2, after 2025/26-Q1 to 2026/27-Q1.
 */
import { addCalendarDays, type WorkingDayCalendar } from '@quarterly/calendar';
import {
  comparePeriodIds,
  financialYearOf,
  parseFinancialYear,
  parseReportingPeriod,
  previousQuarter,
  quarterEndDate,
  quarterOfMonth,
  quarterStartDate,
  returnsDueInQuarter,
  type CycleTimetable,
  type FinancialYear,
  type KpiSnapshot,
  type PeriodId,
} from '@quarterly/domain';
import { DemoDataError } from './demo-errors';
import type { DemoKpi } from './demo-kpi-builders';
import { DEMO_KPIS } from './demo-kpis';
import { DEMO_PEOPLE, DEMO_PERFORMANCE_LEAD } from './demo-people';
import { CURRENT_CYCLE, REGISTER_CHANGE_CYCLE, REGISTER_CHANGES, STORY_CYCLE_COUNT, TIMETABLE_WORKING_DAYS } from './demo-story';
import { StoryDay, type StoryStep } from './demo-steps';
import { planReturns } from './demo-return-plan';

/** The bootstrap actor that registers the people, the performance team included. */
export const DEMO_BOOTSTRAP_ACTOR = 'system:demo';
/** Days between the end of the current cycle's quarter and `now`, at least. */
export const MIN_DAYS_SINCE_CURRENT_QUARTER_END = 35;

export interface DemoTimeline {
  /** The story's cycles, oldest first; the last is the current, open one. */
  readonly cycles: readonly PeriodId[];
  readonly currentCycleId: PeriodId;
  /** Every step in time order. */
  readonly steps: readonly StoryStep[];
}

/** The latest quarter that ended at least the minimum number of days before `now`. */
export function currentCycleAt(now: Date, calendar: WorkingDayCalendar): PeriodId {
  const cutOff = addCalendarDays(calendar.localDateOf(now), -MIN_DAYS_SINCE_CURRENT_QUARTER_END);
  const containing = quarterOfMonth(cutOff.slice(0, 7));
  return quarterEndDate(containing) <= cutOff ? containing : previousQuarter(containing);
}

export function buildDemoTimeline(now: Date, calendar: WorkingDayCalendar): DemoTimeline {
  const currentCycleId = currentCycleAt(now, calendar);
  const cycles: PeriodId[] = [currentCycleId];
  while (cycles.length < STORY_CYCLE_COUNT) cycles.unshift(previousQuarter(cycles[0]!));
  const currentYear = financialYearOf(quarterStartDate(currentCycleId));
  const introducedLater = new Set(REGISTER_CHANGES.introduce);
  const steps: StoryStep[] = [];

  // The register is set up four weeks before the first quarter starts.
  const setup = new StoryDay(calendar, calendar.addWorkingDays(addCalendarDays(quarterStartDate(cycles[0]!), -28), 0), '09:00');
  for (const person of DEMO_PEOPLE) steps.push(setup.step(DEMO_BOOTSTRAP_ACTOR, { kind: 'register-person', personId: person.personId }));
  const firstYear = yearOfCycle(cycles[0]!);
  const laterYears = new Map<FinancialYear, { kpi: DemoKpi; year: FinancialYear }[]>();
  const definePolicies = (day: StoryDay, kpi: DemoKpi, upTo: FinancialYear): void => {
    for (const year of policyYears(kpi, cycles)) {
      if (parseFinancialYear(year) <= parseFinancialYear(upTo)) {
        steps.push(day.step(DEMO_PERFORMANCE_LEAD, { kind: 'set-policy', kpiId: kpi.kpiId, financialYear: year, policy: policyFor(kpi, year, currentYear) }));
      } else {
        laterYears.set(year, [...(laterYears.get(year) ?? []), { kpi, year }]);
      }
    }
  };
  for (const kpi of DEMO_KPIS.filter((candidate) => !introducedLater.has(candidate.kpiId))) {
    steps.push(setup.step(DEMO_PERFORMANCE_LEAD, { kind: 'define-kpi', kpiId: kpi.kpiId }));
    definePolicies(setup, kpi, firstYear);
  }

  // Register changes, three weeks before the register-change cycle's quarter ends.
  const changeCycle = cycles[REGISTER_CHANGE_CYCLE]!;
  const changes = new StoryDay(calendar, calendar.addWorkingDays(addCalendarDays(quarterEndDate(changeCycle), -21), 0), '10:00', 5);
  const { amend, retire } = REGISTER_CHANGES;
  steps.push(
    changes.step(DEMO_PERFORMANCE_LEAD, { kind: 'amend-kpi', kpiId: amend.kpiId, changes: amend.changes, reason: amend.reason, underQualityAssuranceUntil: changeCycle }),
    changes.step(DEMO_PERFORMANCE_LEAD, { kind: 'retire-kpi', kpiId: retire.kpiId, reason: retire.reason, effectiveFrom: changeCycle }),
  );
  for (const kpi of DEMO_KPIS.filter((candidate) => introducedLater.has(candidate.kpiId))) {
    steps.push(changes.step(DEMO_PERFORMANCE_LEAD, { kind: 'define-kpi', kpiId: kpi.kpiId }));
    definePolicies(changes, kpi, yearOfCycle(changeCycle));
  }

  // Targets for each later year are agreed in the March before it starts.
  for (const [year, entries] of laterYears) {
    const march = new StoryDay(calendar, calendar.addWorkingDays(`${parseFinancialYear(year)}-03-16`, 0), '11:00');
    for (const { kpi } of entries) {
      steps.push(march.step(DEMO_PERFORMANCE_LEAD, { kind: 'set-policy', kpiId: kpi.kpiId, financialYear: year, policy: policyFor(kpi, year, currentYear) }));
    }
  }

  const returnsSoFar = new Map<string, number>();
  cycles.forEach((cycleId, index) => {
    const quarterEnd = quarterEndDate(cycleId);
    const timetable = timetableOf(quarterEnd, calendar);
    const opening = new StoryDay(calendar, calendar.addWorkingDays(quarterEnd, 1), '09:00');
    steps.push(opening.step(DEMO_PERFORMANCE_LEAD, { kind: 'open-cycle', cycleId, timetable }));
    const requested = returnsDueInQuarter(registerAt(index, cycles), cycleId);
    const occurrences = requested.map((request) => {
      const occurrence = returnsSoFar.get(request.kpiId) ?? 0;
      returnsSoFar.set(request.kpiId, occurrence + 1);
      return occurrence;
    });
    steps.push(...planReturns({ calendar, now, cycleId, index, timetable, openedOn: opening.date, requested, occurrences }));
    if (index < CURRENT_CYCLE) {
      const closing = new StoryDay(calendar, timetable.publicationDate, '16:00');
      steps.push(closing.step(DEMO_PERFORMANCE_LEAD, { kind: 'close-cycle', cycleId }));
    }
  });

  // Stable: steps at the same instant keep the order in which they were planned.
  steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  const late = steps.find((step) => step.at.getTime() >= now.getTime());
  if (late) throw new DemoDataError(`the demo story would run past now (${late.action.kind} at ${late.at.toISOString()})`);
  return { cycles, currentCycleId, steps };
}

function yearOfCycle(cycleId: PeriodId): FinancialYear {
  return parseReportingPeriod(cycleId).financialYear;
}

/** The timetable most councils use, counted in working days from the quarter end. */
function timetableOf(quarterEnd: string, calendar: WorkingDayCalendar): CycleTimetable {
  const days = TIMETABLE_WORKING_DAYS;
  const returnsDue = calendar.addWorkingDays(quarterEnd, days.returnsDueAfterQuarterEnd);
  const dmtReviewDeadline = calendar.addWorkingDays(returnsDue, days.dmtReview);
  const cltDate = calendar.addWorkingDays(dmtReviewDeadline, days.clt);
  return { returnsDue, dmtReviewDeadline, cltDate, publicationDate: calendar.addWorkingDays(cltDate, days.publication) };
}

function policyFor(kpi: DemoKpi, year: FinancialYear, currentYear: FinancialYear) {
  return kpi.nextPolicy && parseFinancialYear(year) >= parseFinancialYear(currentYear) ? kpi.nextPolicy : kpi.policy;
}

/** Every year in which a cycle of the story finds the KPI live, and every year its figures cover. */
function policyYears(kpi: DemoKpi, cycles: readonly PeriodId[]): FinancialYear[] {
  const years = new Set<FinancialYear>();
  cycles.forEach((cycleId, index) => {
    const snapshot = registerAt(index, cycles).find((candidate) => candidate.kpiId === kpi.kpiId);
    if (!snapshot || (snapshot.retiredFrom !== null && comparePeriodIds(snapshot.retiredFrom, cycleId) <= 0)) return;
    years.add(yearOfCycle(cycleId));
    for (const request of returnsDueInQuarter([snapshot], cycleId)) {
      years.add(parseReportingPeriod(request.periodCovered).financialYear);
    }
  });
  return [...years].sort();
}

/** The register as the cycle with this story index finds it. */
function registerAt(index: number, cycles: readonly PeriodId[]): KpiSnapshot[] {
  const changed = index >= REGISTER_CHANGE_CYCLE;
  return DEMO_KPIS.filter((kpi) => changed || !REGISTER_CHANGES.introduce.includes(kpi.kpiId)).map((kpi) =>
    snapshotOf(kpi, changed && kpi.kpiId === REGISTER_CHANGES.retire.kpiId ? cycles[REGISTER_CHANGE_CYCLE]! : null),
  );
}

function snapshotOf(kpi: DemoKpi, retiredFrom: PeriodId | null): KpiSnapshot {
  const { description } = kpi;
  return {
    kpiId: kpi.kpiId,
    title: description.title,
    directorate: description.directorate,
    owner: kpi.owner,
    keyContacts: kpi.keyContacts,
    unit: description.unit,
    decimalPlaces: description.decimalPlaces,
    polarity: description.polarity,
    frequency: description.frequency,
    ...(description.annualDueQuarter === undefined ? {} : { annualDueQuarter: description.annualDueQuarter }),
    measureType: description.measureType,
    labels: description.labels,
    retiredFrom,
  };
}

