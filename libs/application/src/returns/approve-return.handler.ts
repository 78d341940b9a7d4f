import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { returnIdOf, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { ApproveReturnCommand } from './approve-return.command';
import { executeOnReturn } from './execute-on-return';

@CommandHandler(ApproveReturnCommand)
export class ApproveReturnHandler implements ICommandHandler<ApproveReturnCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, caller }: ApproveReturnCommand): Promise<CommandOutcome<ReturnState>> {
    return executeOnReturn(this.dependencies, target, caller, (_onRecord, context) => ({
      type: 'ApproveReturn',
      returnId: returnIdOf(target.kpiId, target.periodId),
      data: {},
      context,
    }));
  }
}
