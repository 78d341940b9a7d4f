import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { returnIdOf, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnReturn } from './execute-on-return';
import { ChangeReturnDueDateCommand } from './change-return-due-date.command';

@CommandHandler(ChangeReturnDueDateCommand)
export class ChangeReturnDueDateHandler implements ICommandHandler<ChangeReturnDueDateCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, change, caller }: ChangeReturnDueDateCommand): Promise<CommandOutcome<ReturnState>> {
    return executeOnReturn(this.dependencies, target, caller, (_onRecord, context) => ({
      type: 'ChangeReturnDueDate',
      returnId: returnIdOf(target.kpiId, target.periodId),
      data: { to: change.to, reason: change.reason },
      context,
    }));
  }
}
