import {
  comparisonPeriods,
  formatFinancialYear,
  formatPeriodId,
  parseReportingPeriod,
  returnDecider,
  returnStreamId,
  type DecimalString,
  type KpiRecord,
  type PeriodId,
  type Quarter,
  type ReportingPeriod,
} from '@quarterly/domain';
import type { EventSourcedCommandExecutor } from '@quarterly/platform/commands/event-sourced-command-executor';

/**
 * The previous approved figure of the same measure, which a direction-only target is rated
 * against ("increase on last time"). A six-monthly KPI skips the quarters it is not due; a
 * year-to-date figure at Q1 has no previous one (the count restarts in April).
 *
 * Read from the return streams themselves, not a read model: a decision never waits for (or is
 * misled by) projections that lag, and the demo loader, which runs before any projection, reads
 * it the same way.
 */
export class PreviousFigureReader {
  constructor(private readonly executor: EventSourcedCommandExecutor) {}

  /** The value last approved for the period before `periodCovered`; null when there is none (or "not available" was approved). */
  async previousApprovedValue(kpi: Pick<KpiRecord, 'kpiId' | 'frequency' | 'measureType'>, periodCovered: ReportingPeriod): Promise<DecimalString | null> {
    const { previous } = comparisonPeriods(periodCovered, kpi.frequency, kpi.measureType);
    if (previous === null) return null;
    let approved: DecimalString | null = null;
    for (const cycleId of cyclesThatCanRequest(previous)) {
      const { state } = await this.executor.load(returnStreamId(kpi.kpiId, cycleId), returnDecider);
      if (state.status === 'not_requested' || state.request.periodCovered !== previous || state.approvedBy === null) continue;
      approved = state.approvedValue;
    }
    return approved;
  }
}

/**
 * The cycles whose return can cover a reporting period, oldest first: a quarter its own cycle;
 * a half year the cycle that ends it (Q2, Q4); a financial year the cycle of its annual due
 * quarter, which is Q4 of that year or Q1–Q3 of the next (the due quarter is the KPI's choice
 * and may have changed since).
 */
export function cyclesThatCanRequest(period: ReportingPeriod): PeriodId[] {
  const parsed = parseReportingPeriod(period, 'periodCovered');
  switch (parsed.kind) {
    case 'quarter':
      return [formatPeriodId(parsed.financialYear, parsed.quarter)];
    case 'half':
      return [formatPeriodId(parsed.financialYear, parsed.half === 1 ? 2 : 4)];
    case 'year': {
      const next = formatFinancialYear(parsed.startYear + 1);
      return [formatPeriodId(parsed.financialYear, 4), ...([1, 2, 3] as Quarter[]).map((quarter) => formatPeriodId(next, quarter))];
    }
  }
}
