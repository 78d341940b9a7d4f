import type { MailJob } from '../scheduling/timer-scheduler';

/**
 * Where something a person should hear about goes: their digest of a sending run (the mail
 * service), one mail per person and run however many notices the run holds.
 */
export interface DigestQueue {
  /** The digest jobs (one per recipient and run, deduplicated by id) that carry a notice of the run `runAt`. */
  digestJobs(recipients: readonly string[], runAt: string): MailJob[];
}
