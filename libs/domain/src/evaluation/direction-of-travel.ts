/**
 * Direction of travel: how a figure moved against an earlier figure of the same measure, and
 * which earlier periods are like-for-like comparisons.
 */
import type { Frequency, MeasureType, Polarity } from '../kpi/kpi-attributes';
import { DecimalString, parseDecimal } from '../shared/decimal-value';
import { ValidationError } from '../shared/domain-error';
import {
  formatFinancialYear,
  formatHalfYear,
  parseReportingPeriod,
  previousQuarter,
  ReportingPeriod,
  sameQuarterLastYear,
} from '../shared/period';

/** With polarity: improving / declining / no_change. Without: higher / lower / same. */
export type Direction = 'improving' | 'declining' | 'no_change' | 'higher' | 'lower' | 'same';

/** Null when either figure is missing. Figures compare as decimals (`"97.9"` equals `"97.90"`). */
export function directionOfTravel(
  current: DecimalString | null | undefined,
  previous: DecimalString | null | undefined,
  polarity: Polarity,
): Direction | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  const comparison = parseDecimal(current, 'current').comparedTo(parseDecimal(previous, 'previous'));
  switch (polarity) {
    case 'none':
      return comparison > 0 ? 'higher' : comparison < 0 ? 'lower' : 'same';
    case 'higher_is_better':
      return comparison > 0 ? 'improving' : comparison < 0 ? 'declining' : 'no_change';
    case 'lower_is_better':
      return comparison < 0 ? 'improving' : comparison > 0 ? 'declining' : 'no_change';
  }
}

export interface ComparisonPeriods {
  /**
   * The previous period in which the same measure was reported, or null when there is no
   * like-for-like one: a year-to-date figure restarts each April, so the first period of a year
   * has no earlier cumulative figure to compare with (only last year's same period).
   */
  readonly previous: ReportingPeriod | null;
  /** The same period last year (a year-to-date figure at Q3 against last year's at Q3). */
  readonly lastYear: ReportingPeriod;
}

/**
 * The periods a figure is compared with. `period` is the period the figure covers: a quarter
 * (`2024/25-Q3`) for monthly and quarterly KPIs, a half year (`2024/25-H2`, or the quarter that
 * ends it, Q2/Q4) for six-monthly KPIs, a financial year (`2024/25`, or any quarter of it) for
 * annual KPIs. Six-monthly KPIs skip the quarters in which they are not reported.
 */
export function comparisonPeriods(
  period: ReportingPeriod,
  frequency: Frequency,
  measureType: MeasureType,
): ComparisonPeriods {
  const parsed = parseReportingPeriod(period, 'period');
  const yearToDate = measureType === 'year_to_date';
  switch (frequency) {
    case 'monthly':
    case 'quarterly': {
      if (parsed.kind !== 'quarter') {
        throw new ValidationError('period', `a ${frequency} KPI reports quarters, got ${period}`);
      }
      return {
        previous: yearToDate && parsed.quarter === 1 ? null : previousQuarter(period),
        lastYear: sameQuarterLastYear(period),
      };
    }
    case 'six_monthly': {
      let half: 1 | 2;
      if (parsed.kind === 'half') half = parsed.half;
      else if (parsed.kind === 'quarter' && (parsed.quarter === 2 || parsed.quarter === 4)) half = parsed.quarter === 2 ? 1 : 2;
      else throw new ValidationError('period', `a six-monthly KPI reports H1 (at Q2) or H2 (at Q4), got ${period}`);
      const lastYear = formatHalfYear(formatFinancialYear(parsed.startYear - 1), half);
      const previous =
        half === 2 ? formatHalfYear(parsed.financialYear, 1) : yearToDate ? null : formatHalfYear(formatFinancialYear(parsed.startYear - 1), 2);
      return { previous, lastYear };
    }
    case 'annual': {
      const lastYear = formatFinancialYear(parsed.startYear - 1);
      return { previous: lastYear, lastYear };
    }
  }
}
