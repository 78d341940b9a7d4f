/**
 * Rating a figure: the rules of DOMAIN.md "Rating a figure", one engine for every council.
 *
 * All comparisons are exact decimal comparisons of the figure as reported (`"83.50"` and `"83.5"`
 * rate the same); a figure exactly on a threshold meets it.
 */
import Decimal from 'decimal.js';
import type { Polarity } from '../kpi/kpi-attributes';
import { DecimalString, parseDecimal } from '../shared/decimal-value';
import type { FinancialYear } from '../shared/period';
import type { NoStatusReason, Rating, RatingLabels, RatingPolicy, RatingStatus } from '../shared/rating.types';

export interface RatingContext {
  /** The KPI's polarity; decides which side of a target is better. */
  readonly polarity: Polarity;
  /** The previous figure of the same measure, for direction policies. */
  readonly previousValue?: DecimalString | null;
  readonly labels: RatingLabels;
  /** The financial year whose policy is applied, recorded in the rating. */
  readonly financialYear: FinancialYear;
  /**
   * Forces "no status" for this reason even when a value is given (e.g. the definition changed
   * and the figure is under quality assurance). When the value is null and this is unset, the
   * reason is `not_available`.
   */
  readonly noFigureReason?: NoStatusReason;
}

const LABELS: Record<RatingLabels, Record<'green' | 'amber' | 'red', string>> = {
  green_amber_red: { green: 'Green', amber: 'Amber', red: 'Red' },
  on_track_monitor_action: { green: 'On track', amber: 'Monitor', red: 'Action required' },
};

/** The printed label of a status under a KPI's label scheme. */
export function labelOf(status: RatingStatus, labels: RatingLabels): string {
  switch (status) {
    case 'met':
      return 'Met';
    case 'not_met':
      return 'Not met';
    default:
      return LABELS[labels][status];
  }
}

export function rate(value: DecimalString | null, policy: RatingPolicy | null, ctx: RatingContext): Rating {
  const base = { policy, financialYear: ctx.financialYear };
  const noStatus = (reason: NoStatusReason, extra: { comparedWith?: DecimalString } = {}): Rating => ({
    status: null,
    label: null,
    noStatusReason: reason,
    ...base,
    ...extra,
  });
  const withStatus = (status: RatingStatus, extra: { comparedWith?: DecimalString } = {}): Rating => ({
    status,
    label: labelOf(status, ctx.labels),
    ...base,
    ...extra,
  });

  if (ctx.noFigureReason !== undefined) return noStatus(ctx.noFigureReason);
  if (value === null) return noStatus('not_available');
  const figure = parseDecimal(value, 'value');
  if (policy === null) return noStatus('no_target');

  switch (policy.kind) {
    case 'tracker':
      return noStatus('tracker');
    case 'thresholds': {
      const green = parseDecimal(policy.green, 'policy.green');
      const amber = parseDecimal(policy.amber, 'policy.amber');
      const higherIsBetter = thresholdsHigherIsBetter(green, amber, ctx.polarity);
      if (meets(figure, green, higherIsBetter)) return withStatus('green');
      if (meets(figure, amber, higherIsBetter)) return withStatus('amber');
      return withStatus('red');
    }
    case 'tolerance': {
      if (ctx.polarity === 'none') return noStatus('no_target');
      const target = parseDecimal(policy.target, 'policy.target');
      const band = target.abs().times(parseDecimal(policy.tolerancePercent, 'policy.tolerancePercent')).dividedBy(100);
      const higherIsBetter = ctx.polarity === 'higher_is_better';
      if (meets(figure, target, higherIsBetter)) return withStatus('green');
      const edge = higherIsBetter ? target.minus(band) : target.plus(band);
      return withStatus(meets(figure, edge, higherIsBetter) ? 'amber' : 'red');
    }
    case 'met_not_met': {
      if (ctx.polarity === 'none') return noStatus('no_target');
      const target = parseDecimal(policy.target, 'policy.target');
      return withStatus(meets(figure, target, ctx.polarity === 'higher_is_better') ? 'met' : 'not_met');
    }
    case 'direction': {
      const previousValue = ctx.previousValue ?? null;
      if (previousValue === null) return noStatus('no_baseline');
      const comparison = figure.comparedTo(parseDecimal(previousValue, 'previousValue'));
      const moved = policy.direction === 'increase' ? comparison : -comparison;
      // An interim "increase"/"decrease" target is RAG rated: moved the right way is green, no
      // movement is amber (the target was to move), the wrong way is red.
      const status: RatingStatus = moved > 0 ? 'green' : moved === 0 ? 'amber' : 'red';
      return withStatus(status, { comparedWith: previousValue });
    }
  }
}

/** At or beyond the target on the better side. */
function meets(figure: Decimal, target: Decimal, higherIsBetter: boolean): boolean {
  return higherIsBetter ? figure.greaterThanOrEqualTo(target) : figure.lessThanOrEqualTo(target);
}

/**
 * Distinct thresholds say by their order which way is better (a green target above the amber
 * one means higher is better), so a policy whose order disagrees with a later polarity change is
 * still rated sensibly. Equal thresholds fall back on the polarity.
 */
function thresholdsHigherIsBetter(green: Decimal, amber: Decimal, polarity: Polarity): boolean {
  if (!green.equals(amber)) return green.greaterThan(amber);
  return polarity !== 'lower_is_better';
}
