/**
 * How a figure is rated (the target policy of a KPI for one financial year) and the result of
 * rating it. Both are stored inside events, so their shapes are a public contract.
 */
import type { DecimalString } from './decimal-value';
import type { FinancialYear } from './period';

/**
 * The rule that turns a figure into a status. Targets are decimal strings.
 * - `thresholds`: green at or beyond `green`, amber at or beyond `amber`, red otherwise
 *   (the direction of "beyond" follows the KPI's polarity).
 * - `tolerance`: green when `target` is met, amber within `tolerancePercent` % of it, red beyond.
 * - `met_not_met`: one target, two outcomes.
 * - `direction`: an interim target to move against the previous figure.
 * - `tracker`: no target and no status, only the trend.
 */
export type RatingPolicy =
  | { readonly kind: 'thresholds'; readonly green: DecimalString; readonly amber: DecimalString }
  | { readonly kind: 'tolerance'; readonly target: DecimalString; readonly tolerancePercent: DecimalString }
  | { readonly kind: 'met_not_met'; readonly target: DecimalString }
  | { readonly kind: 'direction'; readonly direction: 'increase' | 'decrease' }
  | { readonly kind: 'tracker' };

export type RatingPolicyKind = RatingPolicy['kind'];

export type RatingStatus = 'green' | 'amber' | 'red' | 'met' | 'not_met';

/** Why a figure has no status. */
export type NoStatusReason =
  | 'not_yet_due'
  | 'not_available'
  | 'no_baseline'
  | 'under_quality_assurance'
  | 'tracker'
  | 'no_target';

/** The words a council prints for the three statuses. */
export type RatingLabels = 'green_amber_red' | 'on_track_monitor_action';

/** The outcome of rating one figure, stored with the submission that produced it. */
export interface Rating {
  /** `null` when the figure has no status; `noStatusReason` then says why. */
  readonly status: RatingStatus | null;
  /** The printed label (`Green`, `Action required`, `Met`…), or null with no status. */
  readonly label: string | null;
  readonly noStatusReason?: NoStatusReason;
  /** The policy applied (null when the KPI had none for the year). */
  readonly policy: RatingPolicy | null;
  /** The financial year whose policy was applied. */
  readonly financialYear: FinancialYear;
  /** For direction policies: the previous figure the value was compared with. */
  readonly comparedWith?: DecimalString;
  /** When a period's policy (a quarterly or interim profile) applied rather than the year's. */
  readonly period?: 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'H1' | 'H2';
  /**
   * The measure rated and the basis of "vs last year" stated for the year, when the year states
   * them (absent on ratings recorded before they existed: the KPI's measure type, like for like).
   */
  readonly ratedFigure?: 'in_period' | 'year_to_date';
  readonly lastYearBasis?: 'same_period' | 'last_year_outturn' | 'pro_rata_annual';
}

/** Off-target statuses need a reason and a route to green. */
export function isOffTarget(status: RatingStatus | null): boolean {
  return status === 'red' || status === 'amber' || status === 'not_met';
}

/** On-target statuses count as "met" in the scorecard summary. */
export function isOnTarget(status: RatingStatus | null): boolean {
  return status === 'green' || status === 'met';
}
