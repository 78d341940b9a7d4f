import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CloseCycleCommand, ExtendCycleDeadlineCommand, OpenCycleCommand, type Caller } from '@quarterly/application';
import { cycleDecider, cycleStreamId, type CycleState } from '@quarterly/domain';
import {
  Clock,
  commandEnvelopeFrom,
  CurrentPrincipal,
  etagOf,
  EventSourcedCommandExecutor,
  Roles,
  type CommandOutcome,
  type Principal,
} from '@quarterly/platform';
import type { Request, Response } from 'express';
import { IDEMPOTENCY_KEY_HEADER, ifMatchHeader, ifMatchOf } from '../shared/command-headers';
import { createdReceiptOf, receiptOf } from '../shared/command-response';
import { periodIdFromPath } from '../shared/path-params';
import { ExtendCycleDeadlineDto, OpenCycleDto } from './cycle.dto';
import { cycleViewOf } from './cycle.view';

/** A cycle is addressed by its quarter: `/cycles/2024-25-Q2`. */
@ApiTags('Reporting cycles')
@ApiBearerAuth()
@Controller('cycles')
export class CyclesController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly executor: EventSourcedCommandExecutor,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('performance-team')
  @ApiOperation({ summary: "Open a quarter's cycle: a return is requested for every live KPI due that quarter" })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async open(@Body() body: OpenCycleDto, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const opening = {
      cycleId: body.cycleId,
      ...(body.timetable ? { timetable: body.timetable } : {}),
      ...(body.reminderPolicy !== undefined ? { reminderPolicy: body.reminderPolicy } : {}),
    };
    const outcome: CommandOutcome<CycleState> = await this.commandBus.execute(new OpenCycleCommand(opening, this.callerOf(principal, request)));
    return createdReceiptOf(response, outcome, `/cycles/${body.cycleId.replace('/', '-')}`, cycleViewOf);
  }

  @Get(':period')
  @Roles('performance-team', 'service-lead', 'dmt', 'clt', 'auditor')
  @ApiOperation({ summary: 'The cycle: its timetable and the returns it requested (ETag: its version)' })
  async get(@Param('period') period: string, @Res({ passthrough: true }) response: Response) {
    const periodId = periodIdFromPath(period, 'period');
    const { state, revision } = await this.executor.load(cycleStreamId(periodId), cycleDecider);
    if (state.status === 'not_opened') throw new NotFoundException(`no cycle is open for ${periodId}`);
    response.setHeader('ETag', etagOf(revision));
    return { version: String(revision), ...cycleViewOf(state) };
  }

  @Post(':period/deadline-extensions')
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({ summary: 'Move the returns or DMT review deadline later; open returns follow it' })
  @ApiHeader(ifMatchHeader('cycle'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async extend(@Param('period') period: string, @Body() body: ExtendCycleDeadlineDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = { cycleId: periodIdFromPath(period, 'period'), ...ifMatchOf(ifMatch) };
    const outcome: CommandOutcome<CycleState> = await this.commandBus.execute(
      new ExtendCycleDeadlineCommand(target, { deadline: body.deadline, to: body.to, reason: body.reason }, this.callerOf(principal, request)),
    );
    return receiptOf(response, outcome, (state: CycleState) => cycleViewOf(state));
  }

  @Post(':period/closure')
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({ summary: 'Close the cycle; returns not yet approved are recorded as outstanding' })
  @ApiHeader(ifMatchHeader('cycle'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async close(@Param('period') period: string, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const target = { cycleId: periodIdFromPath(period, 'period'), ...ifMatchOf(ifMatch) };
    const outcome: CommandOutcome<CycleState> = await this.commandBus.execute(new CloseCycleCommand(target, this.callerOf(principal, request)));
    return receiptOf(response, outcome, (state: CycleState) => cycleViewOf(state));
  }

  private callerOf(principal: Principal, request: Request): Caller {
    return { principal, envelope: commandEnvelopeFrom(request, this.clock) };
  }
}
