import { ForbiddenException, NotFoundException } from '@nestjs/common';
import {
  formatFigure,
  targetsInForce,
  kpiDecider,
  kpiStreamId,
  ratingFinancialYearOf,
  returnDecider,
  returnStreamId,
  sameQuarterLastYear,
  type KpiRecord,
  type PeriodId,
  type Polarity,
  type RatingPolicy,
  type ReturnEvent,
  type ReturnRecord,
} from '@quarterly/domain';
import type { Principal, QuarterlyEngine } from '@quarterly/platform';
import { getValueHistory, listPeople, STANDING_KINDS } from '@quarterly/read-models';
import { randomUUID } from 'node:crypto';
import { assertMayActOnReturn } from '@quarterly/application';
import { monthName } from '../shared/page-renderer';
import type { PageError } from '../../shared/plain-english';
import { stageLabel, stateInWords, unitInWords } from '../../shared/plain-english';
import { returnPagePath } from '../shared/return-paths';
import { timelineOf, type TimelineEntry } from './return-timeline';

/** Everything the return page shows, read at one moment. */
export interface LoadedReturn {
  readonly kpi: KpiRecord;
  readonly record: ReturnRecord;
  readonly revision: bigint;
  readonly timeline: readonly TimelineEntry[];
  readonly events: ReadonlyArray<{ event: ReturnEvent; revision: bigint }>;
  readonly previousFigures: ReadonlyArray<{ period: string; value: string; label: string | null }>;
  readonly lastYear: { period: string; value: string; label: string | null } | null;
  readonly nameOf: (personId: string) => string;
}

