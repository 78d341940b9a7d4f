import { Command } from '@nestjs/cqrs';
import type { AmendKpiDefinition, KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { KpiRef } from './execute-on-kpi';

/** A KPI definition is amended; a changed definition can put its figures under quality assurance. */
export class AmendKpiDefinitionCommand extends Command<CommandOutcome<KpiState>> {
  constructor(
    readonly target: KpiRef,
    readonly amendment: AmendKpiDefinition['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
