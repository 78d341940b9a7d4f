import { Command } from '@nestjs/cqrs';
import type { CycleState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { CycleRef } from './extend-cycle-deadline.command';

/** The performance team closes the cycle; the returns not yet approved are recorded as outstanding. */
export class CloseCycleCommand extends Command<CommandOutcome<CycleState>> {
  constructor(
    readonly target: CycleRef,
    readonly caller: Caller,
  ) {
    super();
  }
}
