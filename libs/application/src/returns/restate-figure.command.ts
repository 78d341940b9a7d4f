import { Command } from '@nestjs/cqrs';
import type { DecimalString, MonthlyValue, ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

/** An approved figure found wrong later is corrected, with the reason; it is then approved again. */
export class RestateFigureCommand extends Command<CommandOutcome<ReturnState>> {
  constructor(
    readonly target: ReturnRef,
    readonly restatement: {
      readonly value: DecimalString;
      readonly inPeriodValue?: DecimalString;
      readonly yearToDateValue?: DecimalString;
      readonly monthlyValues?: readonly MonthlyValue[];
      readonly reason: string;
    },
    readonly caller: Caller,
  ) {
    super();
  }
}
