import { NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  kpiDecider,
  kpiStreamId,
  ratingFinancialYearOf,
  returnDecider,
  returnStreamId,
  targetPolicyFor,
  type ReturnState,
  type SubmissionKpiContext,
} from '@quarterly/domain';
import { EventSourcedCommandExecutor, type CommandOutcome } from '@quarterly/platform';
import { assertMayActOnReturn } from '../return-access.policy';
import { PreviousFigureFinder } from '../previous-figure.finder';
import { ExecuteReturnCommand } from './execute-return-command.command';

@CommandHandler(ExecuteReturnCommand)
export class ExecuteReturnCommandHandler implements ICommandHandler<ExecuteReturnCommand> {
  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly previousFigures: PreviousFigureFinder,
  ) {}

  async execute({ kpiId, periodId, principal, envelope, build, ifMatch }: ExecuteReturnCommand): Promise<CommandOutcome<ReturnState>> {
    const streamId = returnStreamId(kpiId, periodId);
    const [{ state: kpiState }, { state: current, events }] = await Promise.all([
      this.executor.load(kpiStreamId(kpiId), kpiDecider),
      this.executor.load(streamId, returnDecider),
    ]);
    if (kpiState.status === 'not_defined') throw new NotFoundException(`KPI ${kpiId} is not defined`);
    if (current.status === 'not_requested') throw new NotFoundException(`no return of ${kpiId} was requested for ${periodId}`);
    assertMayActOnReturn(principal, kpiState.kpi);

    const financialYear = ratingFinancialYearOf(current.request);
    const policy = targetPolicyFor(kpiState, financialYear);
    const kpi: SubmissionKpiContext = {
      policy,
      underQualityAssuranceUntil: kpiState.kpi.underQualityAssuranceUntil,
      // Only a direction-only target compares with the previous figure when rating.
      ...(policy?.kind === 'direction'
        ? { previousValue: await this.previousFigures.previousApprovedValue(kpiState.kpi, current.request.periodCovered) }
        : {}),
    };
    return this.executor.execute({
      streamId,
      decider: returnDecider,
      command: build(kpi),
      envelope,
      ifMatch,
      describeState: (state) => state.status,
      // Decided on the version just read and checked: a change since then is a conflict (409).
      loaded: events,
    });
  }
}
