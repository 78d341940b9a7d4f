import type { WorkingDayCalendar } from '@quarterly/calendar';
import { kpiDecider, kpiStreamId, parseReturnId } from '@quarterly/domain';
import { unhandledEvent, type DecodedEventOf } from '@quarterly/event-codec';
import type { Clock, EventSourcedCommandExecutor, ProcessManager } from '@quarterly/platform';
import { planReturnTimers, type TimerTrigger } from '../planning/plan-return-timers';
import { reminderPolicyFrom } from '@quarterly/application';
import type { DigestQueue } from '../mail/digest-queue';
import { loadCycleTimerSettings, type CycleTimerSettings } from './cycle-timer-settings';
import type { NoticeMailJobData, TimerJobData } from './reminder-queues';
import { chainOf } from './timer-chain';
import type { MailJob, ReminderJobs } from './timer-scheduler';

export interface ReminderSchedulerOptions {
  /**
   * Timers that should have fired more than this long ago are not scheduled. A worker that was
   * down for a night still sends the morning's notices late; a replay of last year's events does
   * not send last year's reminders.
   * @defaultValue 36 hours
   */
  readonly catchUpWindowMs?: number;
}

/** The cycle and return of a return stream (a return event's stream always is one). */
function returnOf(streamId: string): { cycleId: string; returnId: string } {
  const { cycleId, returnId } = parseTimerStreamId(streamId);
  if (returnId === undefined) throw new Error(`not a return stream: ${streamId}`);
  return { cycleId, returnId };
}

const STREAM_PERIOD = /^(return-(.+)|cycle)-(\d{4})-(\d{2})-(Q[1-4])$/;

/**
 * `return-<kpiId>-<2024-25-Q2>` → the cycle `2024/25-Q2` and the return id `<kpiId>:2024/25-Q2`;
 * `cycle-<2024-25-Q2>` → the cycle. Stream ids are a contract (see the domain's stream-ids).
 */
export function parseTimerStreamId(streamId: string): { cycleId: string; returnId?: string } {
  const match = STREAM_PERIOD.exec(streamId);
  if (!match) throw new Error(`not a return or cycle stream: ${streamId}`);
  const cycleId = `${match[3]}/${match[4]}-${match[5]}`;
  return match[2] === undefined ? { cycleId } : { cycleId, returnId: `${match[2]}:${cycleId}` };
}

type SchedulerEventType =
  | 'CycleOpened'
  | 'CycleDeadlineExtended'
  | 'ReturnRequested'
  | 'ReturnDueDateChanged'
  | 'ReturnChallenged'
  | 'ReturnEscalated'
  | 'ReturnSubmitted'
  | 'ReturnResubmitted'
  | 'ReturnFigureMarkedNotAvailable'
  | 'ReturnRestated';
type SchedulerEvent = DecodedEventOf<SchedulerEventType>;

/**
 * Turns events into timers: a requested return gets its reminders, chasers and escalations, a
 * changed due date plans them anew, a challenge starts the resubmission clock, and a figure
 * awaiting review gets the DMT's review chasers. Submissions and approvals make pending timers
 * moot without touching them: a timer re-reads the return when it fires. An escalation made by a
 * person (a DMT member raising a concern to CLT) gets its mail to the people it names.
 *
 * People are told straight away when something is asked of them: a requested return and a
 * challenge join the digest of the KPI's owner and key contacts for the run of the event's time.
 * Every return a cycle's opening requests carries the opening's time, so each person gets one
 * mail listing all the returns asked of them, not one per return. The digest is read when it is
 * sent: a return already submitted by then is not listed, and a person with nothing left to do
 * gets no mail.
 *
 * At least once and idempotent: job ids derive from the causing event, so a replay adds nothing.
 * Cycle policies and timetables are remembered from the cycle events seen; after a restart from a
 * checkpoint they are read once from the cycle's stream.
 */
