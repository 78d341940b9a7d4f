import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { cycleDecider, cycleStreamId, kpiDecider, kpiSnapshotOf, kpiStreamId, parsePeriodId, type CycleState, type KpiSnapshot } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { mapBoundedParallel } from '../shared/bounded-parallel';
import { commandContextOf } from '../shared/caller';
import { UseCaseDependencies } from '../use-case-dependencies';
import { defaultCycleTimetable } from './default-cycle-timetable';
import { OpenCycleCommand } from './open-cycle.command';
import { checkedCycleReminderPolicy } from './reminder-policy';

/** KPI streams the handler reads at once. */
const KPI_READS_IN_PARALLEL = 16;

/**
 * Reads every KPI in the register from its own stream (the register port only lists the ids), so
 * the cycle asks for returns on the register as it stands, then decides and appends.
 */
@CommandHandler(OpenCycleCommand)
export class OpenCycleHandler implements ICommandHandler<OpenCycleCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  async execute({ opening, caller }: OpenCycleCommand): Promise<CommandOutcome<CycleState>> {
    const { executor, kpiRegister, calendar } = this.dependencies;
    parsePeriodId(opening.cycleId, 'cycleId');
    const cycleId = opening.cycleId;
    const policy = opening.reminderPolicy === undefined ? undefined : checkedCycleReminderPolicy(opening.reminderPolicy);
    const timetable = opening.timetable ?? defaultCycleTimetable(cycleId, calendar);
    // A register of thousands of KPIs is read a few streams at a time, in the register's order.
    const snapshots = await mapBoundedParallel(await kpiRegister.allKpiIds(), KPI_READS_IN_PARALLEL, async (kpiId) =>
      kpiSnapshotOf((await executor.load(kpiStreamId(kpiId), kpiDecider)).state),
    );
    const liveKpis = snapshots.filter((snapshot): snapshot is KpiSnapshot => snapshot !== null);
    return executor.execute({
      streamId: cycleStreamId(cycleId),
      decider: cycleDecider,
      command: {
        type: 'OpenCycle',
        cycleId,
        data: { timetable: { ...timetable }, liveKpis, ...(policy ? { policy } : {}) },
        context: commandContextOf(caller),
      },
      envelope: caller.envelope,
      describeState: (state) => state.status,
    });
  }
}
