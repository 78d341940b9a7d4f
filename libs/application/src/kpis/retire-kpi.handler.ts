import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnKpi } from './execute-on-kpi';
import { RetireKpiCommand } from './retire-kpi.command';

@CommandHandler(RetireKpiCommand)
export class RetireKpiHandler implements ICommandHandler<RetireKpiCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, retirement, caller }: RetireKpiCommand): Promise<CommandOutcome<KpiState>> {
    return executeOnKpi(this.dependencies, target, caller, (context) => ({ type: 'RetireKpi', kpiId: target.kpiId, data: retirement, context }));
  }
}
