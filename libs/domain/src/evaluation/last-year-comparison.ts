/**
 * Direction of travel against last year, on the basis the KPI states for the year
 * (`lastYearBasis`, DOMAIN.md "Direction of travel"):
 * - `same_period`: last year's figure of the same period and measure (like for like);
 * - `last_year_outturn`: last year's final figure of the measure: its Q4 year-to-date figure
 *   (monthly and quarterly KPIs), its H2 year-to-date figure (six-monthly) or its annual figure;
 * - `pro_rata_annual`: last year's annual total (the outturn) times the share of the year the
 *   figure covers: Q1 1/4, Q2 2/4, Q3 3/4, Q4 4/4 (H1 1/2, H2 2/2, a year 1/1) for a year-to-date
 *   figure; one period's share (1/4 a quarter, 1/2 a half) for an in-period figure. The share is
 *   rounded to the KPI's decimal places, half away from zero (ROUND_HALF_UP), before comparing:
 *   councils print it at the precision of the figure.
 *
 * Every result says which basis was used and what it was compared with, so that pages and exports
 * can print it beside the arrow ("vs 2023/24 outturn", "vs pro rata 3/4 of 2023/24").
 */
import Decimal from 'decimal.js';
import type { Frequency, MeasureType, Polarity } from '../kpi/kpi-attributes';
import type { LastYearBasis } from '../kpi/kpi-targets';
import type { DecimalString } from '../shared/decimal-value';
import { parseDecimal } from '../shared/decimal-value';
import { formatFinancialYear, formatHalfYear, formatPeriodId, parseReportingPeriod, ReportingPeriod } from '../shared/period';
import { comparisonPeriods, Direction, directionOfTravel } from './direction-of-travel';

/** Which figure of which earlier period a comparison needs. */
export interface LastYearFigureNeeded {
  /** The period whose figure is read (`2023/24-Q3`, `2023/24-Q4`, `2023/24-H2`, `2023/24`). */
  readonly period: ReportingPeriod;
  /** The measure of that figure: in-period, year-to-date, or the headline (snapshot, rolling, annual). */
  readonly measure: MeasureType;
}

/** What "vs last year" compares a figure with, before the figure is looked up. */
export interface LastYearReference {
  readonly basis: LastYearBasis;
  readonly needs: LastYearFigureNeeded;
  /** For `pro_rata_annual`: the share of the annual total, e.g. 3 of 4. */
  readonly share?: { readonly numerator: number; readonly denominator: number };
  /** Printed beside the direction: "vs 2023/24-Q3", "vs 2023/24 outturn", "vs pro rata 3/4 of 2023/24". */
  readonly label: string;
}

/** Why there is no direction against last year. */
export type NoLastYearDirectionReason = 'no_figure' | 'no_last_year_figure';

/** A direction of travel against last year, with the basis and what it was compared with. */
export interface LastYearDirection {
  readonly basis: LastYearBasis;
  readonly label: string;
  /** The figure compared with (for pro rata: the share, rounded), or null when there was none. */
  readonly comparedWith: DecimalString | null;
  readonly direction: Direction | null;
  /** Set when `direction` is null. */
  readonly noDirectionReason?: NoLastYearDirectionReason;
}

/**
 * The reference a figure for `period` is compared with. `ratedMeasure` is the measure of the rated
 * figure (the year's `ratedFigure`, else the KPI's measure type).
 */
export function lastYearReferenceOf(
  period: ReportingPeriod,
  frequency: Frequency,
  ratedMeasure: MeasureType,
  basis: LastYearBasis,
): LastYearReference {
  const parsed = parseReportingPeriod(period, 'period');
  const lastYear = formatFinancialYear(parsed.startYear - 1);
  if (basis === 'same_period') {
    const { lastYear: samePeriod } = comparisonPeriods(period, frequency, ratedMeasure);
    return { basis, needs: { period: samePeriod, measure: ratedMeasure }, label: `vs ${samePeriod}` };
  }
  const outturn = outturnOf(lastYear, frequency, ratedMeasure);
  if (basis === 'last_year_outturn') return { basis, needs: outturn, label: `vs ${lastYear} outturn` };
  const share = shareOf(parsed, ratedMeasure);
  return { basis, needs: outturn, share, label: `vs pro rata ${share.numerator}/${share.denominator} of ${lastYear}` };
}

