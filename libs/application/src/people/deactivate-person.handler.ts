import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PersonState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnPerson } from './execute-on-person';
import { DeactivatePersonCommand } from './deactivate-person.command';

@CommandHandler(DeactivatePersonCommand)
export class DeactivatePersonHandler implements ICommandHandler<DeactivatePersonCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, deactivation, caller }: DeactivatePersonCommand): Promise<CommandOutcome<PersonState>> {
    return executeOnPerson(this.dependencies, target, caller, (context) => ({ type: 'DeactivatePerson', personId: target.personId, data: deactivation, context }));
  }
}
