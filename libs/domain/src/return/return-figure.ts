/**
 * A reported figure: validated as decimals at the KPI's precision, with exactly the expected
 * months for a monthly KPI, and rated under the policy the handler found in force.
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
}

export interface FigureInput {
  readonly value: DecimalString;
  /** Exactly the expected months for a monthly KPI, otherwise empty or absent. */
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
    monthlyValues,
    commentary,
    ...(offTargetReason === undefined ? {} : { offTargetReason }),
    ...(routeToGreen === undefined ? {} : { routeToGreen }),
    ...(dataQualityNotes === undefined ? {} : { dataQualityNotes }),
    rating,
  };
}

/**
 * The headline value and monthly values as decimals at no finer precision than the KPI reports;
 * a monthly KPI must give exactly the expected months (stored in month order).
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
  const missing = expected.filter((month) => !byMonth.has(month));
  if (missing.length > 0) throw new ValidationError('monthlyValues', `missing ${missing.join(', ')}`);
  return { value: headline.value, ...headlineFields, monthlyValues: expected.map((month) => byMonth.get(month)!) };
}

export function rateFigure(value: DecimalString | null, kpiInput: SubmissionKpiContext, record: ReturnRecord): Rating {
  const kpi = requireObject(kpiInput, 'kpi') as unknown as SubmissionKpiContext;
  const until = kpi.underQualityAssuranceUntil ?? null;
  if (until !== null && !isPeriodId(until)) throw new ValidationError('kpi.underQualityAssuranceUntil', 'must be a quarter like 2024/25-Q2');
  const previousValue = kpi.previousValue ?? null;
  if (previousValue !== null) parseDecimal(previousValue, 'kpi.previousValue');
  const underQualityAssurance = until !== null && comparePeriodIds(record.request.cycleId, until) <= 0;
  return rate(value, kpi.policy ?? null, {
    polarity: record.request.kpi.polarity,
    labels: record.request.kpi.labels,
    financialYear: ratingFinancialYearOf(record.request),
    previousValue,
    ...(underQualityAssurance ? { noFigureReason: 'under_quality_assurance' as const } : {}),
  });
}

