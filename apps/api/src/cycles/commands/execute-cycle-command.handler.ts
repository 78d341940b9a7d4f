import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { cycleDecider, cycleStreamId, type CycleState } from '@quarterly/domain';
import { EventSourcedCommandExecutor, type CommandOutcome } from '@quarterly/platform';
import { ExecuteCycleCommand } from './execute-cycle-command.command';

@CommandHandler(ExecuteCycleCommand)
export class ExecuteCycleCommandHandler implements ICommandHandler<ExecuteCycleCommand> {
  constructor(private readonly executor: EventSourcedCommandExecutor) {}

  execute({ command, envelope, ifMatch }: ExecuteCycleCommand): Promise<CommandOutcome<CycleState>> {
    return this.executor.execute({
      streamId: cycleStreamId(command.cycleId),
      decider: cycleDecider,
      command,
      envelope,
      ifMatch,
      describeState: (state) => state.status,
    });
  }
}
