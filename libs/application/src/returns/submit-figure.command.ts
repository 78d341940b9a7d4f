import { Command } from '@nestjs/cqrs';
import type { FigureInput, ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

/** A figure as its service reports it; the use case adds what rating it needs from the KPI. */
export type FigureReport = Omit<FigureInput, 'kpi'>;

/** The service lead reports the figure, with commentary (and, off target, the reason and the route to green). */
export class SubmitFigureCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly target: ReturnRef,
    readonly figure: FigureReport,
    readonly caller: Caller,
  ) {
    super();
  }
}
