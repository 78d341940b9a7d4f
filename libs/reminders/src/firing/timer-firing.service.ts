import {
  EscalateReturnCommand,
  RecordNoticeCommand,
  type Caller,
  type Escalation,
  type Notice,
  type UseCaseBus,
} from '@quarterly/application';
import type { WorkingDayCalendar } from '@quarterly/calendar';
import { NoticeNoLongerDueError, parseReturnId, returnDecider, returnStreamId, type ReturnRecord, type ReturnState } from '@quarterly/domain';
import type { RecordedEvent } from '@quarterly/event-store';
import { getCycle, type CycleView, type ReadModelDatabase } from '@quarterly/read-models';
import { deterministicUuid, type Clock, type CommandOutcome, type EventSourcedCommandExecutor } from '@quarterly/platform';
import { planReturnTimers } from '../planning/plan-return-timers';
import { loadCycleTimerSettings } from '../scheduling/cycle-timer-settings';
import type { NoticeMailJobData, TimerJobData } from '../scheduling/reminder-queues';
import type { MailJob, ReminderJobs } from '../scheduling/timer-scheduler';
import { chainOf, nextInChain } from '../scheduling/timer-chain';
import type { DigestQueue } from '../mail/digest-queue';

/** The actor recorded on every notice the reminder worker records. */
export const REMINDERS_ACTOR = 'system:reminders';

/**
 * What a fired timer did:
 * - `recorded`: the notice was appended to the return's stream and its mail queued (a reminder or
 *   chase in its recipients' digests of the run, an escalation as a mail job of its own);
 * - `repeated`: this timer had recorded it before (a retry after a crash); its mail is queued again (a no-op if present);
 * - `already_recorded`: the same notice was recorded by another plan, or the escalation level was already reached;
 * - `not_due`: the return moved on (submitted, approved…) or its cycle is closed: nothing to say;
 * - `stale`: the timer was planned for a due date, challenge or submission that has since been replaced;
 * - `rescheduled`: the DMT review deadline was extended; chasers for the new deadline were planned.
 */
export type FireOutcome = 'recorded' | 'repeated' | 'already_recorded' | 'not_due' | 'stale' | 'rescheduled';

const AWAITING_REVIEW_EVENTS = ['ReturnSubmitted', 'ReturnResubmitted', 'ReturnFigureMarkedNotAvailable', 'ReturnRestated'];

function lastEventOf(events: readonly RecordedEvent[], types: readonly string[]): RecordedEvent | undefined {
  for (let i = events.length - 1; i >= 0; i -= 1) if (types.includes(events[i]!.type)) return events[i];
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Fires one timer: re-reads the return, decides whether the timer still applies, records the
 * notice through the application layer's use case (`record-notice`, or `escalate-return` with the
 * rule that fired; retried on a concurrent change) and queues its mail. Safe to run any number of
 * times for the same timer.
 */
