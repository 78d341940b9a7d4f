import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnKpi } from './execute-on-kpi';
import { AmendKpiDefinitionCommand } from './amend-kpi-definition.command';

@CommandHandler(AmendKpiDefinitionCommand)
export class AmendKpiDefinitionHandler implements ICommandHandler<AmendKpiDefinitionCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, amendment, caller }: AmendKpiDefinitionCommand): Promise<CommandOutcome<KpiState>> {
    return executeOnKpi(this.dependencies, target, caller, (context) => ({ type: 'AmendKpiDefinition', kpiId: target.kpiId, data: amendment, context }));
  }
}
