import { Command } from '@nestjs/cqrs';
import type { CycleState, ExtendCycleDeadline, PeriodId } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';

/** Which cycle a use case acts on, and the version the caller saw (If-Match). */
export interface CycleRef {
  readonly cycleId: PeriodId;
  readonly ifMatch?: bigint;
}

/** The returns or DMT review deadline moves later; the open returns' due dates follow it. */
export class ExtendCycleDeadlineCommand extends Command<CommandOutcome<CycleState>> {
  constructor(
    readonly target: CycleRef,
    readonly extension: ExtendCycleDeadline['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
