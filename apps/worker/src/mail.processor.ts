import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { MAIL_QUEUE, MAIL_WORKER_CONCURRENCY, ReminderRuntime, type MailJobData, type MailOutcome } from '@quarterly/reminders';

/** Turns notices into e-mail and sends digests and escalations (`quarterly-mail`). */
@Processor(MAIL_QUEUE, { concurrency: MAIL_WORKER_CONCURRENCY })
export class MailProcessor extends WorkerHost {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(private readonly runtime: ReminderRuntime) {
    super();
  }

  async process(job: Job<MailJobData>): Promise<MailOutcome> {
    const outcome = await this.runtime.runMailJob(job);
    this.logger.debug(`${job.id}: ${outcome}`);
    return outcome;
  }

  /** Redis unreachable or restarting: BullMQ reconnects by itself; say so in the log, do not crash. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn(`queue connection error (BullMQ reconnects): ${error.message}`);
  }
}
