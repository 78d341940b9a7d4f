import { Command } from '@nestjs/cqrs';
import type { ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

/** The DMT challenges the figure with a reason; it goes back to the service lead. */
export class ChallengeReturnCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly target: ReturnRef,
    readonly challenge: { readonly reason: string },
    readonly caller: Caller,
  ) {
    super();
  }
}
