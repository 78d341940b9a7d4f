import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { returnIdOf, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnReturn } from './execute-on-return';
import { SubmitFigureCommand } from './submit-figure.command';

@CommandHandler(SubmitFigureCommand)
export class SubmitFigureHandler implements ICommandHandler<SubmitFigureCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, figure, caller }: SubmitFigureCommand): Promise<CommandOutcome<ReturnState>> {
    return executeOnReturn(this.dependencies, target, caller, async (onRecord, context) => ({
      type: 'SubmitReturn',
      returnId: returnIdOf(target.kpiId, target.periodId),
      data: { ...figure, kpi: await this.dependencies.returns.figureContext(onRecord) },
      context,
    }));
  }
}
