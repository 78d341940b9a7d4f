import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ReminderRuntime, TIMER_WORKER_CONCURRENCY, TIMERS_QUEUE, type FireOutcome, type TimerJobData } from '@quarterly/reminders';

/** Fires reminder, chaser and escalation timers (`quarterly-timers`). */
@Processor(TIMERS_QUEUE, { concurrency: TIMER_WORKER_CONCURRENCY })
export class TimersProcessor extends WorkerHost {
  private readonly logger = new Logger(TimersProcessor.name);

  constructor(private readonly runtime: ReminderRuntime) {
    super();
  }

  async process(job: Job<TimerJobData>): Promise<FireOutcome> {
    const outcome = await this.runtime.runTimerJob(job);
    this.logger.debug(`${job.id}: ${outcome}`);
    return outcome;
  }

  /** Redis unreachable or restarting: BullMQ reconnects by itself; say so in the log, do not crash. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn(`queue connection error (BullMQ reconnects): ${error.message}`);
  }
}
