import { Command } from '@nestjs/cqrs';
import type { ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';
import type { FigureReport } from './submit-figure.command';

/** The service lead answers a challenge with a figure (amended or the same) and their response. */
export class ResubmitFigureCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly target: ReturnRef,
    readonly figure: FigureReport & { readonly responseToChallenge: string },
    readonly caller: Caller,
  ) {
    super();
  }
}
