import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApproveReturnCommand,
  ChallengeReturnCommand,
  EscalateReturnCommand,
  GetReturnQuery,
  MarkFigureNotAvailableCommand,
  RestateFigureCommand,
  ResubmitFigureCommand,
  SubmitFigureCommand,
  type Caller,
  type ReturnRef,
} from '@quarterly/application';
import type { ReturnState } from '@quarterly/domain';
import { Clock, commandEnvelopeFrom, CurrentPrincipal, etagOf, Roles, type CommandOutcome, type Principal } from '@quarterly/platform';
import type { Request, Response } from 'express';
import { IDEMPOTENCY_KEY_HEADER, ifMatchHeader, ifMatchOf } from '../shared/command-headers';
import { receiptOf } from '../shared/command-response';
import { periodIdFromPath } from '../shared/path-params';
import { PreconditionRequiredException } from '../shared/precondition-required.exception';
import { ApproveReturnDto, EscalateReturnDto, ReasonDto, ResubmitReturnDto, RestateReturnDto, SubmitReturnDto } from './return.dto';
import { returnViewOf } from './return.view';

const READERS = ['performance-team', 'service-lead', 'dmt', 'clt', 'auditor'] as const;

/**
 * A return is addressed by its KPI and its cycle quarter: `/returns/ENV-01/2024-25-Q2`. Its ETag
 * is its stream's revision; an `If-Match` naming an older one still holds while nothing a
 * reviewer judges (figure, narrative, stage) changed since — a reminder or a deadline extension
 * in between does not refuse a DMT's decision (see the application layer's `executeOnReturn`).
 */
@ApiTags('Returns')
@ApiBearerAuth()
@Controller('returns/:kpiId/:period')
export class ReturnsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The return as it stands now (ETag: its version, for If-Match)' })
  async get(@Param('kpiId') kpiId: string, @Param('period') period: string, @Res({ passthrough: true }) response: Response) {
    const { record, revision } = await this.queryBus.execute(new GetReturnQuery(kpiId, periodIdFromPath(period, 'period')));
    response.setHeader('ETag', etagOf(revision));
    return { version: String(revision), ...returnViewOf(record) };
  }

  @Post('submission')
  @HttpCode(200)
  @Roles('service-lead', 'performance-team')
  @ApiOperation({ summary: 'Submit the figure, with commentary (and, off target, the reason and the route to green)' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  submit(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: SubmitReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = this.targetOf(kpiId, period, ifMatch, false);
    return this.run(response, new SubmitFigureCommand(target, body, this.callerOf(principal, request)));
  }

  @Post('resubmission')
  @HttpCode(200)
  @Roles('service-lead', 'performance-team')
  @ApiOperation({ summary: 'Resubmit a challenged figure, answering the challenge' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  resubmit(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: ResubmitReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = this.targetOf(kpiId, period, ifMatch, false);
    return this.run(response, new ResubmitFigureCommand(target, body, this.callerOf(principal, request)));
  }

  @Post('not-available')
  @HttpCode(200)
  @Roles('service-lead', 'performance-team')
  @ApiOperation({ summary: 'Report that no figure is available this quarter, with the reason' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  markNotAvailable(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: ReasonDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = this.targetOf(kpiId, period, ifMatch, false);
    return this.run(response, new MarkFigureNotAvailableCommand(target, { reason: body.reason }, this.callerOf(principal, request)));
  }

  @Post('challenge')
  @HttpCode(200)
  @Roles('dmt', 'performance-team')
  @ApiOperation({ summary: 'Challenge the figure with a reason; it goes back to the service lead' })
  @ApiHeader(ifMatchHeader('return', true))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  challenge(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: ReasonDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = this.targetOf(kpiId, period, ifMatch, true);
    return this.run(response, new ChallengeReturnCommand(target, { reason: body.reason }, this.callerOf(principal, request)));
  }

  @Post('approval')
  @HttpCode(200)
  @Roles('dmt', 'performance-team')
  @ApiOperation({ summary: 'Approve the figure (not by the person who submitted it)' })
  @ApiHeader(ifMatchHeader('return', true))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  approve(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() _body: ApproveReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = this.targetOf(kpiId, period, ifMatch, true);
    return this.run(response, new ApproveReturnCommand(target, this.callerOf(principal, request)));
  }

  @Post('escalation')
  @HttpCode(200)
  @Roles('dmt', 'clt', 'performance-team')
  @ApiOperation({ summary: 'Escalate a concern to the DMT or to CLT, with a reason' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  escalate(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: EscalateReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = this.targetOf(kpiId, period, ifMatch, false);
    return this.run(response, new EscalateReturnCommand(target, { level: body.level, reason: body.reason }, this.callerOf(principal, request)));
  }

  @Post('restatement')
  @HttpCode(200)
  @Roles('service-lead', 'performance-team')
  @ApiOperation({ summary: 'Restate an approved figure found wrong later: the corrected value and why; it is approved again' })
  @ApiHeader(ifMatchHeader('return'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  restate(@Param('kpiId') kpiId: string, @Param('period') period: string, @Body() body: RestateReturnDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = this.targetOf(kpiId, period, ifMatch, false);
    return this.run(response, new RestateFigureCommand(target, body, this.callerOf(principal, request)));
  }

  private targetOf(kpiId: string, period: string, ifMatchHeader: string | undefined, ifMatchRequired: boolean): ReturnRef {
    const periodId = periodIdFromPath(period, 'period');
    const conditional = ifMatchOf(ifMatchHeader);
    if (ifMatchRequired && conditional.ifMatch === undefined) {
      throw new PreconditionRequiredException('send If-Match with the ETag of the version you reviewed');
    }
    return { kpiId, periodId, ...conditional };
  }

  private callerOf(principal: Principal, request: Request): Caller {
    return { principal, envelope: commandEnvelopeFrom(request, this.clock) };
  }

  private async run(response: Response, command: SubmitFigureCommand | ResubmitFigureCommand | MarkFigureNotAvailableCommand | ChallengeReturnCommand | ApproveReturnCommand | EscalateReturnCommand | RestateFigureCommand) {
    const outcome: CommandOutcome<ReturnState> = await this.commandBus.execute(command);
    return receiptOf(response, outcome, (state) => returnViewOf(state));
  }
}
