import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { cycleDecider, cycleStreamId, kpiDecider, kpiSnapshotOf, kpiStreamId, type CycleState, type KpiSnapshot } from '@quarterly/domain';
import { EventSourcedCommandExecutor, type CommandOutcome } from '@quarterly/platform';
import { KpiRegisterReader } from '../../kpis/kpi-register.reader';
import { OpenCycleCommand } from './open-cycle.command';

/**
 * Reads every KPI in the register from its own stream (the read model only lists the ids), so
 * the cycle asks for returns on the register as it stands, then decides and appends. The
 * returns themselves are requested by the cycle process manager from the CycleOpened event.
 */
@CommandHandler(OpenCycleCommand)
export class OpenCycleHandler implements ICommandHandler<OpenCycleCommand> {
  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly register: KpiRegisterReader,
  ) {}

  async execute({ cycleId, timetable, context, envelope, reminderPolicy }: OpenCycleCommand): Promise<CommandOutcome<CycleState>> {
    const liveKpis: KpiSnapshot[] = [];
    for (const kpiId of await this.register.allKpiIds()) {
      const { state } = await this.executor.load(kpiStreamId(kpiId), kpiDecider);
      const snapshot = kpiSnapshotOf(state);
      if (snapshot) liveKpis.push(snapshot);
    }
    return this.executor.execute({
      streamId: cycleStreamId(cycleId),
      decider: cycleDecider,
      command: { type: 'OpenCycle', cycleId, data: { timetable, liveKpis, ...(reminderPolicy ? { policy: reminderPolicy } : {}) }, context },
      envelope,
      describeState: (state) => state.status,
    });
  }
}
