import { Command } from '@nestjs/cqrs';
import type { KpiCommand, KpiState } from '@quarterly/domain';
import type { CommandEnvelope, CommandOutcome } from '@quarterly/platform';

/** Any command on one KPI's register entry (define, amend, re-own, set targets, retire). */
export class ExecuteKpiCommand extends Command<CommandOutcome<KpiState>> {
  constructor(
    readonly command: KpiCommand,
    readonly envelope: CommandEnvelope,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}
