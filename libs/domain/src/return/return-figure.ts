/**
 * A reported figure: validated as decimals at the KPI's precision, with the months known (of the
 * expected ones) for a monthly KPI and the in-period / year-to-date figures beside the headline,
 * and rated under the targets the handler found in force (`targetsInForce`).
 */
import { DecimalString, parseDecimal } from '../shared/decimal-value';
import { enteredFigureOf } from '../kpi/value-range';
import { OffTargetJustificationRequiredError, ValidationError } from '../shared/domain-error';
import { comparePeriodIds, isPeriodId, PeriodId } from '../shared/period';
import { isOffTarget, Rating, RatingPolicy } from '../shared/rating.types';
import { optionalText, requireObject, requireText } from '../shared/validation';
import { rate } from '../evaluation/rate';
import type { MonthlyValue, ReturnFigure } from './return.events';
import { ratingFinancialYearOf, ReturnRecord } from './return.state';
import { LAST_YEAR_BASES, LastYearBasis, RATED_FIGURES, RatedFigure, TARGET_PERIODS, TargetPeriod } from '../kpi/kpi-targets';
import { requireOneOf } from '../shared/validation';
import { parseReportingPeriod } from '../shared/period';

/**
 * What the handler knows about the KPI when a figure is reported, read from the KPI stream and
 * the read models, so that the decider can rate the figure.
 */
export interface SubmissionKpiContext {
  /** The policy in force for the return's financial year (`ratingFinancialYearOf`); null if none. */
  readonly policy: RatingPolicy | null;
  /** The previous figure of the same measure, for direction policies; null/absent if none. */
  readonly previousValue?: DecimalString | null;
  /** From the KPI stream: figures up to this quarter (inclusive) are under quality assurance. */
  readonly underQualityAssuranceUntil?: PeriodId | null;
  /** Set when a period's policy (`targetsInForce`) applies rather than the year's. */
  readonly period?: TargetPeriod;
  /** The rated figure and last-year basis the year states; absent when it states none. */
  readonly ratedFigure?: RatedFigure;
  readonly lastYearBasis?: LastYearBasis;
}

/** The in-period and year-to-date figures a service may give beside the rated headline. */
export interface CompanionFigures {
  readonly inPeriodValue?: DecimalString;
  readonly yearToDateValue?: DecimalString;
}

export interface FigureInput extends CompanionFigures {
  readonly value: DecimalString;
  /** The months known, of the expected ones, for a monthly KPI; otherwise empty or absent. */
  readonly monthlyValues?: readonly MonthlyValue[];
  readonly commentary: string;
  readonly offTargetReason?: string;
  readonly routeToGreen?: string;
  readonly dataQualityNotes?: string;
  readonly kpi: SubmissionKpiContext;
}

/** Validates a figure and rates it; an off-target figure must say why and how it recovers. */
export function figureOf(input: FigureInput, record: ReturnRecord): ReturnFigure {
  requireObject(input, 'data');
  const { value, valueAsEntered, monthlyValues } = validateValues(input.value, input.monthlyValues, record);
  const companions = validateCompanions(value, input, input.kpi, record);
  const commentary = requireText(input.commentary, 'commentary', { allowEmpty: true });
  const offTargetReason = optionalText(input.offTargetReason, 'offTargetReason', { allowEmpty: true });
  const routeToGreen = optionalText(input.routeToGreen, 'routeToGreen', { allowEmpty: true });
  const dataQualityNotes = optionalText(input.dataQualityNotes, 'dataQualityNotes', { allowEmpty: true });
  const rating = rateFigure(value, input.kpi, record);
  if (isOffTarget(rating.status)) {
    const missing = (
      [
        ['offTargetReason', offTargetReason],
        ['routeToGreen', routeToGreen],
      ] as const
    )
      .filter(([, text]) => text === undefined || text.trim() === '')
      .map(([field]) => field);
    if (missing.length > 0) throw new OffTargetJustificationRequiredError(rating.status ?? '', missing);
  }
  return {
    value,
    ...(valueAsEntered === undefined ? {} : { valueAsEntered }),
    ...companions,
    monthlyValues,
    commentary,
    ...(offTargetReason === undefined ? {} : { offTargetReason }),
    ...(routeToGreen === undefined ? {} : { routeToGreen }),
    ...(dataQualityNotes === undefined ? {} : { dataQualityNotes }),
    rating,
  };
}

/**
 * The in-period and year-to-date figures given beside the headline, normalised and checked like
 * it. The one of the rated measure (`ratedFigure`, else the KPI's measure type) must equal the
 * headline; at the first period of the year (Q1, H1, or an annual figure) the two cover the same
 * months and must be equal. A snapshot or rolling-12-months KPI has only its headline.
 */
