import { Injectable } from '@nestjs/common';
import { QuarterlyEngine } from '@quarterly/platform';
import { listKpis } from '@quarterly/read-models';

/** The ids in the KPI register, for commands that act on the whole register (opening a cycle). */
@Injectable()
export class KpiRegisterReader {
  constructor(private readonly engine: QuarterlyEngine) {}

  /**
   * Every KPI id, retired ones included (the cycle decider leaves out those retired by then).
   * Waits for the register to include this instance's own writes first.
   */
  async allKpiIds(): Promise<string[]> {
    const position = this.engine.executor.lastAppendedPosition;
    if (position !== undefined) await this.engine.waitForProjections(position);
    return (await listKpis(this.engine.readModels.db, { includeRetired: true })).map((kpi) => kpi.kpiId);
  }
}
