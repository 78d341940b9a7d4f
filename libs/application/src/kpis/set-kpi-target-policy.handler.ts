import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnKpi } from './execute-on-kpi';
import { SetKpiTargetPolicyCommand } from './set-kpi-target-policy.command';

@CommandHandler(SetKpiTargetPolicyCommand)
export class SetKpiTargetPolicyHandler implements ICommandHandler<SetKpiTargetPolicyCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, targets, caller }: SetKpiTargetPolicyCommand): Promise<CommandOutcome<KpiState>> {
    return executeOnKpi(this.dependencies, target, caller, (context) => ({ type: 'SetKpiTargetPolicy', kpiId: target.kpiId, data: targets, context }));
  }
}
