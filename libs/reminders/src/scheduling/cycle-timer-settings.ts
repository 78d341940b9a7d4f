import { cycleDecider, cycleStreamId } from '@quarterly/domain';
import type { EventSourcedCommandExecutor } from '@quarterly/platform';
import { reminderPolicyFrom, type ReminderPolicy } from '@quarterly/application';

/** What timers need to know about their cycle. */
export interface CycleTimerSettings {
  readonly policy: ReminderPolicy;
  /** The current DMT review deadline (extensions applied). */
  readonly dmtReviewDeadline: string;
}

/** A cycle has no events: a timer or event names a cycle that was never opened. */
export class CycleNotFoundError extends Error {
  override readonly name = 'CycleNotFoundError';
  constructor(readonly cycleId: string) {
    super(`cycle ${cycleId} has not been opened`);
  }
}

/**
 * Reads a cycle's policy (CycleOpened's optional `policy`, else the default) and current
 * timetable from its stream.
 */
export async function loadCycleTimerSettings(
  executor: EventSourcedCommandExecutor,
  cycleId: string,
): Promise<CycleTimerSettings> {
  const { state, events } = await executor.load(cycleStreamId(cycleId), cycleDecider);
  if (state.status !== 'open' && state.status !== 'closed') throw new CycleNotFoundError(cycleId);
  const opened = events[0];
  const policy = opened?.type === 'CycleOpened' ? opened.data.policy : undefined;
  return { policy: reminderPolicyFrom(policy), dmtReviewDeadline: state.cycle.timetable.dmtReviewDeadline };
}
