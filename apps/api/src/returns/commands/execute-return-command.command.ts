import { Command } from '@nestjs/cqrs';
import type { ReturnCommand, ReturnState, SubmissionKpiContext } from '@quarterly/domain';
import type { CommandEnvelope, CommandOutcome, Principal } from '@quarterly/platform';

/** What the handler learnt about the KPI, for commands that report a figure and must rate it. */
export type ReturnCommandBuilder = (kpi: SubmissionKpiContext) => ReturnCommand;

/**
 * A user's command on one return. The command is built once the handler has read the KPI, since
 * a figure is rated with the target policy in force for the return's financial year.
 */
export class ExecuteReturnCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly kpiId: string,
    readonly periodId: string,
    readonly principal: Principal,
    readonly envelope: CommandEnvelope,
    readonly build: ReturnCommandBuilder,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}
