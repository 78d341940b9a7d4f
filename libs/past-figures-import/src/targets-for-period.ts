import { parseReportingPeriod, targetPolicyFor, type KpiState, type RatingPolicy, type ReportingPeriod } from '@quarterly/domain';

/**
 * The targets a past figure is rated against: those of its own period, as the register holds them
 * now. The ONE place the import chooses them: today the KPI's policy for the period's financial
 * year; once the rating model's `targetsInForce(kpiTargets, reportingPeriod)` is on main (period
 * profiles, which figure is rated), this becomes that call.
 */
export function targetsForPeriod(kpi: KpiState, period: ReportingPeriod): RatingPolicy | null {
  return targetPolicyFor(kpi, parseReportingPeriod(period, 'period').financialYear);
}
