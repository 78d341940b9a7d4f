/**
 * A KPI's targets for one financial year, as councils publish them: the year's policy, an
 * optional quarterly or interim profile (a policy per period that overrides the year's for that
 * period), which figure is rated (in-period or year-to-date) and what "vs last year" compares it
 * with. `targetsInForce` chooses what applies to a return's period; every door that rates uses it.
 */
import { ValidationError } from '../shared/domain-error';
import type { FinancialYear, ReportingPeriod } from '../shared/period';
import { parseReportingPeriod } from '../shared/period';
import type { RatingPolicy } from '../shared/rating.types';
import { requireOneOf } from '../shared/validation';
import type { MeasureType } from './kpi-attributes';

/** A period of the year a target can be set for: a quarter or a half year. */
export type TargetPeriod = 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'H1' | 'H2';
export const TARGET_PERIODS: readonly TargetPeriod[] = ['Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2'];

/** Which of a return's two figures is rated and compared. */
export type RatedFigure = 'in_period' | 'year_to_date';
export const RATED_FIGURES: readonly RatedFigure[] = ['in_period', 'year_to_date'];

/**
 * What "vs last year" compares the rated figure with:
 * - `same_period`: the same period last year, like for like (the default);
 * - `last_year_outturn`: last year's final figure (its Q4 year-to-date, H2 or annual figure);
 * - `pro_rata_annual`: last year's annual total times the share of the year the figure covers.
 */
export type LastYearBasis = 'same_period' | 'last_year_outturn' | 'pro_rata_annual';
export const LAST_YEAR_BASES: readonly LastYearBasis[] = ['same_period', 'last_year_outturn', 'pro_rata_annual'];

/** Everything a KPI states for one financial year, folded from its `KpiTargetPolicySet` events. */
export interface KpiYearTargets {
  /** The whole year's policy. */
  readonly policy: RatingPolicy;
  /** Policies for single periods (a quarterly or interim profile), overriding `policy` there. */
  readonly periods: Readonly<Partial<Record<TargetPeriod, RatingPolicy>>>;
  /** Absent: the KPI's measure type decides (for snapshot / rolling KPIs only the headline exists). */
  readonly ratedFigure?: RatedFigure;
  /** Absent: `same_period`. */
  readonly lastYearBasis?: LastYearBasis;
}

/** What applies to one return's period. */
export interface TargetsInForce {
  readonly policy: RatingPolicy | null;
  /** The measure rated: the year's `ratedFigure`, else the KPI's measure type. */
  readonly ratedFigure: MeasureType;
  readonly lastYearBasis: LastYearBasis;
  /** Set when a period policy (not the year's) applies. */
  readonly period?: TargetPeriod;
}

/**
 * The targets that apply to a figure for `reportingPeriod` (`2024/25-Q3`, `2024/25-H1`, `2024/25`).
 * A quarter's own policy wins; a quarter falls back on its half year's (Q1–Q2 in H1, Q3–Q4 in H2),
 * then on the year's. A half year uses its own, then the policy of the quarter that ends it (Q2
 * for H1, Q4 for H2), then the year's. An annual figure uses the year's policy.
 */
export function targetsInForce(
  yearTargets: KpiYearTargets | null | undefined,
  reportingPeriod: ReportingPeriod,
  measureType: MeasureType,
): TargetsInForce {
  const parsed = parseReportingPeriod(reportingPeriod, 'periodCovered');
  const ratedFigure: MeasureType = yearTargets?.ratedFigure ?? measureType;
  const lastYearBasis = yearTargets?.lastYearBasis ?? 'same_period';
  if (!yearTargets) return { policy: null, ratedFigure, lastYearBasis };
  const candidates: TargetPeriod[] =
    parsed.kind === 'quarter'
      ? [`Q${parsed.quarter}` as TargetPeriod, parsed.quarter <= 2 ? 'H1' : 'H2']
      : parsed.kind === 'half'
        ? [`H${parsed.half}` as TargetPeriod, parsed.half === 1 ? 'Q2' : 'Q4']
        : [];
  for (const period of candidates) {
    const policy = yearTargets.periods[period];
    if (policy !== undefined) return { policy, ratedFigure, lastYearBasis, period };
  }
  return { policy: yearTargets.policy, ratedFigure, lastYearBasis };
}

/** The targets for a financial year from a map of years, or null. */
export function yearTargetsFor(
  targets: Readonly<Record<FinancialYear, KpiYearTargets>>,
  financialYear: FinancialYear,
): KpiYearTargets | null {
  return targets[financialYear] ?? null;
}

/**
 * Checks the optional rating-model fields of a target policy against the KPI's measure type: a
 * snapshot or rolling-12-months KPI has only its headline figure, so it cannot name a rated figure
 * nor compare with a pro-rata share of an annual total.
 */
export function validateRatingModel(
  input: { readonly period?: unknown; readonly ratedFigure?: unknown; readonly lastYearBasis?: unknown },
  measureType: MeasureType,
): { period?: TargetPeriod; ratedFigure?: RatedFigure; lastYearBasis?: LastYearBasis } {
  const given = (value: unknown): boolean => value !== undefined && value !== null && value !== '';
  const period = given(input.period) ? requireOneOf(input.period, TARGET_PERIODS, 'period') : undefined;
  const ratedFigure = given(input.ratedFigure) ? requireOneOf(input.ratedFigure, RATED_FIGURES, 'ratedFigure') : undefined;
  const lastYearBasis = given(input.lastYearBasis) ? requireOneOf(input.lastYearBasis, LAST_YEAR_BASES, 'lastYearBasis') : undefined;
  const headlineOnly = measureType === 'snapshot' || measureType === 'rolling_12_months';
  if (headlineOnly && ratedFigure !== undefined) {
    throw new ValidationError('ratedFigure', `a ${measureType} KPI has only its headline figure to rate`);
  }
  if (headlineOnly && lastYearBasis === 'pro_rata_annual') {
    throw new ValidationError('lastYearBasis', `a ${measureType} figure is not a share of an annual total`);
  }
  return {
    ...(period === undefined ? {} : { period }),
    ...(ratedFigure === undefined ? {} : { ratedFigure }),
    ...(lastYearBasis === undefined ? {} : { lastYearBasis }),
  };
}
