import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { returnIdOf, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnReturn } from './execute-on-return';
import { ChallengeReturnCommand } from './challenge-return.command';

@CommandHandler(ChallengeReturnCommand)
export class ChallengeReturnHandler implements ICommandHandler<ChallengeReturnCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, challenge, caller }: ChallengeReturnCommand): Promise<CommandOutcome<ReturnState>> {
    return executeOnReturn(this.dependencies, target, caller, (_onRecord, context) => ({
      type: 'ChallengeReturn',
      returnId: returnIdOf(target.kpiId, target.periodId),
      data: { reason: challenge.reason },
      context,
    }));
  }
}
