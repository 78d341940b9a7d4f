import { Command } from '@nestjs/cqrs';
import type { SetKpiTargetPolicy, KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { KpiRef } from './execute-on-kpi';

/** A KPI's target policy is set for a financial year. */
export class SetKpiTargetPolicyCommand extends Command<CommandOutcome<KpiState>> {
  constructor(
    readonly target: KpiRef,
    readonly targets: SetKpiTargetPolicy['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
