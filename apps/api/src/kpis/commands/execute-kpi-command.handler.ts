import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { kpiDecider, kpiStreamId, type KpiState } from '@quarterly/domain';
import { EventSourcedCommandExecutor, RegisterChecks, type CommandOutcome } from '@quarterly/platform';
import { ExecuteKpiCommand } from './execute-kpi-command.command';

@CommandHandler(ExecuteKpiCommand)
export class ExecuteKpiCommandHandler implements ICommandHandler<ExecuteKpiCommand> {
  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly registerChecks: RegisterChecks,
  ) {}

  async execute({ command, envelope, ifMatch }: ExecuteKpiCommand): Promise<CommandOutcome<KpiState>> {
    await this.registerChecks.check(command);
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
