import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { cycleDecider, cycleStreamId, returnDecider, returnStreamId, type CycleState, type PeriodId } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { commandContextOf } from '../shared/caller';
import { UseCaseDependencies } from '../use-case-dependencies';
import { CloseCycleCommand } from './close-cycle.command';

@CommandHandler(CloseCycleCommand)
export class CloseCycleHandler implements ICommandHandler<CloseCycleCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  async execute({ target, caller }: CloseCycleCommand): Promise<CommandOutcome<CycleState>> {
    const outstandingReturnIds = await this.outstandingReturnIds(target.cycleId);
    return this.dependencies.executor.execute({
      streamId: cycleStreamId(target.cycleId),
      decider: cycleDecider,
      command: { type: 'CloseCycle', cycleId: target.cycleId, data: { outstandingReturnIds }, context: commandContextOf(caller) },
      envelope: caller.envelope,
      ...(target.ifMatch !== undefined ? { ifMatch: target.ifMatch } : {}),
      describeState: (state) => state.status,
    });
  }

  /**
   * Which of the cycle's returns are not approved, read from the return streams themselves rather
   * than a read model: closing a cycle records this list, so it must not lag.
   */
  private async outstandingReturnIds(cycleId: PeriodId): Promise<string[]> {
    const { executor } = this.dependencies;
    const { state } = await executor.load(cycleStreamId(cycleId), cycleDecider);
    if (state.status !== 'open' && state.status !== 'closed') return [];
    const outstanding: string[] = [];
    for (const request of state.cycle.requestedReturns) {
      const { state: returnState } = await executor.load(returnStreamId(request.kpiId, cycleId), returnDecider);
      if (returnState.status !== 'approved') outstanding.push(request.returnId);
    }
    return outstanding;
  }
}
