import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { returnDecider, returnIdOf, returnStreamId, type ReturnCommand, type ReturnState, type SubmissionKpiContext } from '@quarterly/domain';
import {
  Clock,
  commandEnvelopeFrom,
  CurrentPrincipal,
  etagOf,
  EventSourcedCommandExecutor,
  parseIfMatch,
  Roles,
  type Principal,
} from '@quarterly/platform';
import type { Request, Response } from 'express';
import { IDEMPOTENCY_KEY_HEADER, ifMatchHeader } from '../shared/command-headers';
import { commandContextOf, receiptOf } from '../shared/command-response';
import { periodIdFromPath } from '../shared/path-params';
import { PreconditionRequiredException } from '../shared/precondition-required.exception';
import { ExecuteReturnCommand } from './commands/execute-return-command.command';
import { ApproveReturnDto, EscalateReturnDto, ReasonDto, ResubmitReturnDto, RestateReturnDto, SubmitReturnDto } from './return.dto';
import { returnViewOf } from './return.view';

const READERS = ['performance-team', 'service-lead', 'dmt', 'clt', 'auditor'] as const;

type Build = (context: ReturnType<typeof commandContextOf>, returnId: string, kpi: SubmissionKpiContext) => ReturnCommand;

/** A return is addressed by its KPI and its cycle quarter: `/returns/ENV-01/2024-25-Q2`. */
@ApiTags('Returns')
@ApiBearerAuth()
@Controller('returns/:kpiId/:period')
export class ReturnsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly executor: EventSourcedCommandExecutor,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The return as it stands now (ETag: its version, for If-Match)' })
  async get(@Param('kpiId') kpiId: string, @Param('period') period: string, @Res({ passthrough: true }) response: Response) {
    const periodId = periodIdFromPath(period, 'period');
    const { state, revision } = await this.executor.load(returnStreamId(kpiId, periodId), returnDecider);
    if (state.status === 'not_requested') throw new NotFoundException(`no return of ${kpiId} was requested for ${periodId}`);
    response.setHeader('ETag', etagOf(revision));
    return { version: String(revision), ...returnViewOf(state) };
  }

  @Post('submission')
  @HttpCode(200)
  @Roles('service-lead', 'performance-team')
  @ApiOperation({ summary: 'Submit the figure, with commentary (and, off target, the reason and the route to green)' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  submit(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: SubmitReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(kpiId, period, ifMatch, false, principal, request, response, (context, returnId, kpi) => ({ type: 'SubmitReturn', returnId, data: { ...body, kpi }, context }));
  }

  @Post('resubmission')
  @HttpCode(200)
  @Roles('service-lead', 'performance-team')
  @ApiOperation({ summary: 'Resubmit a challenged figure, answering the challenge' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  resubmit(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: ResubmitReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(kpiId, period, ifMatch, false, principal, request, response, (context, returnId, kpi) => ({ type: 'ResubmitReturn', returnId, data: { ...body, kpi }, context }));
  }

  @Post('not-available')
  @HttpCode(200)
  @Roles('service-lead', 'performance-team')
  @ApiOperation({ summary: 'Report that no figure is available this quarter, with the reason' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  markNotAvailable(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: ReasonDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(kpiId, period, ifMatch, false, principal, request, response, (context, returnId) => ({ type: 'MarkFigureNotAvailable', returnId, data: body, context }));
  }

  @Post('challenge')
  @HttpCode(200)
  @Roles('dmt', 'performance-team')
  @ApiOperation({ summary: 'Challenge the figure with a reason; it goes back to the service lead' })
  @ApiHeader(ifMatchHeader('return', true))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  challenge(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: ReasonDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(kpiId, period, ifMatch, true, principal, request, response, (context, returnId) => ({ type: 'ChallengeReturn', returnId, data: body, context }));
  }

  @Post('approval')
  @HttpCode(200)
  @Roles('dmt', 'performance-team')
  @ApiOperation({ summary: 'Approve the figure (not by the person who submitted it)' })
  @ApiHeader(ifMatchHeader('return', true))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  approve(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() _body: ApproveReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(kpiId, period, ifMatch, true, principal, request, response, (context, returnId) => ({ type: 'ApproveReturn', returnId, data: {}, context }));
  }

  @Post('escalation')
  @HttpCode(200)
  @Roles('dmt', 'clt', 'performance-team')
  @ApiOperation({ summary: 'Escalate a concern to the DMT or to CLT, with a reason' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  escalate(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: EscalateReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(kpiId, period, ifMatch, false, principal, request, response, (context, returnId) => ({ type: 'EscalateReturn', returnId, data: { level: body.level, reason: body.reason }, context }));
  }

  @Post('restatement')
  @HttpCode(200)
  @Roles('service-lead', 'performance-team')
  @ApiOperation({ summary: 'Restate an approved figure found wrong later: the corrected value and why; it is approved again' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  restate(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: RestateReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(kpiId, period, ifMatch, false, principal, request, response, (context, returnId, kpi) => ({ type: 'RestateReturn', returnId, data: { ...body, kpi }, context }));
  }

  private async run(
    kpiId: string,
    period: string,
    ifMatchHeader: string | undefined,
    ifMatchRequired: boolean,
    principal: Principal,
    request: Request,
    response: Response,
    build: Build,
  ) {
    const periodId = periodIdFromPath(period, 'period');
    const returnId = returnIdOf(kpiId, periodId);
    const ifMatch = parseIfMatch(ifMatchHeader);
    if (ifMatchRequired && ifMatch === undefined) {
      throw new PreconditionRequiredException('send If-Match with the ETag of the version you reviewed');
    }
    const envelope = commandEnvelopeFrom(request, this.clock);
    const context = commandContextOf(principal, envelope);
    const outcome = await this.commandBus.execute(
      new ExecuteReturnCommand(kpiId, periodId, principal, envelope, (kpi) => build(context, returnId, kpi), ifMatch),
    );
    return receiptOf(response, outcome, (state: ReturnState) => returnViewOf(state));
  }
}
