import { parseReportingPeriod, targetsInForce, yearTargetsOf, type KpiState, type RatingPolicy, type ReportingPeriod } from '@quarterly/domain';

/**
 * The targets a past figure is rated against: those of its own period (the quarter's own policy,
 * then its half year's, then the year's), as the register holds them now — the domain's
 * `targetsInForce`, which every door that rates uses.
 */
export function targetsForPeriod(kpi: KpiState, period: ReportingPeriod): RatingPolicy | null {
  if (kpi.status === 'not_defined') return null;
  const yearTargets = yearTargetsOf(kpi, parseReportingPeriod(period, 'period').financialYear);
  return targetsInForce(yearTargets, period, kpi.kpi.measureType).policy;
}
