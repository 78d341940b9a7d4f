/**
 * Past figures: a figure a council published before it used Quarterly, imported into the return
 * stream of its period. The rules here are pure; the importer reads the KPI and the streams and
 * hands them in.
 *
 * - The figure's return is the one a cycle would have requested: a quarterly or monthly KPI's
 *   quarter, a six-monthly KPI's half year in the Q2 / Q4 cycle, an annual KPI's year in the
 *   quarter that collects it (`cycleOfReportedPeriod`, the inverse of `returnsDueInQuarter`).
 * - It is rated by the engine under the targets of its own period, and what the council printed
 *   (status, directions of travel) is kept verbatim beside that rating.
 * - It stands as the period's approved figure, approved by nobody: a restatement corrects it.
 */
import type { KpiSnapshot, Polarity } from '../kpi/kpi-attributes';
import { enteredFigureOf } from '../kpi/value-range';
import type { RequestedReturn } from '../cycle/cycle.events';
import { DecimalString, parseDecimal } from '../shared/decimal-value';
import { IllegalTransitionError, ValidationError } from '../shared/domain-error';
import {
  comparePeriodIds,
  formatFinancialYear,
  formatPeriodId,
  IsoDate,
  isIsoDate,
  isMonth,
  Month,
  monthsOfQuarter,
  parseReportingPeriod,
  PeriodId,
  quarterEndDate,
  ReportingPeriod,
} from '../shared/period';
import type { RatingPolicy, RatingStatus } from '../shared/rating.types';
import { returnIdOf } from '../shared/stream-ids';
import { optionalText, requireObject, requireText } from '../shared/validation';
import { rate } from '../evaluation/rate';
import type { Direction } from '../evaluation/direction-of-travel';
import type { MonthlyValue, PublishedFigure, ReturnEvent, ReturnFigureImportedData, ReturnKpiSnapshot } from './return.events';
import type { ReturnState } from './return.state';

/** Where a KPI's figure for a reporting period is collected: its cycle and the return it asks for. */
export function cycleOfReportedPeriod(kpi: Pick<KpiSnapshot, 'kpiId' | 'frequency' | 'annualDueQuarter'>, period: unknown): { cycleId: PeriodId; request: RequestedReturn } {
  const parsed = parseReportingPeriod(period, 'period');
  const periodText = period as ReportingPeriod;
  const wrong = (reports: string) =>
    new ValidationError('period', `${kpi.kpiId} is ${kpi.frequency.replace('_', '-')} and reports ${reports}, not ${periodText}`);
  const request = (cycleId: PeriodId, expectedMonths: Month[] = []) => ({
    cycleId,
    request: { returnId: returnIdOf(kpi.kpiId, cycleId), kpiId: kpi.kpiId, periodCovered: periodText, expectedMonths },
  });
  switch (kpi.frequency) {
    case 'monthly':
    case 'quarterly':
      if (parsed.kind !== 'quarter') throw wrong('quarters (2023/24-Q2)');
      return request(periodText, kpi.frequency === 'monthly' ? monthsOfQuarter(periodText) : []);
    case 'six_monthly':
      if (parsed.kind !== 'half') throw wrong('half years (2023/24-H1)');
      return request(formatPeriodId(parsed.financialYear, parsed.half === 1 ? 2 : 4));
    case 'annual': {
      if (parsed.kind !== 'year') throw wrong('financial years (2023/24)');
      // As `returnsDueInQuarter`: collected in Q4 of the year itself, or in Q1–Q3 of the next.
      const dueQuarter = kpi.annualDueQuarter ?? 4;
      return request(formatPeriodId(dueQuarter === 4 ? parsed.financialYear : formatFinancialYear(parsed.startYear + 1), dueQuarter));
    }
  }
}

/** The last day of a reporting period: a figure cannot be published before it. */
export function lastDayOfPeriod(period: ReportingPeriod): IsoDate {
  const parsed = parseReportingPeriod(period, 'period');
  if (parsed.kind === 'quarter') return quarterEndDate(period);
  if (parsed.kind === 'half') return quarterEndDate(formatPeriodId(parsed.financialYear, parsed.half === 1 ? 2 : 4));
  return quarterEndDate(formatPeriodId(parsed.financialYear, 4));
}

// ---- what councils print --------------------------------------------------------------------

const PRINTED_STATUSES: Readonly<Record<string, RatingStatus>> = {
  green: 'green',
  amber: 'amber',
  red: 'red',
  'on track': 'green',
  monitor: 'amber',
  'action required': 'red',
  met: 'met',
  achieved: 'met',
  'not met': 'not_met',
  'not achieved': 'not_met',
};

/**
 * What papers (and Quarterly's own scorecards) print where a figure has no status: read as no
 * status printed, like a blank cell; the words themselves are still kept as printed.
 */
const PRINTED_NO_STATUS: ReadonlySet<string> = new Set([
  'n/a',
  'na',
  '-',
  'no target',
  'tracker',
  'tracker (no target)',
  'not yet due',
  'not available',
  'no baseline yet',
  'under quality assurance',
  'overdue',
]);

