import { UnrecoverableError, type Job } from 'bullmq';
import { DomainError } from '@quarterly/domain';
import { MailDeliveryError } from '@quarterly/notifications';
import type { FireOutcome, TimerFiringService } from '../firing/timer-firing.service';
import type { MailOutcome, NoticeMailService } from '../mail/notice-mail.service';
import type { MailJobData, TimerJobData } from '../scheduling/reminder-queues';

/**
 * The body of a `quarterly-timers` job. A domain refusal other than "no longer due" (which the
 * service answers with `not_due`) cannot succeed on retry: it fails the job without retrying.
 * Anything else (store or Redis unavailable) is thrown for BullMQ to retry with backoff.
 */
export async function processTimerJob(firing: Pick<TimerFiringService, 'fire'>, job: Job<TimerJobData>): Promise<FireOutcome> {
  try {
    return await firing.fire(job.data);
  } catch (error) {
    if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    throw error;
  }
}

/** The body of a `quarterly-mail` job: a permanent SMTP refusal is not retried; a server down is. */
export async function processMailJob(mail: NoticeMailService, job: Job<MailJobData>): Promise<MailOutcome> {
  try {
    return job.data.type === 'notice' ? await mail.handleNotice(job.data) : await mail.sendDigest(job.data);
  } catch (error) {
    if (error instanceof MailDeliveryError && error.permanent) throw new UnrecoverableError(error.message);
    throw error;
  }
}
