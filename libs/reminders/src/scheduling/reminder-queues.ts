import type { JobsOptions } from 'bullmq';
import type { PlannedTimer } from '../planning/planned-timer';

/** The BullMQ queue of reminder, chaser and escalation timers. */
export const TIMERS_QUEUE = 'quarterly-timers';
/** The BullMQ queue of e-mail work: one job per notice, then one digest job per person and run. */
export const MAIL_QUEUE = 'quarterly-mail';

/** A timer job's data: the plan, and the cycle whose policy and timetable it follows. */
export interface TimerJobData extends PlannedTimer {
  readonly cycleId: string;
  /**
   * The later timers of the same plan, in firing order: when this one fires, the first of them
   * is added as the next job, carrying the rest (see `timer-chain.ts`). Absent at a chain's end.
   */
  readonly then?: readonly PlannedTimer[];
}

/** Mail job `notice.<eventId>`: a notice was recorded; tell its recipients. */
export interface NoticeMailJobData {
  readonly type: 'notice';
  /** The ReturnReminderSent / ReturnChased / ReturnEscalated event: the notification's idempotency key. */
  readonly noticeEventId: string;
  readonly streamId: string;
  readonly returnId: string;
  /** Person ids named in the notice. */
  readonly recipients: readonly string[];
  /** The sending run the notice belongs to: the timer's planned firing instant. */
  readonly runAt: string;
}

/** Mail job `digest.<personId>.<run>`: one person's digest for one sending run. */
export interface DigestMailJobData {
  readonly type: 'digest';
  readonly personId: string;
  readonly runAt: string;
}

export type MailJobData = NoticeMailJobData | DigestMailJobData;

/**
 * Timer jobs one worker runs at once. A timer mostly waits (Redis, the store's commit), so many
 * run together: their notices share the embedded store's group commits and the workers' round
 * trips overlap. Each job still runs once at a time, and several workers are fine. Twice
 * {@link TIMER_BATCH_SIZE}, so that while one batch of due timers fires the worker is already
 * fetching the next (with the worker's whole concurrency in one batch, the worker fetched nothing
 * while a batch fired, then the next batch waited out the batcher's window: 0.9 s of a 6 s burst).
 * 128 and batches of 64 rather than 64 and 32: half the store's and the read models' commits
 * (fsync) per burst; docs/performance.md has the runs.
 */
export const TIMER_WORKER_CONCURRENCY = 128;
/** Due timers fired together at most (`DueTimerBatcher`): half the worker's concurrency. */
export const TIMER_BATCH_SIZE = TIMER_WORKER_CONCURRENCY / 2;
/** Mail jobs one worker runs at once: as many as the mailer's pooled SMTP connections (4). */
export const MAIL_WORKER_CONCURRENCY = 4;

const DAY_SECONDS = 86_400;

/**
 * Timers retry a failed firing (store or Redis unavailable) with exponential backoff for about
 * an hour. Finished jobs are kept for 45 days: while a job is kept, re-adding its id is a no-op,
 * which is what makes a replay of the same events add nothing.
 */
export const TIMER_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 45 * DAY_SECONDS },
  removeOnFail: { age: 90 * DAY_SECONDS },
};

/**
 * Mail keeps retrying for longer (an SMTP server down for maintenance): exponential backoff from
 * 2 s, 16 attempts (about 18 hours in all).
 */
export const MAIL_JOB_OPTIONS: JobsOptions = {
  attempts: 16,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 45 * DAY_SECONDS },
  removeOnFail: { age: 90 * DAY_SECONDS },
};

/** BullMQ refuses `:` in custom job ids; ISO instants are made safe this way. */
export function jobIdPart(value: string): string {
  return value.replace(/[:.]/g, '');
}
