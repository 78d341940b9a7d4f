import { Injectable } from '@nestjs/common';
import { cycleDecider, cycleStreamId, returnDecider, returnStreamId, type PeriodId } from '@quarterly/domain';
import { EventSourcedCommandExecutor } from '@quarterly/platform';

/**
 * Which of a cycle's returns are still outstanding, read from the return streams themselves
 * rather than a read model: closing a cycle records this list, so it must not lag.
 */
@Injectable()
export class CycleStatusReader {
  constructor(private readonly executor: EventSourcedCommandExecutor) {}

  async outstandingReturnIds(cycleId: PeriodId): Promise<string[]> {
    const { state } = await this.executor.load(cycleStreamId(cycleId), cycleDecider);
    if (state.status === 'not_opened') return [];
    const outstanding: string[] = [];
    for (const request of state.cycle.requestedReturns) {
      const { state: returnState } = await this.executor.load(returnStreamId(request.kpiId, cycleId), returnDecider);
      if (returnState.status !== 'approved') outstanding.push(request.returnId);
    }
    return outstanding;
  }
}