export async function loadReturn(engine: QuarterlyEngine, kpiId: string, periodId: PeriodId): Promise<LoadedReturn> {
  const [{ state: kpiState }, { state, revision, events }] = await Promise.all([
    engine.executor.load(kpiStreamId(kpiId), kpiDecider),
    engine.executor.load(returnStreamId(kpiId, periodId), returnDecider),
  ]);
  if (kpiState.status === 'not_defined' || state.status === 'not_requested' || revision === null) {
    throw new NotFoundException(`no return of ${kpiId} for ${periodId}`);
  }
  const [people, history] = await Promise.all([listPeople(engine.readModels.db, { includeInactive: true }), getValueHistory(engine.readModels.db, { kpiId })]);
  const names = new Map(people.map((p) => [p.personId, p.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  const decoded = events.map((event) => ({ event, revision: event.revision, recordedAt: String(event.metadata.recordedAt) }));
  // The last approved figure of each earlier period.
  const approved = new Map<string, { value: string; label: string | null }>();
  for (const entry of history) {
    if (STANDING_KINDS.includes(entry.kind) && entry.value !== null && entry.periodCovered !== state.request.periodCovered) {
      approved.set(entry.periodCovered, { value: entry.value, label: entry.rating?.label ?? null });
    }
  }
  const lastYearPeriod = state.request.periodCovered === periodId ? sameQuarterLastYear(periodId) : undefined;
  const lastYearFigure = lastYearPeriod ? approved.get(lastYearPeriod) : undefined;
  const previousFigures = [...approved.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .slice(0, 4)
    .map(([period, figure]) => ({ period: period === lastYearPeriod ? `${period} (same quarter last year)` : period, ...figure }));
  const lastYearListed = previousFigures.some((f) => f.period.startsWith(`${lastYearPeriod} `));
  return {
    kpi: kpiState.kpi,
    record: state,
    revision,
    timeline: timelineOf(decoded, nameOf),
    events: decoded,
    previousFigures,
    lastYear: lastYearPeriod && lastYearFigure && !lastYearListed ? { period: lastYearPeriod, ...lastYearFigure } : null,
    nameOf,
  };
}

/** Who may see the page: whoever may act on the return, and auditors (who read everything). */
export function assertMayViewReturn(principal: Principal, kpi: KpiRecord): void {
  if (principal.roles.includes('auditor')) return;
  try {
    assertMayActOnReturn(principal, kpi);
  } catch {
    throw new ForbiddenException(`${kpi.kpiId} belongs to ${kpi.directorate}; you can see returns you answer for or review`);
  }
}

/** What the person typed, kept when a form comes back with errors. */
export type FormValues = Readonly<Record<string, string>>;

export interface FormState {
  readonly form?: 'figure' | 'not-available' | 'challenge' | 'escalation' | 'restatement';
  readonly values?: FormValues;
  readonly errors?: readonly PageError[];
  readonly fieldErrors?: Readonly<Record<string, string>>;
  /** The server judged the figure off target: ask for the reason and the route to green. */
  readonly revealOffTarget?: boolean;
}

export const UNITS: Record<string, string> = {
  percentage: 'Percentage',
  count: 'Count',
  rate_per_1000: 'Rate per 1,000',
  rate_per_10000: 'Rate per 10,000',
  rate_per_100000: 'Rate per 100,000',
  money: 'Money (£)',
  days: 'Days',
  score: 'Score',
};
export const POLARITY: Record<Polarity, string> = { higher_is_better: 'Higher is better', lower_is_better: 'Lower is better', none: 'Neither (tracked for its trend)' };
export const MEASURES: Record<string, string> = {
  in_period: 'the quarter only',
  year_to_date: 'the year to date',
  rolling_12_months: 'the rolling 12 months',
  snapshot: 'a snapshot at the end of the quarter',
};

export function targetInWords(policy: RatingPolicy | null, polarity: Polarity, figure: (value: string) => string = (value) => value): string {
  const side = polarity === 'lower_is_better' ? 'or below' : 'or above';
  if (!policy) return 'No target set for this year';
  switch (policy.kind) {
    case 'thresholds':
      return `Green at ${figure(policy.green)} ${side}; amber at ${figure(policy.amber)} ${side}`;
    case 'tolerance':
      return `${figure(policy.target)}, with ${policy.tolerancePercent}% tolerance`;
    case 'met_not_met':
      return `${figure(policy.target)} (met at ${figure(policy.target)} ${side})`;
    case 'direction':
      return `An ${policy.direction} on the previous figure`;
    case 'tracker':
      return 'No target: tracked for its trend';
  }
}

/** The page's model: what to show, and which forms this person may use in this state. */
export function returnPageModel(loaded: LoadedReturn, principal: Principal, today: string, form: FormState = {}) {
  const { kpi, record } = loaded;
  const isLead = principal.roles.includes('performance-team') || (principal.roles.includes('service-lead') && (kpi.owner === principal.id || kpi.keyContacts.includes(principal.id)));
  const isReviewer = principal.roles.includes('performance-team') || (principal.roles.includes('dmt') && principal.directorate === kpi.directorate);
  const awaitingReview = ['submitted', 'resubmitted', 'restated', 'marked_not_available'].includes(record.status);
  const lastChallenge = [...loaded.events].reverse().find((e) => e.event.type === 'ReturnChallenged')?.event;
  const lastFigure = [...loaded.events].reverse().find((e) => ['ReturnSubmitted', 'ReturnResubmitted', 'ReturnRestated'].includes(e.event.type))?.event;
  const figure = lastFigure?.type === 'ReturnSubmitted' || lastFigure?.type === 'ReturnResubmitted' ? lastFigure.data : undefined;
  const yearTargets = kpi.targets[ratingFinancialYearOf(record.request)] ?? null;
  const inForce = targetsInForce(yearTargets, record.request.periodCovered, kpi.measureType);
  const { policy } = inForce;
  const show = (value: string) => formatFigure(value, kpi);
  // When the year states which figure is rated, the form asks for the other one beside it.
  const companion =
    yearTargets?.ratedFigure !== undefined && (kpi.measureType === 'in_period' || kpi.measureType === 'year_to_date')
      ? yearTargets.ratedFigure === 'in_period'
        ? { field: 'yearToDateValue', label: 'Figure for the year to date (optional, printed beside the rated figure)' }
        : { field: 'inPeriodValue', label: 'Figure for the quarter only (optional, printed beside the rated figure)' }
      : null;
  const values = form.values ?? {};
  const offTargetGiven = Boolean(values['offTargetReason'] || values['routeToGreen']);
  return {
    href: returnPagePath(record.request.kpiId, record.request.cycleId),
    kpiId: record.request.kpiId,
    title: kpi.title,
    period: record.request.cycleId,
    periodCovered: record.request.periodCovered,
    version: String(loaded.revision),
    stage: stageLabel(record.status),
    stageInWords: stateInWords(record.status),
    status: record.status,
    dueDate: record.dueDate,
    overdue: (record.status === 'requested' || record.status === 'challenged') && record.dueDate < today,
    definition: kpi.definition,
    directorate: kpi.directorate,
    owner: loaded.nameOf(kpi.owner),
    unit: UNITS[kpi.unit] ?? kpi.unit,
    decimalPlaces: kpi.decimalPlaces,
    unitInWords: unitInWords(UNITS[kpi.unit] ?? kpi.unit, kpi.decimalPlaces),
    figureExample: figureExampleFor(kpi),
    polarity: POLARITY[kpi.polarity],
    measure: MEASURES[inForce.ratedFigure] ?? inForce.ratedFigure,
    target: `${targetInWords(policy, kpi.polarity, show)}${inForce.period ? ` (the ${inForce.period} target)` : ''}`,
    companion,
    previousFigures: loaded.previousFigures.map((f) => ({ ...f, value: show(f.value) })),
    lastYear: loaded.lastYear ? { ...loaded.lastYear, value: show(loaded.lastYear.value) } : null,
    current: record.currentValue !== null || record.status === 'marked_not_available'
      ? {
          value: record.currentValue === null ? null : show(record.currentValue),
          inPeriodValue: record.currentCompanions.inPeriodValue === undefined ? null : show(record.currentCompanions.inPeriodValue),
          yearToDateValue: record.currentCompanions.yearToDateValue === undefined ? null : show(record.currentCompanions.yearToDateValue),
          months: record.currentMonthlyValues.map((m) => ({ month: monthName(m.month), value: show(m.value) })),
          rating: record.currentRating?.label ?? null,
          commentary: figure?.commentary ?? null,
          offTargetReason: figure?.offTargetReason ?? null,
          routeToGreen: figure?.routeToGreen ?? null,
          submittedBy: record.submittedBy ? loaded.nameOf(record.submittedBy) : null,
        }
      : null,
    challenge: record.status === 'challenged' && lastChallenge?.type === 'ReturnChallenged'
      ? { by: loaded.nameOf(lastChallenge.data.challengedBy), reason: lastChallenge.data.reason }
      : null,
    timeline: loaded.timeline,
    canReport: isLead && (record.status === 'requested' || record.status === 'challenged'),
    resubmitting: record.status === 'challenged',
    /** An approved figure found wrong later: the lead restates it (corrected value, reason); it awaits approval again. */
    canRestate: isLead && record.status === 'approved',
    canReview: isReviewer && awaitingReview,
    /** The performance team moves one return's due date (the cycle's "extend a deadline" moves all). */
    extendDueDateHref: principal.roles.includes('performance-team') && record.status !== 'approved' ? `${returnPagePath(record.request.kpiId, record.request.cycleId)}/deadline-extension` : null,
    ownFigure: record.submittedBy === principal.id,
    canEscalateToClt: (isReviewer || principal.roles.includes('clt')) && record.status !== 'approved' && record.escalationLevel !== 'clt',
    expectedMonths: record.request.expectedMonths.map((month) => ({ month, label: monthName(month), field: `month-${month}` })),
    form: form.form ?? null,
    values,
    errors: form.errors ?? [],
    fieldErrors: form.fieldErrors ?? {},
    revealOffTarget: Boolean(form.revealOffTarget) || offTargetGiven,
    // A fresh key per rendered form: sending the same form twice appends nothing twice.
    idempotencyKey: `web-${randomUUID()}`,
  };
}

export type ReturnPageModel = ReturnType<typeof returnPageModel>;

/** The example in a figure field's hint, written as the page writes the KPI's figures and as the form reads them back (`1,250`, `83.5%`, `£1,250.00`). */
export function figureExampleFor(kpi: KpiRecord): string {
  const sample = kpi.unit === 'percentage' ? '83.5' : kpi.unit === 'count' || kpi.unit === 'money' ? '1250' : '12.5';
  const digits = formatFigure(sample, { unit: 'score', decimalPlaces: kpi.decimalPlaces });
  return kpi.unit === 'percentage' ? `${digits}%` : kpi.unit === 'money' ? `£${digits}` : digits;
}