export class ReminderSchedulerProcessManager implements ProcessManager<SchedulerEventType> {
  readonly name = 'reminder-scheduler';
  readonly eventTypes: readonly SchedulerEventType[] = [
    'CycleOpened',
    'CycleDeadlineExtended',
    'ReturnRequested',
    'ReturnDueDateChanged',
    'ReturnChallenged',
    'ReturnEscalated',
    'ReturnSubmitted',
    'ReturnResubmitted',
    'ReturnFigureMarkedNotAvailable',
    'ReturnRestated',
  ];
  private readonly cycles = new Map<string, CycleTimerSettings>();
  private readonly catchUpWindowMs: number;

  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly jobs: ReminderJobs,
    private readonly digests: DigestQueue,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    options: ReminderSchedulerOptions = {},
  ) {
    this.catchUpWindowMs = options.catchUpWindowMs ?? 36 * 3_600_000;
  }

  async handle(event: SchedulerEvent): Promise<void> {
    await this.handleBatch([event]);
  }

  /**
   * Plans the timers of every event in the batch, then schedules them in one round trip, and the
   * digests people are told in by another (a cycle's thousands of requests name each person's
   * digest many times: it is added once).
   */
  async handleBatch(events: readonly SchedulerEvent[]): Promise<void> {
    const timers: TimerJobData[] = [];
    const digests = new Map<string, MailJob>();
    for (const event of events) await this.react(event, timers, digests);
    await this.jobs.scheduleTimers(timers);
    await this.jobs.addMailJobs([...digests.values()]);
  }

  /**
   * Adds the timers `event` calls for to `timers` and the digests it calls for to `digests`;
   * mails a person's escalation straight away.
   */
  private async react(event: SchedulerEvent, timers: TimerJobData[], digests: Map<string, MailJob>): Promise<void> {
    const schedule = async (cycleId: string, trigger: TimerTrigger) => {
      timers.push(...(await this.plan(cycleId, trigger)));
    };
    const tell = (people: readonly string[]) => {
      // A replay of events long past tells no one (as with the timers they would have planned).
      if (this.isPastCatchingUp(event.metadata.recordedAt)) return;
      for (const job of this.digests.digestJobs([...new Set(people)], event.metadata.recordedAt)) digests.set(job.jobId, job);
    };
    switch (event.type) {
      case 'CycleOpened': {
        const data = event.data;
        this.cycles.set(data.cycleId, {
          policy: reminderPolicyFrom(data.policy),
          dmtReviewDeadline: data.timetable.dmtReviewDeadline,
        });
        return;
      }
      case 'CycleDeadlineExtended': {
        const data = event.data;
        const { cycleId } = parseTimerStreamId(event.streamId);
        const known = this.cycles.get(cycleId);
        // Review chasers planned for the old deadline find themselves stale and re-plan; only the
        // remembered deadline for later submissions changes here.
        if (known && data.deadline === 'dmtReviewDeadline') this.cycles.set(cycleId, { ...known, dmtReviewDeadline: data.to });
        return;
      }
      case 'ReturnRequested': {
        const data = event.data;
        await schedule(data.cycleId, { type: 'return_requested', eventId: event.id, returnId: data.returnId, dueDate: data.dueDate });
        tell([data.kpi.owner, ...data.kpi.keyContacts]);
        return;
      }
      case 'ReturnDueDateChanged': {
        const { cycleId, returnId } = returnOf(event.streamId);
        await schedule(cycleId, { type: 'due_date_changed', eventId: event.id, returnId, dueDate: event.data.to });
        return;
      }
      case 'ReturnEscalated':
        await this.mailEscalation(event, returnOf(event.streamId).returnId);
        return;
      case 'ReturnChallenged': {
        const { cycleId, returnId } = returnOf(event.streamId);
        await schedule(cycleId, { type: 'challenged', eventId: event.id, returnId, challengedAt: event.metadata.recordedAt });
        if (!this.isPastCatchingUp(event.metadata.recordedAt)) tell(await this.ownersOf(returnId));
        return;
      }
      case 'ReturnSubmitted':
      case 'ReturnResubmitted':
      case 'ReturnFigureMarkedNotAvailable':
      case 'ReturnRestated': {
        const { cycleId, returnId } = returnOf(event.streamId);
        const settings = await this.cycleSettings(cycleId);
        await schedule(cycleId, {
          type: 'awaiting_review',
          eventId: event.id,
          returnId,
          submittedAt: event.metadata.recordedAt,
          dmtReviewDeadline: settings.dmtReviewDeadline,
        });
        return;
      }
      default:
        unhandledEvent(event);
    }
  }

  /** True when an event recorded at `recordedAt` is older than the catch-up window. */
  private isPastCatchingUp(recordedAt: string): boolean {
    return Date.parse(recordedAt) < this.clock.now().getTime() - this.catchUpWindowMs;
  }

  /** The KPI's owner and key contacts as they stand now (ownership may have changed since the request). */
  private async ownersOf(returnId: string): Promise<string[]> {
    const { state } = await this.executor.load(kpiStreamId(parseReturnId(returnId).kpiId), kpiDecider);
    return state.status === 'not_defined' ? [] : [state.kpi.owner, ...state.kpi.keyContacts];
  }

  /** The settings of a cycle, read from its stream when this instance has not seen it open. */
  async cycleSettings(cycleId: string): Promise<CycleTimerSettings> {
    const known = this.cycles.get(cycleId);
    if (known) return known;
    const settings = await loadCycleTimerSettings(this.executor, cycleId);
    this.cycles.set(cycleId, settings);
    return settings;
  }

  /**
   * Automatic escalations are mailed by the timer that records them; one made by a person is mailed
   * from here, once (the job id is the event's, the ledger key too), and not when a replay finds it
   * older than the catch-up window.
   */
  private async mailEscalation(event: DecodedEventOf<'ReturnEscalated'>, returnId: string): Promise<void> {
    const data = event.data;
    if (data.rule !== undefined || data.notified === undefined) return;
    if (this.isPastCatchingUp(event.metadata.recordedAt)) return;
    const mail: NoticeMailJobData = {
      type: 'notice',
      noticeEventId: event.id,
      streamId: event.streamId,
      returnId,
      recipients: [...data.notified.to, ...data.notified.cc],
      runAt: event.metadata.recordedAt,
    };
    await this.jobs.addMailJob(`notice.${event.id}`, mail);
  }

  /**
   * The timers `trigger` calls for under the cycle's policy, less those already past catching up,
   * as one chain: the first is the job, the others follow it one by one as each fires.
   */
  private async plan(cycleId: string, trigger: TimerTrigger): Promise<TimerJobData[]> {
    const { policy } = await this.cycleSettings(cycleId);
    const oldest = this.clock.now().getTime() - this.catchUpWindowMs;
    return chainOf(
      cycleId,
      planReturnTimers(trigger, policy, this.calendar).filter((timer) => Date.parse(timer.fireAt) >= oldest),
    );
  }
}
