import { Command } from '@nestjs/cqrs';
import type { ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

/** The DMT approves the figure they reviewed (never the person who reported it). */
export class ApproveReturnCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly target: ReturnRef,
    readonly caller: Caller,
  ) {
    super();
  }
}
