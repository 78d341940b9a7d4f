import type { WorkingDayCalendar } from '@quarterly/calendar';
import {
  escalationAudience,
  kpiDecider,
  kpiStreamId,
  NoticeNoLongerDueError,
  parseReturnId,
  returnDecider,
  returnStreamId,
  type CommandContext,
  type ReturnCommand,
  type ReturnRecord,
} from '@quarterly/domain';
import type { RecordedEvent } from '@quarterly/event-store';
import type { NoticeRecipient } from '@quarterly/notifications';
import { getCycle, type ReadModelDatabase } from '@quarterly/read-models';
import { deterministicUuid, type Clock, type EventSourcedCommandExecutor } from '@quarterly/platform';
import { planReturnTimers } from '../planning/plan-return-timers';
import { loadCycleTimerSettings } from '../scheduling/cycle-timer-settings';
import type { NoticeMailJobData, TimerJobData } from '../scheduling/reminder-queues';
import type { ReminderJobs } from '../scheduling/timer-scheduler';
import type { PeopleDirectory } from './people-directory';

/** The actor recorded on every notice the reminder worker records. */
export const REMINDERS_ACTOR = 'system:reminders';

/**
 * What a fired timer did:
 * - `recorded`: the notice was appended to the return's stream and its mail job queued;
 * - `repeated`: this timer had recorded it before (a retry after a crash); the mail job is queued again (a no-op if present);
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
 * Fires one timer: re-reads the return, decides whether the step is still due, records the
 * notice through the return decider (expected revision, retried on conflict) and queues its
 * mail. Safe to run any number of times for the same timer.
 */
export class TimerFiringService {
  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly readModels: ReadModelDatabase,
    private readonly people: PeopleDirectory,
    private readonly jobs: ReminderJobs,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
  ) {}

  async fire(timer: TimerJobData): Promise<FireOutcome> {
    const { kpiId, periodId } = parseReturnId(timer.returnId);
    const streamId = returnStreamId(kpiId, periodId);
    // A closed cycle is over: its outstanding returns are reported as such, not chased.
    const cycle = await getCycle(this.readModels.db, timer.cycleId);
    if (cycle?.state === 'closed') return 'not_due';
    const { state, events } = await this.executor.load(streamId, returnDecider);
    if (state.status === 'not_requested') return 'stale';

    const stale = await this.staleness(timer, state, events);
    if (stale) return stale;

    const command = await this.commandFor(timer, state);
    const idempotencyKey = `timer.${timer.jobId}`;
    let outcome;
    try {
      outcome = await this.executor.execute({
        streamId,
        decider: returnDecider,
        command,
        envelope: {
          actor: REMINDERS_ACTOR,
          now: this.clock.now().toISOString(),
          correlationId: timer.sourceEventId,
          causationId: timer.sourceEventId,
          idempotencyKey,
        },
        retriesOnConflict: 5,
      });
    } catch (error) {
      if (error instanceof NoticeNoLongerDueError) return 'not_due';
      throw error;
    }
    if (outcome.appended === 0 && !outcome.repeated) return 'already_recorded';

    // The executor derives the ids of events appended under an idempotency key from the stream
    // and the key, so the notice's id is known without reading the stream again, on a retry too.
    const noticeEventId = deterministicUuid(`${streamId}\u0000${idempotencyKey}\u00000`);
    const mail: NoticeMailJobData = {
      type: 'notice',
      noticeEventId,
      streamId,
      returnId: timer.returnId,
      recipients: 'recipients' in command.data ? command.data.recipients : [],
      runAt: timer.fireAt,
    };
    await this.jobs.addMailJob(`notice.${noticeEventId}`, mail);
    return outcome.repeated ? 'repeated' : 'recorded';
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
        await this.jobs.scheduleTimers(replanned.map((t) => ({ ...t, cycleId: timer.cycleId })));
        return 'rescheduled';
      }
    }
  }

  private async commandFor(timer: TimerJobData, record: ReturnRecord): Promise<ReturnCommand> {
    const context: CommandContext = { actor: REMINDERS_ACTOR, roles: ['performance-team'], now: this.clock.now().toISOString() };
    const base = { returnId: timer.returnId, context };
    const kpi = await this.responsibleFor(record);
    const late = timer.workingDaysFromAnchor;
    switch (timer.kind) {
      case 'reminder':
        return {
          ...base,
          type: 'RecordReminderSent',
          data: {
            rule: late < 0 ? 'before_deadline' : 'on_deadline',
            recipients: await this.activeIds([kpi.owner, ...kpi.keyContacts]),
            dueDate: timer.anchorDate,
            noticeKey: timer.noticeKey,
          },
        };
      case 'chaser':
      case 'challenge_chaser':
        return {
          ...base,
          type: 'RecordChase',
          data: {
            rule: timer.kind === 'chaser' ? 'overdue' : 'challenge_not_answered',
            recipients: await this.activeIds([kpi.owner, ...kpi.keyContacts]),
            workingDaysOverdue: late,
            noticeKey: timer.noticeKey,
          },
        };
      case 'dmt_review_chaser':
        return {
          ...base,
          type: 'RecordChase',
          data: {
            rule: 'dmt_review_overdue',
            recipients: (await this.dmtOf(kpi.directorate)).map((p) => p.personId),
            workingDaysOverdue: late,
            noticeKey: timer.noticeKey,
          },
        };
      case 'escalate_dmt':
      case 'escalate_clt': {
        const level = timer.kind === 'escalate_dmt' ? 'dmt' : 'clt';
        return {
          ...base,
          type: 'EscalateReturn',
          data: {
            level,
            rule: 'overdue',
            reason: `${plural(late, 'working day')} overdue (due ${timer.anchorDate})`,
            notified: escalationAudience(await this.people.everyone(), kpi, level),
          },
        };
      }
      case 'challenge_escalation': {
        const level = record.escalationLevel === 'none' ? 'dmt' : 'clt';
        return {
          ...base,
          type: 'EscalateReturn',
          data: {
            level,
            rule: 'challenge_not_answered',
            reason: `challenge not answered within ${plural(late, 'working day')} (challenged ${timer.anchorDate})`,
            notified: escalationAudience(await this.people.everyone(), kpi, level),
          },
        };
      }
    }
  }

  /**
   * Who answers for the return now: the KPI's current owner, key contacts and directorate (an
   * owner who left mid-cycle is replaced in the register), or the return's snapshot of its KPI
   * when the register has no record of it.
   */
  private async responsibleFor(record: ReturnRecord): Promise<{ owner: string; keyContacts: readonly string[]; directorate: string }> {
    const { state } = await this.executor.load(kpiStreamId(record.request.kpiId), kpiDecider);
    return state.status === 'not_defined' ? record.request.kpi : state.kpi;
  }

  private async activeIds(ids: readonly string[]): Promise<string[]> {
    const people = await this.people.everyone();
    return [...new Set(ids)].filter((id) => people.get(id)?.active);
  }

  private async dmtOf(directorate: string): Promise<NoticeRecipient[]> {
    const people = await this.people.everyone();
    return [...people.values()].filter((p) => p.active && p.roles.includes('dmt') && p.directorate === directorate);
  }
}
