import { Command } from '@nestjs/cqrs';
import type { IsoDate, ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

/** The performance team moves one return's due date later, with the reason. */
export class ChangeReturnDueDateCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly target: ReturnRef,
    readonly change: { readonly to: IsoDate; readonly reason: string },
    readonly caller: Caller,
  ) {
    super();
  }
}
