import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { KpiNotFoundError, kpiDecider, kpiStreamId, returnDecider, returnKpiSnapshotOf, returnStreamId, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { commandContextOf, INTERNAL_RETRIES_ON_CONFLICT } from '../shared/caller';
import { UseCaseDependencies } from '../use-case-dependencies';
import { RequestReturnCommand } from './request-return.command';

@CommandHandler(RequestReturnCommand)
export class RequestReturnHandler implements ICommandHandler<RequestReturnCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  async execute({ cycleId, request, dueDate, caller }: RequestReturnCommand): Promise<CommandOutcome<ReturnState>> {
    const { executor } = this.dependencies;
    // The cycle listed the KPI from the register, so its stream exists.
    const { state: kpi } = await executor.load(kpiStreamId(request.kpiId), kpiDecider);
    if (kpi.status === 'not_defined') throw new KpiNotFoundError(request.kpiId);
    return executor.execute({
      streamId: returnStreamId(request.kpiId, cycleId),
      decider: returnDecider,
      command: {
        type: 'RequestReturn',
        returnId: request.returnId,
        data: { cycleId, request, dueDate, kpi: returnKpiSnapshotOf(kpi.kpi) },
        context: commandContextOf(caller),
      },
      envelope: caller.envelope,
      describeState: (state) => state.status,
      ...(caller.internal ? { retriesOnConflict: INTERNAL_RETRIES_ON_CONFLICT } : {}),
    });
  }
}
