import { Command } from '@nestjs/cqrs';
import type { IsoDate, PeriodId, RequestedReturn, ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';

/**
 * A return the cycle listed is requested of its KPI's owner, due on the cycle's returns deadline,
 * with a snapshot of the KPI as it stands (kept with the return for ever). Issued by the cycle
 * process manager; a return already requested is left as it is.
 */
export class RequestReturnCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly cycleId: PeriodId,
    readonly request: RequestedReturn,
    readonly dueDate: IsoDate,
    readonly caller: Caller,
  ) {
    super();
  }
}
