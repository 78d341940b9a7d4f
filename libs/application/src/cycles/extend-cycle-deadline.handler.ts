import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { cycleDecider, cycleStreamId, type CycleState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { commandContextOf } from '../shared/caller';
import { UseCaseDependencies } from '../use-case-dependencies';
import { ExtendCycleDeadlineCommand } from './extend-cycle-deadline.command';

@CommandHandler(ExtendCycleDeadlineCommand)
export class ExtendCycleDeadlineHandler implements ICommandHandler<ExtendCycleDeadlineCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, extension, caller }: ExtendCycleDeadlineCommand): Promise<CommandOutcome<CycleState>> {
    return this.dependencies.executor.execute({
      streamId: cycleStreamId(target.cycleId),
      decider: cycleDecider,
      command: { type: 'ExtendCycleDeadline', cycleId: target.cycleId, data: extension, context: commandContextOf(caller) },
      envelope: caller.envelope,
      ...(target.ifMatch !== undefined ? { ifMatch: target.ifMatch } : {}),
      describeState: (state) => state.status,
    });
  }
}
