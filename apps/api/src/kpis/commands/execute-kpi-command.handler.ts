import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { kpiDecider, kpiStreamId, type KpiState } from '@quarterly/domain';
import { EventSourcedCommandExecutor, type CommandOutcome } from '@quarterly/platform';
import { ExecuteKpiCommand } from './execute-kpi-command.command';

@CommandHandler(ExecuteKpiCommand)
export class ExecuteKpiCommandHandler implements ICommandHandler<ExecuteKpiCommand> {
  constructor(private readonly executor: EventSourcedCommandExecutor) {}

  execute({ command, envelope, ifMatch }: ExecuteKpiCommand): Promise<CommandOutcome<KpiState>> {
    return this.executor.execute({
      streamId: kpiStreamId(command.kpiId),
      decider: kpiDecider,
      command,
      envelope,
      ifMatch,
      describeState: (state) => state.status,
    });
  }
}
