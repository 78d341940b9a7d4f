import { Command } from '@nestjs/cqrs';
import type { CommandContext, CycleReminderPolicy, CycleState, CycleTimetable, PeriodId } from '@quarterly/domain';
import type { CommandEnvelope, CommandOutcome } from '@quarterly/platform';

/** Opens a quarter's cycle; the handler reads the live register to decide which returns are due. */
export class OpenCycleCommand extends Command<CommandOutcome<CycleState>> {
  constructor(
    readonly cycleId: PeriodId,
    readonly timetable: CycleTimetable,
    readonly context: CommandContext,
    readonly envelope: CommandEnvelope,
    /** The cycle's reminder policy fields, checked; absent for the default. */
    readonly reminderPolicy?: CycleReminderPolicy,
  ) {
    super();
  }
}