export class TimerFiringService {
  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly readModels: ReadModelDatabase,
    private readonly useCases: UseCaseBus,
    private readonly jobs: ReminderJobs,
    private readonly digests: DigestQueue,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
  ) {}

  /** Fires one timer: {@link fireBatch} of one. */
  async fire(timer: TimerJobData): Promise<FireOutcome> {
    const [result] = await this.fireBatch([timer]);
    if (result!.status === 'rejected') throw result!.reason;
    return result!.value;
  }

  /**
   * Fires timers that came due together, each judged and recorded on its own (one timer's refusal
   * or failure is its own result) but with the batch's round trips shared: the next timers of all
   * their chains added in one `addBulk` before anything else, each cycle's row read once, and the
   * mail of every notice recorded (digest jobs, escalation jobs) added in one `addBulk` at the end.
   * The notices themselves are appended concurrently, so the store commits them in groups.
   *
   * A failure of a shared step fails the timers that depend on it (all of them for the chains and
   * the cycles; those with mail for the mail): their jobs are retried, and a retry of a recorded
   * notice finds it `repeated` and queues its mail again.
   */
  async fireBatch(timers: readonly TimerJobData[]): Promise<PromiseSettledResult<FireOutcome>[]> {
    try {
      // The next timer of each plan becomes a job first, whatever this one finds: a retry re-adds
      // it under the same id (a no-op), and a refusal that fails this job cannot break the chain.
      await this.jobs.scheduleTimers(timers.map(nextInChain).filter((next): next is TimerJobData => next !== undefined));
      const cycleIds = [...new Set(timers.map((timer) => timer.cycleId))];
      const rows = await Promise.all(cycleIds.map((cycleId) => getCycle(this.readModels.db, cycleId)));
      const cycles = new Map(cycleIds.map((cycleId, i) => [cycleId, rows[i]]));
      const recorded = await Promise.allSettled(timers.map((timer) => this.record(timer, cycles.get(timer.cycleId))));
      const mail = new Map<string, MailJob>();
      for (const result of recorded) {
        if (result.status === 'fulfilled') for (const job of result.value.mail) if (!mail.has(job.jobId)) mail.set(job.jobId, job);
      }
      const mailQueued = await this.jobs.addMailJobs([...mail.values()]).then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      return recorded.map((result): PromiseSettledResult<FireOutcome> => {
        if (result.status === 'rejected') return result;
        if (result.value.mail.length > 0 && !mailQueued.ok) return { status: 'rejected', reason: mailQueued.error };
        return { status: 'fulfilled', value: result.value.outcome };
      });
    } catch (error) {
      return timers.map(() => ({ status: 'rejected', reason: error }));
    }
  }

  /** Judges one timer against its return and records its notice: the outcome, and the mail jobs it calls for. */
  private async record(timer: TimerJobData, cycle: CycleView | undefined): Promise<{ outcome: FireOutcome; mail: readonly MailJob[] }> {
    const none = (outcome: FireOutcome) => ({ outcome, mail: [] });
    const { kpiId, periodId } = parseReturnId(timer.returnId);
    const streamId = returnStreamId(kpiId, periodId);
    // A closed cycle is over: its outstanding returns are reported as such, not chased.
    if (cycle?.state === 'closed') return none('not_due');
    const { state, events } = await this.executor.load(streamId, returnDecider);
    if (state.status === 'not_requested') return none('stale');

    const stale = await this.staleness(timer, state, events);
    if (stale) return none(stale);

    const idempotencyKey = `timer.${timer.jobId}`;
    const caller: Caller = {
      principal: { id: REMINDERS_ACTOR, roles: ['performance-team'] },
      envelope: {
        actor: REMINDERS_ACTOR,
        now: this.clock.now().toISOString(),
        correlationId: timer.sourceEventId,
        causationId: timer.sourceEventId,
        idempotencyKey,
      },
      internal: true,
    };
    const target = { kpiId, periodId };
    const step = stepOf(timer, state);
    let outcome: CommandOutcome<ReturnState> & { readonly recipients?: readonly string[] };
    try {
      outcome =
        'escalation' in step
          ? await this.useCases.execute(new EscalateReturnCommand(target, step.escalation, caller))
          : await this.useCases.execute(new RecordNoticeCommand(target, step.notice, caller));
    } catch (error) {
      if (error instanceof NoticeNoLongerDueError) return none('not_due');
      throw error;
    }
    if (outcome.appended === 0 && !outcome.repeated) return none('already_recorded');
    const done: FireOutcome = outcome.repeated ? 'repeated' : 'recorded';

    // A reminder or chase joins its recipients' digests of this sending run (a retry adds the
    // same digest jobs, which are left alone by their ids).
    if ('notice' in step) return { outcome: done, mail: this.digests.digestJobs(outcome.recipients ?? [], timer.fireAt) };
    // An escalation is mailed on its own, to the people its event names. The executor derives
    // the ids of events appended under an idempotency key from the stream and the key, so the
    // notice's id is known without reading the stream again, on a retry too.
    const noticeEventId = deterministicUuid(`${streamId}\u0000${idempotencyKey}\u00000`);
    const data: NoticeMailJobData = { type: 'notice', noticeEventId, streamId, returnId: timer.returnId, recipients: [], runAt: timer.fireAt };
    return { outcome: done, mail: [{ jobId: `notice.${noticeEventId}`, data }] };
  }

  private async staleness(
    timer: TimerJobData,
    record: ReturnRecord,
    events: readonly RecordedEvent[],
  ): Promise<FireOutcome | undefined> {
    switch (timer.kind) {
      case 'reminder':
      case 'chaser':
      case 'escalate_dmt':
      case 'escalate_clt':
        if (record.dueDate !== timer.anchorDate) return 'stale';
        // A challenged return owes a figure again, but the challenge's own clock (its chasers and
        // escalation) governs it from then on, not the original due date's.
        return record.status === 'challenged' ? 'not_due' : undefined;
      case 'challenge_chaser':
      case 'challenge_escalation':
        return lastEventOf(events, ['ReturnChallenged'])?.id === timer.sourceEventId ? undefined : 'stale';
      case 'dmt_review_chaser': {
        const source = lastEventOf(events, AWAITING_REVIEW_EVENTS);
        if (source?.id !== timer.sourceEventId) return 'stale';
        const settings = await loadCycleTimerSettings(this.executor, timer.cycleId);
        if (settings.dmtReviewDeadline === timer.anchorDate) return undefined;
        if (settings.dmtReviewDeadline < timer.anchorDate) return 'stale';
        const replanned = planReturnTimers(
          {
            type: 'awaiting_review',
            eventId: source.id,
            returnId: timer.returnId,
            submittedAt: source.metadata.recordedAt,
            dmtReviewDeadline: settings.dmtReviewDeadline,
          },
          settings.policy,
          this.calendar,
        );
        await this.jobs.scheduleTimers(chainOf(timer.cycleId, replanned));
        return 'rescheduled';
      }
    }
  }
}

/** What a timer records: a reminder or chaser, or an escalation under the rule that fired. */
function stepOf(timer: TimerJobData, record: ReturnRecord): { readonly notice: Notice } | { readonly escalation: Escalation } {
  const late = timer.workingDaysFromAnchor;
  const { noticeKey } = timer;
  switch (timer.kind) {
    case 'reminder':
      return { notice: { kind: 'reminder', rule: late < 0 ? 'before_deadline' : 'on_deadline', dueDate: timer.anchorDate, noticeKey } };
    case 'chaser':
    case 'challenge_chaser':
      return { notice: { kind: 'chase', rule: timer.kind === 'chaser' ? 'overdue' : 'challenge_not_answered', workingDaysOverdue: late, noticeKey } };
    case 'dmt_review_chaser':
      return { notice: { kind: 'chase', rule: 'dmt_review_overdue', workingDaysOverdue: late, noticeKey } };
    case 'escalate_dmt':
    case 'escalate_clt':
      return {
        escalation: {
          level: timer.kind === 'escalate_dmt' ? 'dmt' : 'clt',
          rule: 'overdue',
          reason: `${plural(late, 'working day')} overdue (due ${timer.anchorDate})`,
        },
      };
    case 'challenge_escalation':
      return {
        escalation: {
          level: record.escalationLevel === 'none' ? 'dmt' : 'clt',
          rule: 'challenge_not_answered',
          reason: `challenge not answered within ${plural(late, 'working day')} (challenged ${timer.anchorDate})`,
        },
      };
  }
}
