import { Command } from '@nestjs/cqrs';
import type { CycleCommand, CycleState } from '@quarterly/domain';
import type { CommandEnvelope, CommandOutcome } from '@quarterly/platform';

/** Extends a deadline or closes a cycle (opening needs the register: see OpenCycleCommand). */
export class ExecuteCycleCommand extends Command<CommandOutcome<CycleState>> {
  constructor(
    readonly command: CycleCommand,
    readonly envelope: CommandEnvelope,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}
