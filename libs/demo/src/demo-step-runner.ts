/**
 * Plays the demo story's steps through the application layer's use cases, exactly as the API
 * would issue them: each one reads what its decision needs, authorises the actor on the row and
 * is decided by the domain's deciders. Nothing here decides a command or writes an event itself.
 */
import {
  ApproveReturnCommand,
  ChallengeReturnCommand,
  ChangeReturnDueDateCommand,
  CloseCycleCommand,
  DefineKpiCommand,
  AmendKpiDefinitionCommand,
  EscalateReturnCommand,
  MarkFigureNotAvailableCommand,
  OpenCycleCommand,
  PreviousFigureReader,
  RateFigureQuery,
  RegisterPersonCommand,
  RestateFigureCommand,
  ResubmitFigureCommand,
  RetireKpiCommand,
  SetKpiTargetPolicyCommand,
  SubmitFigureCommand,
  GetReturnQuery,
  type Caller,
  type CycleReturnsProcessManager,
  type ReturnRef,
  type UseCaseBus,
} from '@quarterly/application';
import { cycleStreamId, isOffTarget, type CycleOpened, type Role } from '@quarterly/domain';
import type { EventStore, RecordedEvent } from '@quarterly/event-store';
import { deterministicUuid, type AdjustableClock, type CommandEnvelope, type Principal } from '@quarterly/platform';
import { commentaryFor, offTargetOf } from './demo-commentary';
import { DemoDataError } from './demo-errors';
import { demoKpi } from './demo-kpis';
import { demoEmailOf, demoPerson } from './demo-people';
import type { StoryAction, StoryStep } from './demo-steps';

type Action<K extends StoryAction['kind']> = Extract<StoryAction, { kind: K }>;

export class DemoStepRunner {
  private sequence = 0;
  private readonly previousFigures: PreviousFigureReader;

  constructor(
    private readonly useCases: UseCaseBus,
    private readonly store: EventStore,
    private readonly clock: AdjustableClock,
    private readonly cycleReturns: CycleReturnsProcessManager,
  ) {
    this.previousFigures = new PreviousFigureReader(useCases.dependencies.executor);
  }

  async run(step: StoryStep): Promise<void> {
    this.clock.set(step.at);
    const { action } = step;
    const caller = this.callerOf(step.actor);
    const bus = this.useCases;
    switch (action.kind) {
      case 'register-person': {
        const person = demoPerson(action.personId);
        const registration = { name: person.name, email: demoEmailOf(person), roles: person.roles, ...(person.directorate ? { directorate: person.directorate } : {}) };
        await bus.execute(new RegisterPersonCommand({ personId: person.personId }, registration, caller));
        return;
      }
      case 'define-kpi': {
        const kpi = demoKpi(action.kpiId);
        await bus.execute(new DefineKpiCommand({ kpiId: kpi.kpiId }, { ...kpi.description, owner: kpi.owner, keyContacts: kpi.keyContacts }, caller));
        return;
      }
      case 'set-policy':
        await bus.execute(new SetKpiTargetPolicyCommand({ kpiId: action.kpiId }, { financialYear: action.financialYear, policy: action.policy }, caller));
        return;
      case 'amend-kpi': {
        const amendment = { changes: action.changes, reason: action.reason, underQualityAssuranceUntil: action.underQualityAssuranceUntil };
        await bus.execute(new AmendKpiDefinitionCommand({ kpiId: action.kpiId }, amendment, caller));
        return;
      }
      case 'retire-kpi':
        await bus.execute(new RetireKpiCommand({ kpiId: action.kpiId }, { reason: action.reason, effectiveFrom: action.effectiveFrom }, caller));
        return;
      case 'open-cycle':
        return this.openCycle(action, caller);
      case 'close-cycle':
        await bus.execute(new CloseCycleCommand({ cycleId: action.cycleId }, caller));
        return;
      case 'submit':
      case 'resubmit':
      case 'restate':
        return this.reportFigure(action, caller);
      case 'mark-not-available':
        await bus.execute(new MarkFigureNotAvailableCommand(refOf(action), { reason: action.reason }, caller));
        return;
      case 'challenge':
        await bus.execute(new ChallengeReturnCommand(refOf(action), { reason: action.reason }, caller));
        return;
      case 'approve':
        await bus.execute(new ApproveReturnCommand(refOf(action), caller));
        return;
      case 'escalate': {
        const escalation = { level: action.level, reason: action.reason, ...(action.automatic ? { rule: 'overdue' as const } : {}) };
        await bus.execute(new EscalateReturnCommand(refOf(action), escalation, caller));
        return;
      }
      case 'change-due-date':
        await bus.execute(new ChangeReturnDueDateCommand(refOf(action), { to: action.to, reason: action.reason }, caller));
        return;
    }
  }

