import type { WorkingDayCalendar } from '@quarterly/calendar';
import { escalationAudience, parseReturnId, returnDecider, returnStreamId } from '@quarterly/domain';
import {
  composeDigest,
  composeEscalation,
  type DigestItem,
  type NoticeRecipient,
  type NotificationSender,
  type SendOutcome,
} from '@quarterly/notifications';
import type { ReadModelDatabase } from '@quarterly/read-models';
import type { Clock, EventSourcedCommandExecutor } from '@quarterly/platform';
import type { PeopleDirectory } from '../firing/people-directory';
import type { DigestQueue } from './digest-queue';
import { digestItemsFor } from './digest-items.query';
import { jobIdPart, type DigestMailJobData, type NoticeMailJobData } from '../scheduling/reminder-queues';
import type { MailJob, ReminderJobs } from '../scheduling/timer-scheduler';

export interface NoticeMailOptions {
  /** Base of the links in e-mails (PUBLIC_BASE_URL). */
  readonly publicBaseUrl: string;
  /**
   * A person's digest for a sending run is sent this long after the run's time, so that every
   * notice of the run is in it: one mail per person per run.
   * @defaultValue 120 000 ms
   */
  readonly digestWindowMs?: number;
}

/**
 * What a mail job did: `sent`, `already_sent` (the ledger knew the key: a retry), `queued_digests`
 * (a reminder or chase handed to its recipients' digests), or `nothing_to_send`.
 */
export type MailOutcome = SendOutcome['outcome'] | 'queued_digests' | 'nothing_to_send';

/** The digest's key: one per person and sending run. */
export function digestKey(personId: string, runAt: string): string {
  return `digest.${personId}.${jobIdPart(runAt)}`;
}

/** Default of {@link NoticeMailOptions.digestWindowMs}. */
export const DIGEST_WINDOW_MS = 120_000;

/**
 * The digest jobs that carry a notice of the sending run `runAt` to each recipient: one per
 * person and run (the id deduplicates), sent `windowMs` after the run's time.
 */
export function digestJobsOf(recipients: readonly string[], runAt: string, windowMs: number, clock: Clock): MailJob[] {
  const delayMs = Date.parse(runAt) + windowMs - clock.now().getTime();
  return recipients.map((personId) => {
    const data: DigestMailJobData = { type: 'digest', personId, runAt };
    return { jobId: digestKey(personId, runAt), data, delayMs };
  });
}

/**
 * Turns recorded notices into e-mail. An escalation is mailed on its own, to the owner and copied
 * to key contacts, DMT (and CLT), under the notice event's id. A reminder or chase joins each
 * recipient's digest for its sending run, sent once per person under `digest.<person>.<run>`.
 */
export class NoticeMailService implements DigestQueue {
  private readonly digestWindowMs: number;

  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly readModels: ReadModelDatabase,
    private readonly people: PeopleDirectory,
    private readonly sender: NotificationSender,
    private readonly jobs: ReminderJobs,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    private readonly options: NoticeMailOptions,
  ) {
    this.digestWindowMs = options.digestWindowMs ?? DIGEST_WINDOW_MS;
  }

  async handleNotice(job: NoticeMailJobData): Promise<MailOutcome> {
    const { state, events } = await this.executor.load(job.streamId, returnDecider);
    const notice = events.find((e) => e.id === job.noticeEventId);
    if (!notice || state.status === 'not_requested') {
      throw new Error(`notice ${job.noticeEventId} is not in ${job.streamId}`);
    }
    // Reminders and chases are handed to the digests by the timer that recorded them; a notice
    // job for one is a job queued before that (kept for those still in Redis).
    if (notice.type !== 'ReturnEscalated') return this.queueDigests(job.recipients, job.runAt);
    const escalation = notice.data;
    const kpi = state.request.kpi;
    const named = escalation.notified ? [...escalation.notified.to, ...escalation.notified.cc] : [kpi.owner, ...kpi.keyContacts];
    const people = await this.people.everyone(named);
    // The people the escalation names on the record; for an event recorded before they were kept,
    // the same rule applied now.
    const audience = escalation.notified ?? escalationAudience(people, kpi, escalation.level);
    const resolve = (ids: readonly string[]) => ids.map((id) => people.get(id)).filter((p): p is NoticeRecipient => !!p?.active);
    const addressees = { to: resolve(audience.to), cc: resolve(audience.cc) };
    if (addressees.to.length + addressees.cc.length === 0) return 'nothing_to_send';
    const mail = composeEscalation({
      idempotencyKey: notice.id,
      addressees: addressees.to.length > 0 ? addressees : { to: addressees.cc, cc: [] },
      returnId: state.request.returnId,
      kpiId: state.request.kpiId,
      kpiTitle: kpi.title,
      directorate: kpi.directorate,
      level: escalation.level,
      reason: escalation.reason,
      escalatedOn: this.calendar.localDateOf(notice.metadata.recordedAt),
      publicBaseUrl: this.options.publicBaseUrl,
    });
    return (await this.sender.send(mail)).outcome;
  }

  /**
   * Hands a reminder or chase to each recipient's digest of the sending run `runAt`, sent
   * `digestWindowMs` after it: one job per person and run, whichever notice adds it first.
   */
  async queueDigests(recipients: readonly string[], runAt: string): Promise<'queued_digests' | 'nothing_to_send'> {
    await this.jobs.addMailJobs(this.digestJobs(recipients, runAt));
    return recipients.length > 0 ? 'queued_digests' : 'nothing_to_send';
  }

  /** The digest jobs {@link queueDigests} adds, for a caller that adds many notices' jobs at once. */
  digestJobs(recipients: readonly string[], runAt: string): MailJob[] {
    return digestJobsOf(recipients, runAt, this.digestWindowMs, this.clock);
  }

  async sendDigest(job: DigestMailJobData): Promise<MailOutcome> {
    const person = (await this.people.everyone([job.personId])).get(job.personId);
    if (!person?.active) return 'nothing_to_send';
    const now = this.clock.now();
    const items = await Promise.all((await digestItemsFor(this.readModels, person, now, this.calendar)).map((item) => this.withChallengeReason(item)));
    if (items.length === 0) return 'nothing_to_send';
    const mail = composeDigest({
      idempotencyKey: digestKey(job.personId, job.runAt),
      recipient: { name: person.name, email: person.email },
      runDate: this.calendar.localDateOf(job.runAt),
      items,
      publicBaseUrl: this.options.publicBaseUrl,
    });
    return (await this.sender.send(mail)).outcome;
  }

  /** A challenged item with the DMT's reason, read from the return's stream (the board keeps no text). */
  private async withChallengeReason(item: DigestItem): Promise<DigestItem> {
    if (item.state !== 'challenged') return item;
    const { kpiId, periodId } = parseReturnId(item.returnId);
    const { events } = await this.executor.load(returnStreamId(kpiId, periodId), returnDecider);
    for (let i = events.length - 1; i >= 0; i -= 1) {
      const event = events[i]!;
      if (event.type === 'ReturnChallenged') return { ...item, detail: event.data.reason };
    }
    return item;
  }
}
