import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { returnIdOf, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnReturn } from './execute-on-return';
import { MarkFigureNotAvailableCommand } from './mark-figure-not-available.command';

@CommandHandler(MarkFigureNotAvailableCommand)
export class MarkFigureNotAvailableHandler implements ICommandHandler<MarkFigureNotAvailableCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, notice, caller }: MarkFigureNotAvailableCommand): Promise<CommandOutcome<ReturnState>> {
    return executeOnReturn(this.dependencies, target, caller, (_onRecord, context) => ({
      type: 'MarkFigureNotAvailable',
      returnId: returnIdOf(target.kpiId, target.periodId),
      data: { reason: notice.reason },
      context,
    }));
  }
}
