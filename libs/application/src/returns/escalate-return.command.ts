import { Command } from '@nestjs/cqrs';
import type { ChaseRule, EscalationLevel, ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

export interface Escalation {
  readonly level: EscalationLevel;
  readonly reason: string;
  /**
   * Set when a rule escalates, not a person (a return overdue, a challenge not answered): it is
   * then recorded only while the step is still due, and a level already reached is a no-op.
   */
  readonly rule?: ChaseRule;
}

/** A concern is raised to the directorate's DMT or to CLT; the people it concerns are told. */
export class EscalateReturnCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly target: ReturnRef,
    readonly escalation: Escalation,
    readonly caller: Caller,
  ) {
    super();
  }
}
