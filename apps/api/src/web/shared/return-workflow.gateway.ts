import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApproveReturnCommand,
  ChallengeReturnCommand,
  ChangeReturnDueDateCommand,
  EscalateReturnCommand,
  MarkFigureNotAvailableCommand,
  RateFigureQuery,
  ResubmitFigureCommand,
  RestateFigureCommand,
  SubmitFigureCommand,
  type Caller,
  type FigureReport,
  type ReturnRef,
} from '@quarterly/application';
import { returnIdOf, type DecimalString, type IsoDate, type PeriodId, type Rating, type ReturnState } from '@quarterly/domain';
import { Clock, type CommandOutcome, type Principal } from '@quarterly/platform';
import { pageCallerOf, type PageCommandOptions } from './page-caller';

export type { PageCommandOptions } from './page-caller';

/** What a page asks of a return: one of the application layer's use cases, by name. */
export type PageReturnAction =
  | { readonly type: 'SubmitReturn' | 'ResubmitReturn'; readonly data: Record<string, unknown> }
  | { readonly type: 'MarkFigureNotAvailable' | 'ChallengeReturn'; readonly data: { readonly reason: string } }
  | { readonly type: 'ApproveReturn'; readonly data: Record<string, never> }
  | { readonly type: 'EscalateReturn'; readonly data: { readonly level: 'dmt' | 'clt'; readonly reason: string } }
  | { readonly type: 'RestateFigure'; readonly data: { readonly value: string; readonly monthlyValues?: readonly { month: string; value: string }[]; readonly reason: string } }
  | { readonly type: 'ChangeReturnDueDate'; readonly data: { readonly to: IsoDate; readonly reason: string } };

/**
 * The pages' one door to the return workflow: it turns a form's action into the same use case the
 * JSON API sends (`SubmitFigureCommand`, `ApproveReturnCommand`, …), with the same authorisation,
 * decision and refusals; only the envelope (who, when, which form) is the page's own.
 */
@Injectable()
export class ReturnWorkflowGateway {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  /** How `value` would rate if it were sent on this return now (the submission's own rule). */
  rate(principal: Principal, kpiId: string, periodId: PeriodId, value: DecimalString): Promise<Rating> {
    return this.queryBus.execute(new RateFigureQuery({ kpiId, periodId }, value, { principal }));
  }

  execute(principal: Principal, kpiId: string, periodId: PeriodId, action: PageReturnAction, options: PageCommandOptions = {}): Promise<CommandOutcome<ReturnState>> {
    const caller = pageCallerOf(principal, this.clock, `${action.type} ${returnIdOf(kpiId, periodId)}\n${JSON.stringify(action.data)}`, options);
    const target: ReturnRef = { kpiId, periodId, ...(options.ifMatch !== undefined ? { ifMatch: options.ifMatch } : {}) };
    return this.commandBus.execute(this.commandFor(action, target, caller));
  }

  private commandFor(action: PageReturnAction, target: ReturnRef, caller: Caller) {
    switch (action.type) {
      case 'SubmitReturn':
        return new SubmitFigureCommand(target, action.data as FigureReport, caller);
      case 'ResubmitReturn':
        return new ResubmitFigureCommand(target, action.data as FigureReport & { responseToChallenge: string }, caller);
      case 'MarkFigureNotAvailable':
        return new MarkFigureNotAvailableCommand(target, action.data, caller);
      case 'ChallengeReturn':
        return new ChallengeReturnCommand(target, action.data, caller);
      case 'ApproveReturn':
        return new ApproveReturnCommand(target, caller);
      case 'EscalateReturn':
        return new EscalateReturnCommand(target, action.data, caller);
      case 'RestateFigure':
        return new RestateFigureCommand(target, action.data as ConstructorParameters<typeof RestateFigureCommand>[1], caller);
      case 'ChangeReturnDueDate':
        return new ChangeReturnDueDateCommand(target, action.data, caller);
    }
  }
}
