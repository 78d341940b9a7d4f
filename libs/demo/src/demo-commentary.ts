/** The words a service lead writes with a figure, from the figure, its rating and its history. */
import { compareDecimals, formatFigure, parseReportingPeriod, type Rating, type ReportingPeriod } from '@quarterly/domain';
import type { DemoKpi } from './demo-kpi-builders';

/** Said of an off-target figure whose KPI has no story of its own. */
const GENERIC_OFF_TARGET = [
  'Demand rose faster than capacity this period.',
  'The service has a recovery plan agreed at DMT and reports progress monthly.',
] as const;

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
  const { unit, decimalPlaces, unitLabel } = kpi.description;
  const written = (figure: string) => formatFigure(figure, { unit, decimalPlaces, unitLabel });
  const period = parseReportingPeriod(periodCovered);
  const span = period.kind === 'quarter' ? 'for the quarter' : period.kind === 'half' ? 'for the half year' : `for ${period.financialYear}`;
  const sentences = [`${written(value)} ${span}`];
  if (previous !== null) {
    const movement = compareDecimals(value, previous);
    sentences[0] += movement === 0 ? `, unchanged from ${written(previous)}.` : `, ${movement > 0 ? 'up' : 'down'} from ${written(previous)}.`;
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
