import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PersonState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnPerson } from './execute-on-person';
import { RegisterPersonCommand } from './register-person.command';

@CommandHandler(RegisterPersonCommand)
export class RegisterPersonHandler implements ICommandHandler<RegisterPersonCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, registration, caller }: RegisterPersonCommand): Promise<CommandOutcome<PersonState>> {
    return executeOnPerson(this.dependencies, target, caller, (context) => ({ type: 'RegisterPerson', personId: target.personId, data: registration, context }));
  }
}
