import {
  AlreadyExistsError,
  cycleDecider,
  IllegalTransitionError,
  kpiDecider,
  kpiStreamId,
  returnDecider,
  returnKpiSnapshotOf,
  returnStreamId,
  type CommandContext,
  type ReturnCommand,
} from '@quarterly/domain';
import { unhandledEvent, type DecodedEventOf } from '@quarterly/event-codec';
import type { RecordedEvent } from '@quarterly/event-store';
import type { CommandEnvelope, EventSourcedCommandExecutor } from '../commands/event-sourced-command-executor';
import type { ProcessManager } from './process-manager-runner';

/** The actor recorded on events this process manager causes. */
export const CYCLE_PROCESS_ACTOR = 'system:cycle';

/**
 * Turns a cycle's events into commands on its returns: `CycleOpened` requests every return it
 * lists, `CycleDeadlineExtended` (returns due) moves the due date of those not yet approved.
 *
 * At least once: each command's idempotency key is derived from the causing event, so a replay
 * appends nothing, and a return already requested is left as it is.
 */
type CycleReturnsEventType = 'CycleOpened' | 'CycleDeadlineExtended';

export class CycleReturnsProcessManager implements ProcessManager<CycleReturnsEventType> {
  readonly name = 'cycle-returns';
  readonly eventTypes: readonly CycleReturnsEventType[] = ['CycleOpened', 'CycleDeadlineExtended'];

  constructor(private readonly executor: EventSourcedCommandExecutor) {}

  async handle(event: DecodedEventOf<CycleReturnsEventType>): Promise<void> {
    switch (event.type) {
      case 'CycleOpened':
        return this.requestReturns(event);
      case 'CycleDeadlineExtended':
        return this.moveDueDates(event);
      default:
        unhandledEvent(event);
    }
  }

  private async requestReturns(event: DecodedEventOf<'CycleOpened'>): Promise<void> {
    const { cycleId, timetable, requestedReturns } = event.data;
    for (const request of requestedReturns) {
      const { state } = await this.executor.load(kpiStreamId(request.kpiId), kpiDecider);
      if (state.status === 'not_defined') continue; // cannot happen: the cycle listed it from the register
      await this.send(event, request.returnId, 'request', {
        type: 'RequestReturn',
        returnId: request.returnId,
        data: { cycleId, request, dueDate: timetable.returnsDue, kpi: returnKpiSnapshotOf(state.kpi) },
        context: this.contextOf(event),
      }, request.kpiId, cycleId);
    }
  }

  private async moveDueDates(event: DecodedEventOf<'CycleDeadlineExtended'>): Promise<void> {
    if (event.data.deadline !== 'returnsDue') return;
    const { state } = await this.executor.load(event.streamId, cycleDecider);
    if (state.status === 'not_opened') return;
    const { cycleId, requestedReturns } = state.cycle;
    for (const request of requestedReturns) {
      // The return decider refuses the change for an approved figure (its due date is history);
      // `send` takes that refusal as "nothing to do".
      await this.send(event, request.returnId, 'due-date', {
        type: 'ChangeReturnDueDate',
        returnId: request.returnId,
        data: { to: event.data.to, reason: event.data.reason },
        context: this.contextOf(event),
      }, request.kpiId, cycleId);
    }
  }

  private async send(
    cause: RecordedEvent,
    returnId: string,
    step: string,
    command: ReturnCommand,
    kpiId: string,
    cycleId: string,
  ): Promise<void> {
    try {
      await this.executor.execute({
        streamId: returnStreamId(kpiId, cycleId),
        decider: returnDecider,
        command,
        envelope: this.envelopeOf(cause, `${step}:${returnId}`),
        retriesOnConflict: 5,
      });
    } catch (error) {
      // Requested before (a replay after a crash), or no longer owed: nothing to do.
      if (error instanceof AlreadyExistsError || error instanceof IllegalTransitionError) return;
      throw error;
    }
  }

  private contextOf(event: RecordedEvent): CommandContext {
    return { actor: CYCLE_PROCESS_ACTOR, roles: ['performance-team'], now: event.metadata.recordedAt };
  }

  private envelopeOf(cause: RecordedEvent, step: string): CommandEnvelope {
    return {
      actor: CYCLE_PROCESS_ACTOR,
      now: cause.metadata.recordedAt,
      correlationId: cause.metadata.correlationId,
      causationId: cause.id,
      idempotencyKey: `${cause.id}:${step}`,
    };
  }
}
