import { AlreadyExistsError, cycleDecider, IllegalTransitionError } from '@quarterly/domain';
import { unhandledEvent, type DecodedEventOf } from '@quarterly/event-codec';
import type { RecordedEvent } from '@quarterly/event-store';
import type { CommandEnvelope } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { ProcessManager } from '@quarterly/platform/workflow/process-manager-runner';
import { forEachBoundedParallel } from '../shared/bounded-parallel';
import type { Caller } from '../shared/caller';
import { ChangeReturnDueDateCommand } from '../returns/change-return-due-date.command';
import { ReturnNotFoundError } from '../returns/return-errors';
import { RequestReturnCommand } from '../returns/request-return.command';
import type { UseCaseBus } from '../use-case-bus';

/** The actor recorded on events this process manager causes. */
export const CYCLE_PROCESS_ACTOR = 'system:cycle';

/**
 * Turns a cycle's events into the use cases on its returns: `CycleOpened` requests every return
 * it lists (`request-return`), `CycleDeadlineExtended` (returns due) moves the due date of those
 * not yet approved (`change-return-due-date`).
 *
 * At least once: each command's idempotency key is derived from the causing event, so a replay
 * appends nothing, and a return already requested is left as it is. The returns' commands run
 * {@link CYCLE_RETURNS_IN_PARALLEL} at a time (a return is one stream, so they never conflict):
 * the store commits their appends in groups, and a 10,000-return cycle is requested in seconds
 * rather than one commit after another. A restart part-way (the checkpoint is stored only after
 * every return of the event is done) requests each return that is missing once, and repeats none.
 */
type CycleReturnsEventType = 'CycleOpened' | 'CycleDeadlineExtended';

/** Return commands the process manager has in flight at once. */
export const CYCLE_RETURNS_IN_PARALLEL = 32;

export class CycleReturnsProcessManager implements ProcessManager<CycleReturnsEventType> {
  readonly name = 'cycle-returns';
  readonly eventTypes: readonly CycleReturnsEventType[] = ['CycleOpened', 'CycleDeadlineExtended'];

  constructor(
    private readonly useCases: UseCaseBus,
    private readonly inParallel: number = CYCLE_RETURNS_IN_PARALLEL,
  ) {}

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
    await forEachBoundedParallel(requestedReturns, this.inParallel, (request) =>
      this.send(() => this.useCases.execute(new RequestReturnCommand(cycleId, request, timetable.returnsDue, this.callerOf(event, `request:${request.returnId}`)))),
    );
  }

  private async moveDueDates(event: DecodedEventOf<'CycleDeadlineExtended'>): Promise<void> {
    if (event.data.deadline !== 'returnsDue') return;
    const { to, reason } = event.data;
    const { state } = await this.useCases.dependencies.executor.load(event.streamId, cycleDecider);
    if (state.status !== 'open' && state.status !== 'closed') return;
    const { cycleId, requestedReturns } = state.cycle;
    await forEachBoundedParallel(requestedReturns, this.inParallel, (request) => {
      // The return decider refuses the change for an approved figure (its due date is history);
      // `send` takes that refusal as "nothing to do".
      const target = { kpiId: request.kpiId, periodId: cycleId };
      return this.send(() => this.useCases.execute(new ChangeReturnDueDateCommand(target, { to, reason }, this.callerOf(event, `due-date:${request.returnId}`))));
    });
  }

  private async send(command: () => Promise<unknown>): Promise<void> {
    try {
      await command();
    } catch (error) {
      // Requested before (a replay after a crash), or no longer owed: nothing to do.
      if (error instanceof AlreadyExistsError || error instanceof IllegalTransitionError || error instanceof ReturnNotFoundError) return;
      throw error;
    }
  }

  private callerOf(cause: RecordedEvent, step: string): Caller {
    const envelope: CommandEnvelope = {
      actor: CYCLE_PROCESS_ACTOR,
      now: cause.metadata.recordedAt,
      correlationId: cause.metadata.correlationId,
      causationId: cause.id,
      idempotencyKey: `${cause.id}:${step}`,
    };
    return { principal: { id: CYCLE_PROCESS_ACTOR, roles: ['performance-team'] }, envelope, internal: true };
  }
}
