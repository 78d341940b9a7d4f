import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { returnIdOf, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnReturn } from './execute-on-return';
import { RestateFigureCommand } from './restate-figure.command';

@CommandHandler(RestateFigureCommand)
export class RestateFigureHandler implements ICommandHandler<RestateFigureCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, restatement, caller }: RestateFigureCommand): Promise<CommandOutcome<ReturnState>> {
    return executeOnReturn(this.dependencies, target, caller, async (onRecord, context) => ({
      type: 'RestateReturn',
      returnId: returnIdOf(target.kpiId, target.periodId),
      data: { ...restatement, kpi: await this.dependencies.returns.figureContext(onRecord) },
      context,
    }));
  }
}
