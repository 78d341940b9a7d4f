/**
 * Plays the demo story's steps as real commands: each one read, folded, decided by the domain's
 * deciders and appended by the command executor, exactly as the API would. Nothing here writes
 * an event by hand.
 */
import {
  comparePeriodIds,
  cycleDecider,
  cycleStreamId,
  isOffTarget,
  kpiDecider,
  kpiSnapshotOf,
  kpiStreamId,
  personDecider,
  personStreamId,
  rate,
  ratingFinancialYearOf,
  returnDecider,
  returnIdOf,
  returnStreamId,
  targetPolicyFor,
  type CommandContext,
  type CycleOpened,
  type DecimalString,
  type Decider,
  type DomainEvent,
  type KpiSnapshot,
  type PeriodId,
  type ReturnCommand,
  type ReturnRecord,
  type Role,
  type SubmissionKpiContext,
} from '@quarterly/domain';
import type { EventStore, RecordedEvent } from '@quarterly/event-store';
import {
  deterministicUuid,
  type AdjustableClock,
  type CommandEnvelope,
  type CycleReturnsProcessManager,
  type EventSourcedCommandExecutor,
} from '@quarterly/platform';
import { commentaryFor, offTargetOf } from './demo-commentary';
import { DemoDataError } from './demo-errors';
import { DEMO_KPIS, demoKpi } from './demo-kpis';
import { demoEmailOf, demoPerson } from './demo-people';
import type { StoryAction, StoryStep } from './demo-steps';

type Action<K extends StoryAction['kind']> = Extract<StoryAction, { kind: K }>;

