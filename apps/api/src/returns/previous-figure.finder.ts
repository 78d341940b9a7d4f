import { Injectable } from '@nestjs/common';
import { comparisonPeriods, type KpiRecord, type ReportingPeriod } from '@quarterly/domain';
import { QuarterlyEngine } from '@quarterly/platform';
import { getValueHistory } from '@quarterly/read-models';

/**
 * The previous approved figure of the same measure, which a direction-only target is rated
 * against ("increase on last time"). A six-monthly KPI skips the quarters it is not due; a
 * year-to-date figure at Q1 has no previous one (the count restarts in April).
 */
@Injectable()
export class PreviousFigureFinder {
  constructor(private readonly engine: QuarterlyEngine) {}

  async previousApprovedValue(kpi: KpiRecord, periodCovered: ReportingPeriod): Promise<string | null> {
    const { previous } = comparisonPeriods(periodCovered, kpi.frequency, kpi.measureType);
    if (previous === null) return null;
    const history = await getValueHistory(this.engine.readModels.db, { kpiId: kpi.kpiId, periodCovered: previous });
    const approvals = history.filter((entry) => entry.kind === 'approved');
    return approvals.length === 0 ? null : approvals[approvals.length - 1]!.value;
  }
}
