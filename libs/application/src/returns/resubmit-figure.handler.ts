import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { returnIdOf, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnReturn } from './execute-on-return';
import { ResubmitFigureCommand } from './resubmit-figure.command';

@CommandHandler(ResubmitFigureCommand)
export class ResubmitFigureHandler implements ICommandHandler<ResubmitFigureCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, figure, caller }: ResubmitFigureCommand): Promise<CommandOutcome<ReturnState>> {
    return executeOnReturn(this.dependencies, target, caller, async (onRecord, context) => ({
      type: 'ResubmitReturn',
      returnId: returnIdOf(target.kpiId, target.periodId),
      data: { ...figure, kpi: await this.dependencies.returns.figureContext(onRecord) },
      context,
    }));
  }
}
