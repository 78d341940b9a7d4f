/** The words a service lead writes with a figure, from the figure, its rating and its history. */
import { compareDecimals, parseReportingPeriod, type KpiUnit, type Rating, type ReportingPeriod } from '@quarterly/domain';
import type { DemoKpi } from './demo-kpi-builders';

/** Said of an off-target figure whose KPI has no story of its own. */
const GENERIC_OFF_TARGET = [
  'Demand rose faster than capacity this period.',
  'The service has a recovery plan agreed at DMT and reports progress monthly.',
] as const;

export function formatFigure(value: string, unit: KpiUnit): string {
  switch (unit) {
    case 'percentage':
      return `${value}%`;
    case 'money':
      return `£${Number(value).toLocaleString('en-GB')}`;
    case 'days':
      return `${value} days`;
    case 'rate_per_1000':
      return `${value} per 1,000`;
    case 'rate_per_10000':
      return `${value} per 10,000`;
    case 'rate_per_100000':
      return `${value} per 100,000`;
    case 'count':
      return Number(value).toLocaleString('en-GB');
    case 'score':
      return value;
  }
}

/**
 * A short commentary: the figure for the period, its movement against the previous approved
 * figure, what its rating means, and the KPI's benchmark context.
 */
export function commentaryFor(
  kpi: DemoKpi,
  value: string,
  periodCovered: ReportingPeriod,
  previous: string | null,
  rating: Rating,
): string {
  const unit = kpi.description.unit;
  const period = parseReportingPeriod(periodCovered);
  const span = period.kind === 'quarter' ? 'for the quarter' : period.kind === 'half' ? 'for the half year' : `for ${period.financialYear}`;
  const sentences = [`${formatFigure(value, unit)} ${span}`];
  if (previous !== null) {
    const movement = compareDecimals(value, previous);
    sentences[0] += movement === 0 ? `, unchanged from ${formatFigure(previous, unit)}.` : `, ${movement > 0 ? 'up' : 'down'} from ${formatFigure(previous, unit)}.`;
  } else {
    sentences[0] += '.';
  }
  if (rating.status !== null) sentences.push(`Status: ${rating.label}.`);
  else if (rating.noStatusReason === 'under_quality_assurance') sentences.push('No status while the new definition is under quality assurance.');
  else if (rating.noStatusReason === 'no_baseline') sentences.push('No status yet: this is the baseline for the interim target.');
  if (kpi.context) sentences.push(kpi.context);
  return sentences.join(' ');
}

/** Why the figure is off target, and the route back to green. */
export function offTargetOf(kpi: DemoKpi): { offTargetReason: string; routeToGreen: string } {
  const [offTargetReason, routeToGreen] = kpi.offTarget ?? GENERIC_OFF_TARGET;
  return { offTargetReason, routeToGreen };
}
