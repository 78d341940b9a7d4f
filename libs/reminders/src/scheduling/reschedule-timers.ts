import type { WorkingDayCalendar } from '@quarterly/calendar';
import type { EventStore } from '@quarterly/event-store';
import type { Clock, EventSourcedCommandExecutor } from '@quarterly/platform';
import { DIGEST_WINDOW_MS, digestJobsOf } from '../mail/notice-mail.service';
import { ReminderSchedulerProcessManager } from './reminder-scheduler.process-manager';
import { timersIn } from './timer-chain';
import type { ReminderJobs } from './timer-scheduler';

/** Events read per page of the history. */
const PAGE_SIZE = 1000;

export interface RescheduleTimersInput {
  readonly store: Pick<EventStore, 'readAll'>;
  readonly executor: EventSourcedCommandExecutor;
  readonly jobs: ReminderJobs;
  readonly calendar: WorkingDayCalendar;
  readonly clock: Clock;
  /** Timers that fire at or after this instant are re-created; earlier ones are taken as done. */
  readonly since: Date;
}

export interface RescheduleTimersReport {
  readonly since: string;
  readonly eventsRead: number;
  /** Events the reminder scheduler reacts to. */
  readonly eventsReplayed: number;
  /**
   * Timers handed to the queue, each chain's later timers included (one job per chain): those
   * already present are left alone by their ids.
   */
  readonly timersScheduled: number;
  /**
   * Mail jobs handed to the queue likewise: escalations made by a person since `since`, and the
   * digests that tell owners of the returns requested and challenged since then.
   */
  readonly mailJobs: number;
}

/**
 * Re-creates the reminder timers of the whole event history in Redis, for when Redis lost its
 * data (a new or restored server, a failover that lost the last writes, `appendfsync everysec`
 * after a power cut). It replays every event through a fresh reminder scheduler whose catch-up
 * window starts at `since`, so every timer that fires at or after `since` is scheduled again, and
 * nothing is written but BullMQ jobs.
 *
 * Safe beside a running worker and safe to repeat: job ids derive from the causing event, so a
 * timer still queued is left alone, and a timer that fires again re-reads the return and records
 * nothing twice. Choose `since` a few minutes before the data was lost: a timer that fired
 * between `since` and the loss fires again and its mail is queued again, because the record of
 * sent mail lived in the Redis that was lost; a timer before `since` is taken as done.
 */
export async function rescheduleTimers(input: RescheduleTimersInput): Promise<RescheduleTimersReport> {
  let timersScheduled = 0;
  let mailJobs = 0;
  const counting: ReminderJobs = {
    scheduleTimers: async (timers) => {
      timersScheduled += timersIn(timers);
      await input.jobs.scheduleTimers(timers);
    },
    addMailJob: async (jobId, data, delayMs) => {
      mailJobs += 1;
      await input.jobs.addMailJob(jobId, data, delayMs);
    },
    addMailJobs: async (jobs) => {
      mailJobs += jobs.length;
      await input.jobs.addMailJobs(jobs);
    },
  };
  const catchUpWindowMs = Math.max(0, input.clock.now().getTime() - input.since.getTime());
  const digests = { digestJobs: (recipients: readonly string[], runAt: string) => digestJobsOf(recipients, runAt, DIGEST_WINDOW_MS, input.clock) };
  const scheduler = new ReminderSchedulerProcessManager(input.executor, counting, digests, input.calendar, input.clock, { catchUpWindowMs });
  let eventsRead = 0;
  let eventsReplayed = 0;
  let after: bigint | undefined;
  for (;;) {
    const page = await input.store.readAll({ ...(after === undefined ? {} : { after }), limit: PAGE_SIZE });
    if (page.length === 0) break;
    const relevant = input.executor.codec.decodeOnly(scheduler.eventTypes, page);
    if (relevant.length > 0) await scheduler.handleBatch(relevant);
    eventsRead += page.length;
    eventsReplayed += relevant.length;
    after = page[page.length - 1]!.position;
    if (page.length < PAGE_SIZE) break;
  }
  return { since: input.since.toISOString(), eventsRead, eventsReplayed, timersScheduled, mailJobs };
}
