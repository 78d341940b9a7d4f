import { Command } from '@nestjs/cqrs';
import type { RetireKpi, KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { KpiRef } from './execute-on-kpi';

/** A KPI is retired from a quarter onwards. */
export class RetireKpiCommand extends Command<CommandOutcome<KpiState>> {
  constructor(
    readonly target: KpiRef,
    readonly retirement: RetireKpi['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
