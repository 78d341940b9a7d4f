import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { escalationAudience, returnIdOf, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { UseCaseDependencies } from '../use-case-dependencies';
import { EscalateReturnCommand } from './escalate-return.command';
import { executeOnReturn } from './execute-on-return';

/**
 * Records the escalation with who is told of it (`notified`, worked out from the people
 * directory and the KPI's current owner, key contacts and directorate): the worker mails exactly
 * them, however much later it runs.
 */
@CommandHandler(EscalateReturnCommand)
export class EscalateReturnHandler implements ICommandHandler<EscalateReturnCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ target, escalation, caller }: EscalateReturnCommand): Promise<CommandOutcome<ReturnState>> {
    return executeOnReturn(this.dependencies, target, caller, async ({ kpi }, context) => ({
      type: 'EscalateReturn',
      returnId: returnIdOf(target.kpiId, target.periodId),
      data: {
        level: escalation.level,
        reason: escalation.reason,
        ...(escalation.rule !== undefined ? { rule: escalation.rule } : {}),
        notified: escalationAudience(await this.dependencies.directory.everyone([kpi.owner, ...kpi.keyContacts]), kpi, escalation.level),
      },
      context,
    }));
  }
}
