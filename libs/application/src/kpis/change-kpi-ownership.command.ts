import { Command } from '@nestjs/cqrs';
import type { ChangeKpiOwnership, KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { KpiRef } from './execute-on-kpi';

/** A KPI's accountable owner and key contacts change. */
export class ChangeKpiOwnershipCommand extends Command<CommandOutcome<KpiState>> {
  constructor(
    readonly target: KpiRef,
    readonly ownership: ChangeKpiOwnership['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