export class DemoStepRunner {
  private sequence = 0;
  /** Approved figures per KPI and cycle, for "previous figure" in ratings and commentary. */
  private readonly approved = new Map<string, Map<PeriodId, DecimalString | null>>();

  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly store: EventStore,
    private readonly clock: AdjustableClock,
    private readonly cycleReturns: CycleReturnsProcessManager,
  ) {}

  async run(step: StoryStep): Promise<void> {
    this.clock.set(step.at);
    const { action, actor } = step;
    const context = this.contextOf(actor);
    switch (action.kind) {
      case 'register-person': {
        const person = demoPerson(action.personId);
        const data = { name: person.name, email: demoEmailOf(person), roles: person.roles, ...(person.directorate ? { directorate: person.directorate } : {}) };
        return this.execute(personStreamId(person.personId), personDecider, { type: 'RegisterPerson', personId: person.personId, data, context });
      }
      case 'define-kpi': {
        const kpi = demoKpi(action.kpiId);
        const data = { ...kpi.description, owner: kpi.owner, keyContacts: kpi.keyContacts };
        return this.execute(kpiStreamId(kpi.kpiId), kpiDecider, { type: 'DefineKpi', kpiId: kpi.kpiId, data, context });
      }
      case 'set-policy': {
        const data = { financialYear: action.financialYear, policy: action.policy };
        return this.execute(kpiStreamId(action.kpiId), kpiDecider, { type: 'SetKpiTargetPolicy', kpiId: action.kpiId, data, context });
      }
      case 'amend-kpi': {
        const data = { changes: action.changes, reason: action.reason, underQualityAssuranceUntil: action.underQualityAssuranceUntil };
        return this.execute(kpiStreamId(action.kpiId), kpiDecider, { type: 'AmendKpiDefinition', kpiId: action.kpiId, data, context });
      }
      case 'retire-kpi': {
        const data = { reason: action.reason, effectiveFrom: action.effectiveFrom };
        return this.execute(kpiStreamId(action.kpiId), kpiDecider, { type: 'RetireKpi', kpiId: action.kpiId, data, context });
      }
      case 'open-cycle':
        return this.openCycle(action, context);
      case 'close-cycle':
        return this.closeCycle(action, context);
      case 'submit':
      case 'resubmit':
      case 'restate':
        return this.reportFigure(action, context);
      case 'mark-not-available':
        await this.onReturn(action, (returnId) => ({ type: 'MarkFigureNotAvailable', returnId, data: { reason: action.reason }, context }));
        return;
      case 'challenge':
        await this.onReturn(action, (returnId) => ({ type: 'ChallengeReturn', returnId, data: { reason: action.reason }, context }));
        return;
      case 'approve': {
        const state = await this.onReturn(action, (returnId) => ({ type: 'ApproveReturn', returnId, data: {}, context }));
        const byCycle = this.approved.get(action.kpiId) ?? new Map<PeriodId, DecimalString | null>();
        this.approved.set(action.kpiId, byCycle.set(action.cycleId, state.approvedValue));
        return;
      }
      case 'escalate': {
        const data = { level: action.level, reason: action.reason, ...(action.automatic ? { rule: 'overdue' as const } : {}) };
        await this.onReturn(action, (returnId) => ({ type: 'EscalateReturn', returnId, data, context }));
        return;
      }
      case 'change-due-date':
        await this.onReturn(action, (returnId) => ({ type: 'ChangeReturnDueDate', returnId, data: { to: action.to, reason: action.reason }, context }));
        return;
    }
  }

  /** Opens the cycle on the register as it stands, then requests its returns at once. */
  private async openCycle(action: Action<'open-cycle'>, context: CommandContext): Promise<void> {
    const liveKpis: KpiSnapshot[] = [];
    for (const kpi of DEMO_KPIS) {
      const snapshot = kpiSnapshotOf((await this.executor.load(kpiStreamId(kpi.kpiId), kpiDecider)).state);
      if (snapshot) liveKpis.push(snapshot);
    }
    const streamId = cycleStreamId(action.cycleId);
    await this.execute(streamId, cycleDecider, { type: 'OpenCycle', cycleId: action.cycleId, data: { timetable: action.timetable, liveKpis }, context });
    // The live process manager would request the returns from its subscription; doing it here
    // keeps the story in order, and its replay later is a no-op (same idempotency keys).
    const opened = (await this.store.readStream(streamId)).find((event): event is RecordedEvent<'CycleOpened', CycleOpened['data']> => event.type === 'CycleOpened');
    if (!opened) throw new DemoDataError(`${streamId} has no CycleOpened event`);
    await this.cycleReturns.handle(opened);
  }

  private async closeCycle(action: Action<'close-cycle'>, context: CommandContext): Promise<void> {
    const { state } = await this.executor.load(cycleStreamId(action.cycleId), cycleDecider);
    if (state.status === 'not_opened') throw new DemoDataError(`${action.cycleId} was never opened`);
    const outstandingReturnIds: string[] = [];
    for (const request of state.cycle.requestedReturns) {
      const record = await this.returnRecord(request.kpiId, action.cycleId);
      if (record.status !== 'approved') outstandingReturnIds.push(request.returnId);
    }
    await this.execute(cycleStreamId(action.cycleId), cycleDecider, { type: 'CloseCycle', cycleId: action.cycleId, data: { outstandingReturnIds }, context });
  }

  /** Submits, resubmits or restates a figure with the commentary a service lead would write. */
  private async reportFigure(action: Action<'submit' | 'resubmit' | 'restate'>, context: CommandContext): Promise<void> {
    const kpi = demoKpi(action.kpiId);
    const { state: kpiState } = await this.executor.load(kpiStreamId(action.kpiId), kpiDecider);
    if (kpiState.status === 'not_defined') throw new DemoDataError(`${action.kpiId} is not defined`);
    const record = await this.returnRecord(action.kpiId, action.cycleId);
    const { request } = record;
    const policy = targetPolicyFor(kpiState, ratingFinancialYearOf(request));
    const previousValue = this.previousApproved(action.kpiId, action.cycleId);
    const until = kpiState.kpi.underQualityAssuranceUntil;
    const kpiContext: SubmissionKpiContext = {
      policy,
      underQualityAssuranceUntil: until,
      ...(policy?.kind === 'direction' ? { previousValue } : {}),
    };
    // Rated as the decider will rate it, so an off-target figure carries its reason.
    const rating = rate(action.value, policy, {
      polarity: request.kpi.polarity,
      labels: request.kpi.labels,
      financialYear: ratingFinancialYearOf(request),
      previousValue: policy?.kind === 'direction' ? previousValue : null,
      ...(until !== null && comparePeriodIds(request.cycleId, until) <= 0 ? { noFigureReason: 'under_quality_assurance' as const } : {}),
    });
    const figure = { value: action.value, monthlyValues: action.monthlyValues, kpi: kpiContext };
    const words = {
      commentary: commentaryFor(kpi, action.value, request.periodCovered, previousValue, rating),
      ...(isOffTarget(rating.status) ? offTargetOf(kpi) : {}),
    };
    const returnId = returnIdOf(action.kpiId, action.cycleId);
    const command: ReturnCommand =
      action.kind === 'submit'
        ? { type: 'SubmitReturn', returnId, data: { ...figure, ...words }, context }
        : action.kind === 'resubmit'
          ? { type: 'ResubmitReturn', returnId, data: { ...figure, ...words, responseToChallenge: action.responseToChallenge }, context }
          : { type: 'RestateReturn', returnId, data: { ...figure, reason: action.reason }, context };
    await this.onReturn(action, () => command);
  }

  /** The latest approved figure of the KPI for a cycle before this one. */
  private previousApproved(kpiId: string, cycleId: PeriodId): DecimalString | null {
    const earlier = [...(this.approved.get(kpiId) ?? new Map<PeriodId, DecimalString | null>())]
      .filter(([approvedCycle, value]) => value !== null && comparePeriodIds(approvedCycle, cycleId) < 0)
      .sort(([a], [b]) => comparePeriodIds(a, b));
    return earlier.length === 0 ? null : earlier[earlier.length - 1]![1];
  }

  private async returnRecord(kpiId: string, cycleId: PeriodId): Promise<ReturnRecord> {
    const { state } = await this.executor.load(returnStreamId(kpiId, cycleId), returnDecider);
    if (state.status === 'not_requested') throw new DemoDataError(`no return of ${kpiId} was requested for ${cycleId}`);
    return state;
  }

  private async onReturn(ref: { kpiId: string; cycleId: PeriodId }, build: (returnId: string) => ReturnCommand): Promise<ReturnRecord> {
    const returnId = returnIdOf(ref.kpiId, ref.cycleId);
    const command = build(returnId);
    const outcome = await this.executor.execute({
      streamId: returnStreamId(ref.kpiId, ref.cycleId),
      decider: returnDecider,
      command,
      envelope: this.nextEnvelope(command.context.actor),
    });
    if (outcome.state.status === 'not_requested') throw new DemoDataError(`${returnId} vanished`);
    return outcome.state;
  }

  private async execute<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>, command: C & { context: CommandContext }): Promise<void> {
    await this.executor.execute({ streamId, decider, command, envelope: this.nextEnvelope(command.context.actor) });
  }

  /** Deterministic ids and keys, so two loads with the same `now` hold the same history. */
  private nextEnvelope(actor: string): CommandEnvelope {
    this.sequence += 1;
    const commandId = deterministicUuid(`quarterly-demo\u0000${this.sequence}`);
    return {
      actor,
      now: this.clock.now().toISOString(),
      correlationId: commandId,
      causationId: commandId,
      idempotencyKey: `quarterly-demo:${this.sequence}`,
    };
  }

  private contextOf(actor: string): CommandContext {
    // Internal work acts with the performance team's role (see RETURN_COMMAND_ROLES).
    const roles: readonly Role[] = actor.startsWith('system:') ? ['performance-team'] : demoPerson(actor).roles;
    return { actor, roles, now: this.clock.now().toISOString() };
  }
}
