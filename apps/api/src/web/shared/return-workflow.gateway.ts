import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { returnIdOf, type ReturnCommand, type ReturnState, type PeriodId } from '@quarterly/domain';
import { Clock, type CommandEnvelope, type CommandOutcome, type Principal } from '@quarterly/platform';
import { createHash, randomUUID } from 'node:crypto';
import { ExecuteReturnCommand } from '../../returns/commands/execute-return-command.command';

/** What a page asks of a return: a command of the return's decider, without the parts the engine adds. */
export type PageReturnAction =
  | { readonly type: 'SubmitReturn' | 'ResubmitReturn'; readonly data: Record<string, unknown> }
  | { readonly type: 'MarkFigureNotAvailable' | 'ChallengeReturn'; readonly data: { readonly reason: string } }
  | { readonly type: 'ApproveReturn'; readonly data: Record<string, never> }
  | { readonly type: 'EscalateReturn'; readonly data: { readonly level: 'dmt' | 'clt'; readonly reason: string } };

export interface PageCommandOptions {
  /** The version of the return the person saw: a change since then is refused, never overwritten. */
  readonly ifMatch?: bigint;
  /** One per rendered form: a double click or a resubmitted form appends nothing twice. */
  readonly idempotencyKey?: string;
}

/**
 * The pages' one door to the return workflow: the same command, handler, authorisation and
 * decider as the JSON API (`ExecuteReturnCommand` on the CommandBus). When the application layer
 * gives each use case its own command, only this class changes.
 */
@Injectable()
export class ReturnWorkflowGateway {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly clock: Clock,
  ) {}

  execute(principal: Principal, kpiId: string, periodId: PeriodId, action: PageReturnAction, options: PageCommandOptions = {}): Promise<CommandOutcome<ReturnState>> {
    const returnId = returnIdOf(kpiId, periodId);
    const requestId = randomUUID();
    const envelope: CommandEnvelope = {
      actor: principal.id,
      now: this.clock.now().toISOString(),
      correlationId: requestId,
      causationId: requestId,
      ...(options.idempotencyKey
        ? {
            idempotencyKey: options.idempotencyKey,
            commandDigest: createHash('sha256').update(`${action.type} ${returnId}\n${JSON.stringify(action.data)}`).digest('base64url'),
          }
        : {}),
    };
    const context = { actor: principal.id, roles: principal.roles, now: envelope.now };
    const build = (kpi: unknown): ReturnCommand => {
      const reportsFigure = action.type === 'SubmitReturn' || action.type === 'ResubmitReturn';
      return { type: action.type, returnId, data: reportsFigure ? { ...action.data, kpi } : action.data, context } as ReturnCommand;
    };
    return this.commandBus.execute(new ExecuteReturnCommand(kpiId, periodId, principal, envelope, build, options.ifMatch));
  }
}
