import type { FigureDisplay, Polarity, TargetPeriod } from '@quarterly/domain';
import type { KpiTarget } from '@quarterly/read-models';
import { targetInWords } from '../../scorecards/scorecard-table';

const PERIOD_ORDER: readonly TargetPeriod[] = ['Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2'];

export const BASIS_WORDS: Readonly<Record<KpiTarget['lastYearBasis'], string>> = {
  same_period: 'Compared with the same period last year (like for like)',
  last_year_outturn: "Compared with last year's outturn (its final figure)",
  pro_rata_annual: "Compared with a pro-rata share of last year's total",
};

/**
 * A year's targets beyond its own policy, in words, one line each: the quarterly or interim
 * profile ("Q1: Green 250 or more, amber 225 or more"), the figure rated, and the basis of "vs
 * last year".
 */
export function yearTargetsInWords(target: KpiTarget, kpi: { readonly polarity: Polarity }, display: FigureDisplay): string[] {
  const profile = PERIOD_ORDER.filter((period) => target.periods[period] !== undefined).map(
    (period) => `${period}: ${targetInWords(target.periods[period]!, kpi.polarity, display)}`,
  );
  return [
    ...profile,
    ...(target.ratedFigure ? [target.ratedFigure === 'in_period' ? 'The in-period figure is rated' : 'The year-to-date figure is rated'] : []),
    BASIS_WORDS[target.lastYearBasis],
  ];
}
