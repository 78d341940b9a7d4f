import type { Command, ICommandHandler, IQueryHandler, Query } from '@nestjs/cqrs';
import { OpenCycleCommand } from './cycles/open-cycle.command';
import { OpenCycleHandler } from './cycles/open-cycle.handler';
import { ExtendCycleDeadlineCommand } from './cycles/extend-cycle-deadline.command';
import { ExtendCycleDeadlineHandler } from './cycles/extend-cycle-deadline.handler';
import { CloseCycleCommand } from './cycles/close-cycle.command';
import { CloseCycleHandler } from './cycles/close-cycle.handler';
import { DefineKpiCommand } from './kpis/define-kpi.command';
import { DefineKpiHandler } from './kpis/define-kpi.handler';
import { AmendKpiDefinitionCommand } from './kpis/amend-kpi-definition.command';
import { AmendKpiDefinitionHandler } from './kpis/amend-kpi-definition.handler';
import { ChangeKpiOwnershipCommand } from './kpis/change-kpi-ownership.command';
import { ChangeKpiOwnershipHandler } from './kpis/change-kpi-ownership.handler';
import { SetKpiTargetPolicyCommand } from './kpis/set-kpi-target-policy.command';
import { SetKpiTargetPolicyHandler } from './kpis/set-kpi-target-policy.handler';
import { RetireKpiCommand } from './kpis/retire-kpi.command';
import { RetireKpiHandler } from './kpis/retire-kpi.handler';
import { RegisterPersonCommand } from './people/register-person.command';
import { RegisterPersonHandler } from './people/register-person.handler';
import { ChangePersonDetailsCommand } from './people/change-person-details.command';
import { ChangePersonDetailsHandler } from './people/change-person-details.handler';
import { DeactivatePersonCommand } from './people/deactivate-person.command';
import { DeactivatePersonHandler } from './people/deactivate-person.handler';
import { SubmitFigureCommand } from './returns/submit-figure.command';
import { SubmitFigureHandler } from './returns/submit-figure.handler';
import { ResubmitFigureCommand } from './returns/resubmit-figure.command';
import { ResubmitFigureHandler } from './returns/resubmit-figure.handler';
import { MarkFigureNotAvailableCommand } from './returns/mark-figure-not-available.command';
import { MarkFigureNotAvailableHandler } from './returns/mark-figure-not-available.handler';
import { ChallengeReturnCommand } from './returns/challenge-return.command';
import { ChallengeReturnHandler } from './returns/challenge-return.handler';
import { ApproveReturnCommand } from './returns/approve-return.command';
import { ApproveReturnHandler } from './returns/approve-return.handler';
import { EscalateReturnCommand } from './returns/escalate-return.command';
import { EscalateReturnHandler } from './returns/escalate-return.handler';
import { RestateFigureCommand } from './returns/restate-figure.command';
import { RestateFigureHandler } from './returns/restate-figure.handler';
import { ChangeReturnDueDateCommand } from './returns/change-return-due-date.command';
import { ChangeReturnDueDateHandler } from './returns/change-return-due-date.handler';
import { RequestReturnCommand } from './returns/request-return.command';
import { RequestReturnHandler } from './returns/request-return.handler';
import { RecordNoticeCommand } from './returns/record-notice.command';
import { RecordNoticeHandler } from './returns/record-notice.handler';
import { GetReturnQuery } from './returns/get-return.query';
import { GetReturnHandler } from './returns/get-return.handler';
import { RateFigureQuery } from './returns/rate-figure.query';
import { ReviewChangesQuery } from './returns/review-changes.query';
import { ReviewChangesHandler } from './returns/review-changes.handler';
import { RateFigureHandler } from './returns/rate-figure.handler';
import type { UseCaseDependencies } from './use-case-dependencies';

type HandlerClass<H> = new (dependencies: UseCaseDependencies) => H;
type MessageClass = abstract new (...args: never[]) => object;

/** Every command and the one handler that carries it out (the handler's @CommandHandler names the same command). */
export const COMMAND_USE_CASES: ReadonlyArray<readonly [MessageClass, HandlerClass<ICommandHandler>]> = [
  [DefineKpiCommand, DefineKpiHandler],
  [AmendKpiDefinitionCommand, AmendKpiDefinitionHandler],
  [ChangeKpiOwnershipCommand, ChangeKpiOwnershipHandler],
  [SetKpiTargetPolicyCommand, SetKpiTargetPolicyHandler],
  [RetireKpiCommand, RetireKpiHandler],
  [RegisterPersonCommand, RegisterPersonHandler],
  [ChangePersonDetailsCommand, ChangePersonDetailsHandler],
  [DeactivatePersonCommand, DeactivatePersonHandler],
  [OpenCycleCommand, OpenCycleHandler],
  [ExtendCycleDeadlineCommand, ExtendCycleDeadlineHandler],
  [CloseCycleCommand, CloseCycleHandler],
  [RequestReturnCommand, RequestReturnHandler],
  [SubmitFigureCommand, SubmitFigureHandler],
  [ResubmitFigureCommand, ResubmitFigureHandler],
  [MarkFigureNotAvailableCommand, MarkFigureNotAvailableHandler],
  [ChallengeReturnCommand, ChallengeReturnHandler],
  [ApproveReturnCommand, ApproveReturnHandler],
  [EscalateReturnCommand, EscalateReturnHandler],
  [RestateFigureCommand, RestateFigureHandler],
  [ChangeReturnDueDateCommand, ChangeReturnDueDateHandler],
  [RecordNoticeCommand, RecordNoticeHandler],
];

/** Every query and its handler. */
export const QUERY_USE_CASES: ReadonlyArray<readonly [MessageClass, HandlerClass<IQueryHandler>]> = [
  [GetReturnQuery, GetReturnHandler],
  [RateFigureQuery, RateFigureHandler],
  [ReviewChangesQuery, ReviewChangesHandler],
];

/**
 * The handler classes, for a NestJS module to provide (with {@link UseCaseDependencies}) beside
 * `CqrsModule`: the CommandBus and QueryBus then find them by their decorators.
 */
export const USE_CASE_HANDLERS: readonly HandlerClass<ICommandHandler | IQueryHandler>[] = [
  ...COMMAND_USE_CASES.map(([, handler]) => handler),
  ...QUERY_USE_CASES.map(([, handler]) => handler),
];

/**
 * The same use cases for a door that runs without NestJS's container (the demo loader, the
 * reminder worker's services): one handler instance per command, as the CommandBus would hold.
 */
export class UseCaseBus {
  private readonly commands = new Map<MessageClass, ICommandHandler>();
  private readonly queries = new Map<MessageClass, IQueryHandler>();

  constructor(readonly dependencies: UseCaseDependencies) {
    for (const [command, handler] of COMMAND_USE_CASES) this.commands.set(command, new handler(dependencies));
    for (const [query, handler] of QUERY_USE_CASES) this.queries.set(query, new handler(dependencies));
  }

  execute<R>(command: Command<R>): Promise<R> {
    const handler = this.commands.get(command.constructor as MessageClass);
    if (!handler) throw new Error(`no use case handles ${command.constructor.name}`);
    return handler.execute(command) as Promise<R>;
  }

  query<R>(query: Query<R>): Promise<R> {
    const handler = this.queries.get(query.constructor as MessageClass);
    if (!handler) throw new Error(`no use case answers ${query.constructor.name}`);
    return handler.execute(query) as Promise<R>;
  }
}
