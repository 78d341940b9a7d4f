import { Command } from '@nestjs/cqrs';
import type { CycleState, CycleTimetable } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';

export interface CycleOpening {
  /** The quarter, e.g. `2024/25-Q2`. */
  readonly cycleId: string;
  /** Absent for the default (see `defaultCycleTimetable`). */
  readonly timetable?: CycleTimetable;
  /** The cycle's reminder policy fields as given (checked by the use case); absent for the default. */
  readonly reminderPolicy?: unknown;
}

/**
 * The performance team opens a quarter's cycle: a return is requested (by the cycle process
 * manager, from the CycleOpened event) for every KPI of the register due that quarter.
 */
export class OpenCycleCommand extends Command<CommandOutcome<CycleState>> {
  constructor(
    readonly opening: CycleOpening,
    readonly caller: Caller,
  ) {
    super();
  }
}
