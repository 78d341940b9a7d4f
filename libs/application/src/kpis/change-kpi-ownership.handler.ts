import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnKpi } from './execute-on-kpi';
import { ChangeKpiOwnershipCommand } from './change-kpi-ownership.command';

@CommandHandler(ChangeKpiOwnershipCommand)
export class ChangeKpiOwnershipHandler implements ICommandHandler<ChangeKpiOwnershipCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, ownership, caller }: ChangeKpiOwnershipCommand): Promise<CommandOutcome<KpiState>> {
    return executeOnKpi(this.dependencies, target, caller, (context) => ({ type: 'ChangeKpiOwnership', kpiId: target.kpiId, data: ownership, context }));
  }
}
