import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PersonState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnPerson } from './execute-on-person';
import { ChangePersonDetailsCommand } from './change-person-details.command';

@CommandHandler(ChangePersonDetailsCommand)
export class ChangePersonDetailsHandler implements ICommandHandler<ChangePersonDetailsCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, details, caller }: ChangePersonDetailsCommand): Promise<CommandOutcome<PersonState>> {
    return executeOnPerson(this.dependencies, target, caller, (context) => ({ type: 'ChangePersonDetails', personId: target.personId, data: details, context }));
  }
}
