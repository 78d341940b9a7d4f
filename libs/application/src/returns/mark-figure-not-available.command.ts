import { Command } from '@nestjs/cqrs';
import type { ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

/** The service says no figure is available this quarter, and why. */
export class MarkFigureNotAvailableCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly target: ReturnRef,
    readonly notice: { readonly reason: string },
    readonly caller: Caller,
  ) {
    super();
  }
}