  /** Opens the cycle on the register as it stands, then requests its returns at once. */
  private async openCycle(action: Action<'open-cycle'>, caller: Caller): Promise<void> {
    await this.useCases.execute(new OpenCycleCommand({ cycleId: action.cycleId, timetable: action.timetable }, caller));
    // The live process manager would request the returns from its subscription; doing it here
    // keeps the story in order, and its replay later is a no-op (same idempotency keys).
    const streamId = cycleStreamId(action.cycleId);
    const opened = (await this.store.readStream(streamId)).find((event): event is RecordedEvent<'CycleOpened', CycleOpened['data']> => event.type === 'CycleOpened');
    if (!opened) throw new DemoDataError(`${streamId} has no CycleOpened event`);
    await this.cycleReturns.handle(opened);
  }

  /**
   * Submits, resubmits or restates a figure with the commentary a service lead would write: the
   * server's rating of the figure (as the page shows it) says whether a reason and a route to
   * green are owed.
   */
  private async reportFigure(action: Action<'submit' | 'resubmit' | 'restate'>, caller: Caller): Promise<void> {
    const ref = refOf(action);
    const figure = { value: action.value, monthlyValues: action.monthlyValues };
    if (action.kind === 'restate') {
      await this.useCases.execute(new RestateFigureCommand(ref, { ...figure, reason: action.reason }, caller));
      return;
    }
    const kpi = demoKpi(action.kpiId);
    const { kpi: record, record: onReturn } = await this.useCases.query(new GetReturnQuery(ref.kpiId, ref.periodId));
    const rating = await this.useCases.query(new RateFigureQuery(ref, action.value, caller));
    const previous = await this.previousFigures.previousApprovedValue(record, onReturn.request.periodCovered);
    const words = {
      commentary: commentaryFor(kpi, action.value, onReturn.request.periodCovered, previous, rating),
      ...(isOffTarget(rating.status) ? offTargetOf(kpi) : {}),
    };
    await this.useCases.execute(
      action.kind === 'submit'
        ? new SubmitFigureCommand(ref, { ...figure, ...words }, caller)
        : new ResubmitFigureCommand(ref, { ...figure, ...words, responseToChallenge: action.responseToChallenge }, caller),
    );
  }

  /** The actor as the use cases see them: a demo person with their roles, or the engine itself. */
  private callerOf(actor: string): Caller {
    return { principal: principalOf(actor), envelope: this.nextEnvelope(actor), internal: true };
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
}

function refOf(action: { kpiId: string; cycleId: ReturnRef['periodId'] }): ReturnRef {
  return { kpiId: action.kpiId, periodId: action.cycleId };
}

function principalOf(actor: string): Principal {
  // Internal work acts with the performance team's role (see RETURN_COMMAND_ROLES).
  if (actor.startsWith('system:')) return { id: actor, roles: ['performance-team'] satisfies Role[] };
  const person = demoPerson(actor);
  return { id: actor, roles: person.roles, ...(person.directorate ? { directorate: person.directorate } : {}) };
}
