import { Command } from '@nestjs/cqrs';
import type { ChaseRule, IsoDate, ReminderRule, ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

/** A recorded notice and the people it is addressed to (whom the mail then goes to). */
export type NoticeOutcome = CommandOutcome<ReturnState> & { readonly recipients: readonly string[] };

export type Notice =
  | { readonly kind: 'reminder'; readonly rule: ReminderRule; readonly dueDate: IsoDate; readonly noticeKey: string }
  | { readonly kind: 'chase'; readonly rule: ChaseRule; readonly workingDaysOverdue: number; readonly noticeKey: string };

/**
 * A reminder before a return is due, or a chaser once a step is late, is recorded on the return,
 * addressed to whoever answers for that step now: the KPI's current owner and key contacts for a
 * figure owed, the directorate's DMT for a review overdue. Deactivated people are left out. A
 * notice key already recorded, or a step no longer due, records nothing.
 */
export class RecordNoticeCommand extends Command<NoticeOutcome> {
  constructor(
    readonly target: ReturnRef,
    readonly notice: Notice,
    readonly caller: Caller,
  ) {
    super();
  }
}
