import { NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  escalationAudience,
  kpiDecider,
  kpiStreamId,
  ratingFinancialYearOf,
  returnDecider,
  returnStreamId,
  targetPolicyFor,
  type ReturnCommand,
  type ReturnState,
  type SubmissionKpiContext,
} from '@quarterly/domain';
import { EventSourcedCommandExecutor, QuarterlyEngine, type CommandOutcome } from '@quarterly/platform';
import { listPeople } from '@quarterly/read-models';
import { assertMayActOnReturn } from '../return-access.policy';
import { PreviousFigureFinder } from '../previous-figure.finder';
import { ExecuteReturnCommand } from './execute-return-command.command';

@CommandHandler(ExecuteReturnCommand)
export class ExecuteReturnCommandHandler implements ICommandHandler<ExecuteReturnCommand> {
  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly previousFigures: PreviousFigureFinder,
    private readonly engine: QuarterlyEngine,
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
      command: await this.withAudience(build(kpi), kpiState.kpi),
      envelope,
      ifMatch,
      describeState: (state) => state.status,
      // Decided on the version just read and checked: a change since then is a conflict (409).
      loaded: events,
    });
  }

  /** An escalation names who is told of it (the worker mails exactly them): worked out here from the people directory. */
  private async withAudience(command: ReturnCommand, kpi: Parameters<typeof escalationAudience>[1]): Promise<ReturnCommand> {
    if (command.type !== 'EscalateReturn') return command;
    // Someone registered by this instance a moment ago is in the directory (best effort: a
    // directory that lags is read as it stands).
    const written = this.engine.executor.lastAppendedPosition;
    if (written !== undefined) await this.engine.waitForProjections(written, 3_000).catch(() => undefined);
    const people = await listPeople(this.engine.readModels.db);
    const directory = new Map(people.map((p) => [p.personId, { personId: p.personId, roles: p.roles, active: p.active, ...(p.directorate ? { directorate: p.directorate } : {}) }]));
    return { ...command, data: { ...command.data, notified: escalationAudience(directory, kpi, command.data.level) } };
  }
}