/** The final figure of a year: Q4 (monthly, quarterly), H2 (six-monthly) or the year (annual). */
function outturnOf(financialYear: string, frequency: Frequency, ratedMeasure: MeasureType): LastYearFigureNeeded {
  // The outturn is the year's cumulative figure; a snapshot or rolling figure's last one is its outturn.
  const measure: MeasureType = ratedMeasure === 'in_period' ? 'year_to_date' : ratedMeasure;
  switch (frequency) {
    case 'monthly':
    case 'quarterly':
      return { period: formatPeriodId(financialYear, 4), measure };
    case 'six_monthly':
      return { period: formatHalfYear(financialYear, 2), measure };
    case 'annual':
      return { period: financialYear, measure };
  }
}

function shareOf(
  parsed: ReturnType<typeof parseReportingPeriod>,
  ratedMeasure: MeasureType,
): { numerator: number; denominator: number } {
  const cumulative = ratedMeasure !== 'in_period';
  switch (parsed.kind) {
    case 'quarter':
      return { numerator: cumulative ? parsed.quarter : 1, denominator: 4 };
    case 'half':
      return { numerator: cumulative ? parsed.half : 1, denominator: 2 };
    case 'year':
      return { numerator: 1, denominator: 1 };
  }
}

/**
 * The direction of `current` against last year on `reference`'s basis, given the figure it needs
 * (`lastYearFigure`, looked up by the caller from `reference.needs`; null when there is none).
 */
export function lastYearDirection(
  current: DecimalString | null | undefined,
  reference: LastYearReference,
  lastYearFigure: DecimalString | null | undefined,
  polarity: Polarity,
  decimalPlaces: number,
): LastYearDirection {
  const base = { basis: reference.basis, label: reference.label };
  if (lastYearFigure === null || lastYearFigure === undefined) {
    return { ...base, comparedWith: null, direction: null, noDirectionReason: 'no_last_year_figure' };
  }
  const comparedWith = reference.share ? proRata(lastYearFigure, reference.share, decimalPlaces) : lastYearFigure;
  if (current === null || current === undefined) return { ...base, comparedWith, direction: null, noDirectionReason: 'no_figure' };
  return { ...base, comparedWith, direction: directionOfTravel(current, comparedWith, polarity) };
}

/** `annual × numerator / denominator`, rounded half away from zero to `decimalPlaces`. */
export function proRata(
  annual: DecimalString,
  share: { readonly numerator: number; readonly denominator: number },
  decimalPlaces: number,
): DecimalString {
  return parseDecimal(annual, 'annual')
    .times(share.numerator)
    .dividedBy(share.denominator)
    .toDecimalPlaces(decimalPlaces, Decimal.ROUND_HALF_UP)
    .toFixed(decimalPlaces);
}

/**
 * The figure of a measure held by a return: its headline when that is the measure it rated (or
 * the only figure it has), else the companion figure given beside it. `ratedMeasure` is what the
 * return rated (its rating's `ratedFigure`, else the KPI's measure type).
 */
export function figureOfMeasure(
  figure: {
    readonly value: DecimalString | null;
    readonly inPeriodValue?: DecimalString | null;
    readonly yearToDateValue?: DecimalString | null;
  },
  ratedMeasure: MeasureType,
  wanted: MeasureType,
  periodStartsYear: boolean,
): DecimalString | null {
  if (wanted === ratedMeasure) return figure.value;
  const companion = wanted === 'in_period' ? figure.inPeriodValue : wanted === 'year_to_date' ? figure.yearToDateValue : null;
  if (companion !== null && companion !== undefined) return companion;
  // At Q1, H1 or for a year, the in-period and year-to-date figures cover the same months.
  const cumulativePair = (a: MeasureType) => a === 'in_period' || a === 'year_to_date';
  if (periodStartsYear && cumulativePair(wanted) && cumulativePair(ratedMeasure)) return figure.value;
  return null;
}

/** Whether a period is the first of its year (Q1, H1) or a whole year. */
export function periodStartsYear(period: ReportingPeriod): boolean {
  const parsed = parseReportingPeriod(period, 'period');
  return parsed.kind === 'year' || (parsed.kind === 'quarter' && parsed.quarter === 1) || (parsed.kind === 'half' && parsed.half === 1);
}
