import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { personDecider, personStreamId, type PersonState } from '@quarterly/domain';
import { EventSourcedCommandExecutor, RegisterChecks, type CommandOutcome } from '@quarterly/platform';
import { ExecutePersonCommand } from './execute-person-command.command';

@CommandHandler(ExecutePersonCommand)
export class ExecutePersonCommandHandler implements ICommandHandler<ExecutePersonCommand> {
  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly registerChecks: RegisterChecks,
  ) {}

  async execute({ command, envelope, ifMatch }: ExecutePersonCommand): Promise<CommandOutcome<PersonState>> {
    await this.registerChecks.check(command);
    return this.executor.execute({
      streamId: personStreamId(command.personId),
      decider: personDecider,
      command,
      envelope,
      ifMatch,
      describeState: (state) => state.status,
    });
  }
}