export function validateCompanions(
  value: DecimalString,
  input: CompanionFigures,
  kpiContext: Pick<SubmissionKpiContext, 'ratedFigure'> | undefined,
  record: ReturnRecord,
): { inPeriodValue?: DecimalString; inPeriodValueAsEntered?: string; yearToDateValue?: DecimalString; yearToDateValueAsEntered?: string } {
  const kpi = record.request.kpi;
  const given = (candidate: unknown): boolean => candidate !== undefined && candidate !== null && candidate !== '';
  const fields = (['inPeriodValue', 'yearToDateValue'] as const).filter((field) => given(input[field]));
  if (fields.length === 0) return {};
  if (kpi.measureType === 'snapshot' || kpi.measureType === 'rolling_12_months') {
    throw new ValidationError(fields[0]!, `a ${kpi.measureType} KPI reports its headline figure only`);
  }
  const rated = kpiContext?.ratedFigure ?? kpi.measureType;
  const result: Record<string, string> = {};
  for (const field of fields) {
    const figure = enteredFigureOf(input[field], kpi, field);
    const measure = field === 'inPeriodValue' ? 'in_period' : 'year_to_date';
    if (measure === rated && !parseDecimal(figure.value, field).equals(parseDecimal(value, 'value'))) {
      throw new ValidationError(field, `is the rated figure here, so it must equal value ${value}`);
    }
    result[field] = figure.value;
    if (figure.asEntered !== undefined) result[`${field}AsEntered`] = figure.asEntered;
  }
  const period = parseReportingPeriod(record.request.periodCovered);
  const firstOfYear = period.kind === 'year' || (period.kind === 'quarter' && period.quarter === 1) || (period.kind === 'half' && period.half === 1);
  if (firstOfYear && result.inPeriodValue !== undefined && result.yearToDateValue !== undefined) {
    if (!parseDecimal(result.inPeriodValue, 'inPeriodValue').equals(parseDecimal(result.yearToDateValue, 'yearToDateValue'))) {
      throw new ValidationError('yearToDateValue', `${record.request.periodCovered} starts the year, so it must equal inPeriodValue`);
    }
  }
  return result;
}

/**
 * The headline value and monthly values as decimals at no finer precision than the KPI reports;
 * a monthly KPI gives the months known of the expected ones, each once (stored in month order).
 */
export function validateValues(
  value: unknown,
  monthlyInput: readonly MonthlyValue[] | undefined,
  record: ReturnRecord,
): { value: DecimalString; valueAsEntered?: string; monthlyValues: MonthlyValue[] } {
  const entered = (candidate: unknown, field: string) => enteredFigureOf(candidate, record.request.kpi, field);
  const headline = entered(value, 'value');
  const headlineFields = headline.asEntered === undefined ? {} : { valueAsEntered: headline.asEntered };
  const expected = record.request.expectedMonths;
  const given = monthlyInput ?? [];
  if (!Array.isArray(given)) throw new ValidationError('monthlyValues', 'must be a list');
  if (expected.length === 0) {
    if (given.length > 0) throw new ValidationError('monthlyValues', 'this KPI does not report monthly figures');
    return { value: headline.value, ...headlineFields, monthlyValues: [] };
  }
  const byMonth = new Map<string, MonthlyValue>();
  given.forEach((entry, index) => {
    const month = requireObject(entry, `monthlyValues[${index}]`).month;
    if (typeof month !== 'string' || !expected.includes(month)) {
      throw new ValidationError(`monthlyValues[${index}].month`, `must be one of ${expected.join(', ')}`);
    }
    if (byMonth.has(month)) throw new ValidationError(`monthlyValues[${index}].month`, `${month} is given twice`);
    const figure = entered(entry.value, `monthlyValues[${index}].value`);
    byMonth.set(month, { month, value: figure.value, ...(figure.asEntered === undefined ? {} : { valueAsEntered: figure.asEntered }) });
  });
  // Earlier months are often not printed: the months known are kept, in month order.
  return {
    value: headline.value,
    ...headlineFields,
    monthlyValues: expected.filter((month) => byMonth.has(month)).map((month) => byMonth.get(month)!),
  };
}

export function rateFigure(value: DecimalString | null, kpiInput: SubmissionKpiContext, record: ReturnRecord): Rating {
  const kpi = requireObject(kpiInput, 'kpi') as unknown as SubmissionKpiContext;
  const until = kpi.underQualityAssuranceUntil ?? null;
  if (until !== null && !isPeriodId(until)) throw new ValidationError('kpi.underQualityAssuranceUntil', 'must be a quarter like 2024/25-Q2');
  const previousValue = kpi.previousValue ?? null;
  if (previousValue !== null) parseDecimal(previousValue, 'kpi.previousValue');
  const underQualityAssurance = until !== null && comparePeriodIds(record.request.cycleId, until) <= 0;
  const model = {
    ...(kpi.period === undefined ? {} : { period: requireOneOf(kpi.period, TARGET_PERIODS, 'kpi.period') }),
    ...(kpi.ratedFigure === undefined ? {} : { ratedFigure: requireOneOf(kpi.ratedFigure, RATED_FIGURES, 'kpi.ratedFigure') }),
    ...(kpi.lastYearBasis === undefined ? {} : { lastYearBasis: requireOneOf(kpi.lastYearBasis, LAST_YEAR_BASES, 'kpi.lastYearBasis') }),
  };
  const rating = rate(value, kpi.policy ?? null, {
    polarity: record.request.kpi.polarity,
    labels: record.request.kpi.labels,
    financialYear: ratingFinancialYearOf(record.request),
    previousValue,
    ...(underQualityAssurance ? { noFigureReason: 'under_quality_assurance' as const } : {}),
  });
  return { ...rating, ...model };
}

