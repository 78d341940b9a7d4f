import type { Queue } from 'bullmq';
import type { Clock } from '@quarterly/platform';
import { MAIL_JOB_OPTIONS, TIMER_JOB_OPTIONS, type MailJobData, type TimerJobData } from './reminder-queues';

/** Where planned timers and mail work go: BullMQ in production, whose job ids deduplicate. */
export interface ReminderJobs {
  /** Schedules each timer at its `fireAt` (immediately if that has passed); an id already present is left alone. */
  scheduleTimers(timers: readonly TimerJobData[]): Promise<void>;
  /** Adds mail work under `jobId`, to run after `delayMs`; an id already present is left alone. */
  addMailJob(jobId: string, data: MailJobData, delayMs?: number): Promise<void>;
  /** {@link addMailJob} for several jobs in one round trip. */
  addMailJobs(jobs: readonly MailJob[]): Promise<void>;
}

/** One piece of mail work for {@link ReminderJobs.addMailJobs}. */
export interface MailJob {
  readonly jobId: string;
  readonly data: MailJobData;
  readonly delayMs?: number;
}

/** {@link ReminderJobs} on the `quarterly-timers` and `quarterly-mail` queues. */
export class BullmqReminderJobs implements ReminderJobs {
  constructor(
    private readonly timers: Queue<TimerJobData>,
    private readonly mail: Queue<MailJobData>,
    private readonly clock: Clock,
  ) {}

  async scheduleTimers(timers: readonly TimerJobData[]): Promise<void> {
    if (timers.length === 0) return;
    const now = this.clock.now().getTime();
    await this.timers.addBulk(
      timers.map((timer) => ({
        name: timer.kind,
        data: timer,
        opts: { ...TIMER_JOB_OPTIONS, jobId: timer.jobId, delay: Math.max(0, Date.parse(timer.fireAt) - now) },
      })),
    );
  }

  async addMailJob(jobId: string, data: MailJobData, delayMs = 0): Promise<void> {
    await this.mail.add(data.type, data, { ...MAIL_JOB_OPTIONS, jobId, delay: Math.max(0, delayMs) });
  }

  async addMailJobs(jobs: readonly MailJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.mail.addBulk(
      jobs.map(({ jobId, data, delayMs = 0 }) => ({ name: data.type, data, opts: { ...MAIL_JOB_OPTIONS, jobId, delay: Math.max(0, delayMs) } })),
    );
  }
}
