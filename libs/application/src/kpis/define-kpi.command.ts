import { Command } from '@nestjs/cqrs';
import type { DefineKpi, KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { KpiRef } from './execute-on-kpi';

/** The performance team adds a KPI to the register. */
export class DefineKpiCommand extends Command<CommandOutcome<KpiState>> {
  constructor(
    readonly target: KpiRef,
    readonly definition: DefineKpi['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