/** What papers print where there is no direction of travel: read as none printed. */
const PRINTED_NO_DIRECTION: ReadonlySet<string> = new Set(['n/a', 'na', '-', 'no comparison']);

/** The status a printed word means (`On track` → green); null for a blank or a word for "no status"; throws for other words. */
export function printedStatusOf(text: string | undefined, field = 'publishedStatus'): RatingStatus | null {
  const key = (text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (key === '' || PRINTED_NO_STATUS.has(key)) return null;
  const status = PRINTED_STATUSES[key];
  if (status === undefined) throw new ValidationError(field, `"${text}" is not a status councils print (Green, Amber, Red, On track, Monitor, Action required, Met, Not met, or N/A or blank for none)`);
  return status;
}

/**
 * The direction of travel a printed word means, read with the KPI's polarity: `Improving` /
 * `Better`, `Declining` / `Worse`, `No change` / `Same`, and `Higher` / `Lower` (a rise improves
 * a higher-is-better KPI). Null for a blank; throws for other words.
 */
export function printedDirectionOf(text: string | undefined, polarity: Polarity, field: string): Direction | null {
  const key = (text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (key === '' || PRINTED_NO_DIRECTION.has(key)) return null;
  const withPolarity = polarity !== 'none';
  switch (key) {
    case 'improving':
    case 'improved':
    case 'better':
      return 'improving';
    case 'declining':
    case 'declined':
    case 'worse':
      return 'declining';
    case 'no change':
    case 'unchanged':
    case 'same':
      return withPolarity ? 'no_change' : 'same';
    case 'higher':
    case 'up':
      return !withPolarity ? 'higher' : polarity === 'higher_is_better' ? 'improving' : 'declining';
    case 'lower':
    case 'down':
      return !withPolarity ? 'lower' : polarity === 'lower_is_better' ? 'improving' : 'declining';
    default:
      throw new ValidationError(field, `"${text}" is not a direction of travel (Improving, Declining, No change, Better, Worse, Same, Higher, Lower, or N/A or blank for none)`);
  }
}

/** Two directions mean the same movement (`same` and `no_change` are one). */
export function sameDirection(a: Direction | null, b: Direction | null): boolean {
  const key = (d: Direction | null) => (d === 'same' ? 'no_change' : d);
  return key(a) === key(b);
}

// ---- the command ----------------------------------------------------------------------------

export interface ImportFigureInput {
  readonly cycleId: PeriodId;
  readonly request: RequestedReturn;
  /** The KPI as the register holds it at the import. */
  readonly kpi: ReturnKpiSnapshot;
  /** The rated figure as printed; null only with `notAvailableReason`. */
  readonly value: DecimalString | null;
  readonly inPeriodValue?: DecimalString;
  readonly yearToDateValue?: DecimalString;
  readonly monthlyValues?: readonly MonthlyValue[];
  readonly notAvailableReason?: string;
  readonly commentary?: string;
  readonly published: PublishedFigure;
  readonly fileName: string;
  readonly sha256: string;
  /** The targets in force for the figure's period (chosen by the importer); null when none. */
  readonly policy: RatingPolicy | null;
  /** The previous figure of the same measure, for direction targets. */
  readonly previousValue?: DecimalString | null;
  /** From the KPI stream: figures up to this quarter (inclusive) are under quality assurance. */
  readonly underQualityAssuranceUntil?: PeriodId | null;
}

/**
 * Decides an import: the first import into an untouched return records it; importing the same
 * file again changes nothing; any other state (a live return, or a figure already imported from
 * another file) is refused naming the state: a published figure is corrected by a restatement.
 */
export function decideImportFigure(returnId: string, input: ImportFigureInput, state: ReturnState, context: { actor: string; now: string }): ReturnEvent[] {
  requireObject(input, 'data');
  if (state.status !== 'not_requested') {
    if (state.imported?.sha256 === input.sha256) return [];
    throw new IllegalTransitionError('ImportFigure', state.imported ? `imported from ${state.imported.fileName}` : state.status);
  }
  const { request, kpi } = input;
  requireObject(request, 'request');
  requireObject(kpi, 'kpi');
  if (request.returnId !== returnId || returnId !== returnIdOf(request.kpiId, input.cycleId)) {
    throw new ValidationError('returnId', `must be ${returnIdOf(request.kpiId, input.cycleId)}`);
  }
  const { financialYear, quarter } = parseReportingPeriodOfCycle(input.cycleId);
  const published = publishedOf(input.published, request.periodCovered, context.now);
  const notAvailableReason = optionalText(input.notAvailableReason, 'notAvailableReason');
  let value: DecimalString | null = null;
  let valueAsEntered: string | undefined;
  if (input.value === null || input.value === undefined || input.value === '') {
    if (notAvailableReason === undefined) throw new ValidationError('value', 'is empty: give the figure, or say why none was published (notAvailableReason)');
  } else {
    if (notAvailableReason !== undefined) throw new ValidationError('notAvailableReason', 'is given with a figure: give one or the other');
    const entered = enteredFigureOf(input.value, kpi, 'value');
    value = entered.value;
    valueAsEntered = entered.asEntered;
  }
  const optionalFigure = (raw: unknown, field: string) => (raw === undefined || raw === '' ? undefined : enteredFigureOf(raw, kpi, field).value);
  const inPeriodValue = optionalFigure(input.inPeriodValue, 'inPeriodValue');
  const yearToDateValue = optionalFigure(input.yearToDateValue, 'yearToDateValue');
  const monthlyValues = knownMonthsOf(input.monthlyValues, request.expectedMonths, kpi);
  const previousValue = input.previousValue ?? null;
  if (previousValue !== null) parseDecimal(previousValue, 'previousValue');
  const until = input.underQualityAssuranceUntil ?? null;
  const underQualityAssurance = until !== null && comparePeriodIds(input.cycleId, until) <= 0;
  const rating = rate(value, input.policy ?? null, {
    polarity: kpi.polarity,
    labels: kpi.labels,
    financialYear: parseReportingPeriod(request.periodCovered).financialYear,
    previousValue,
    ...(underQualityAssurance ? { noFigureReason: 'under_quality_assurance' as const } : {}),
  });
  const data: ReturnFigureImportedData = {
    returnId,
    kpiId: request.kpiId,
    cycleId: input.cycleId,
    financialYear,
    quarter,
    periodCovered: request.periodCovered,
    expectedMonths: request.expectedMonths,
    kpi,
    value,
    ...(valueAsEntered === undefined ? {} : { valueAsEntered }),
    ...(inPeriodValue === undefined ? {} : { inPeriodValue }),
    ...(yearToDateValue === undefined ? {} : { yearToDateValue }),
    monthlyValues,
    ...(notAvailableReason === undefined ? {} : { notAvailableReason }),
    commentary: optionalText(input.commentary, 'commentary', { allowEmpty: true }) ?? '',
    rating,
    published,
    source: {
      importedBy: context.actor,
      importedAt: context.now,
      fileName: requireText(input.fileName, 'fileName', { maxLength: 200 }),
      sha256: requireText(input.sha256, 'sha256', { maxLength: 64 }),
    },
  };
  return [{ type: 'ReturnFigureImported', data }];
}

function parseReportingPeriodOfCycle(cycleId: PeriodId) {
  const parsed = parseReportingPeriod(cycleId, 'cycleId');
  if (parsed.kind !== 'quarter') throw new ValidationError('cycleId', `must be a quarter like 2024/25-Q2, got ${cycleId}`);
  return { financialYear: parsed.financialYear, quarter: parsed.quarter };
}

function publishedOf(input: PublishedFigure, period: ReportingPeriod, now: string): PublishedFigure {
  const published = requireObject(input, 'published') as unknown as PublishedFigure;
  const sourceDocument = requireText(published.sourceDocument, 'sourceDocument', { maxLength: 500 });
  if (!isIsoDate(published.publishedOn)) throw new ValidationError('publishedOn', 'must be a date YYYY-MM-DD');
  const periodEnd = lastDayOfPeriod(period);
  if (published.publishedOn <= periodEnd) throw new ValidationError('publishedOn', `must be after the period ends (${periodEnd})`);
  if (published.publishedOn > now.slice(0, 10)) throw new ValidationError('publishedOn', `${published.publishedOn} is in the future`);
  const text = (value: unknown, field: string) => optionalText(value, field, { maxLength: 100 });
  const status = text(published.status, 'publishedStatus');
  const directionPrevious = text(published.directionPrevious, 'publishedDirectionPrevious');
  const directionLastYear = text(published.directionLastYear, 'publishedDirectionLastYear');
  return {
    sourceDocument,
    publishedOn: published.publishedOn,
    ...(status ? { status } : {}),
    ...(directionPrevious ? { directionPrevious } : {}),
    ...(directionLastYear ? { directionLastYear } : {}),
  };
}

/** A monthly KPI may give only the months printed: each must be one of the period's months. */
function knownMonthsOf(given: readonly MonthlyValue[] | undefined, expected: readonly Month[], kpi: ReturnKpiSnapshot): MonthlyValue[] {
  const list = given ?? [];
  if (!Array.isArray(list)) throw new ValidationError('monthlyValues', 'must be a list');
  if (list.length > 0 && expected.length === 0) throw new ValidationError('monthlyValues', 'this KPI does not report monthly figures');
  const byMonth = new Map<string, MonthlyValue>();
  for (const entry of list) {
    const month = requireObject(entry, 'monthlyValues').month;
    if (!isMonth(month) || !expected.includes(month)) throw new ValidationError('monthlyValues', `${String(month)} is not a month of the period (${expected.join(', ')})`);
    if (byMonth.has(month)) throw new ValidationError('monthlyValues', `${month} is given twice`);
    const figure = enteredFigureOf(entry.value, kpi, 'monthlyValues');
    byMonth.set(month, { month, value: figure.value, ...(figure.asEntered === undefined ? {} : { valueAsEntered: figure.asEntered }) });
  }
  return expected.filter((month) => byMonth.has(month)).map((month) => byMonth.get(month)!);
}
