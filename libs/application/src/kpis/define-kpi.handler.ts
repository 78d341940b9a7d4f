import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnKpi } from './execute-on-kpi';
import { DefineKpiCommand } from './define-kpi.command';

@CommandHandler(DefineKpiCommand)
export class DefineKpiHandler implements ICommandHandler<DefineKpiCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, definition, caller }: DefineKpiCommand): Promise<CommandOutcome<KpiState>> {
    return executeOnKpi(this.dependencies, target, caller, (context) => ({ type: 'DefineKpi', kpiId: target.kpiId, data: definition, context }));
  }
}
