import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EnglandAndWalesCalendar } from '@quarterly/calendar';
import { cycleDecider, cycleStreamId, parsePeriodId, type CycleState } from '@quarterly/domain';
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
import { commandContextOf, createdReceiptOf, receiptOf } from '../shared/command-response';
import { periodIdFromPath } from '../shared/path-params';
import { ExecuteCycleCommand } from './commands/execute-cycle-command.command';
import { OpenCycleCommand } from './commands/open-cycle.command';
import { CycleStatusReader } from './cycle-status.reader';
import { ExtendCycleDeadlineDto, OpenCycleDto } from './cycle.dto';
import { cycleViewOf } from './cycle.view';
import { defaultCycleTimetable } from './default-cycle-timetable';
import { checkedReminderPolicy } from './reminder-policy.input';


/** A cycle is addressed by its quarter: `/cycles/2024-25-Q2`. */
@ApiTags('Reporting cycles')
@ApiBearerAuth()
@Controller('cycles')
export class CyclesController {
  private readonly calendar = new EnglandAndWalesCalendar();

  constructor(
    private readonly commandBus: CommandBus,
    private readonly executor: EventSourcedCommandExecutor,
    private readonly statusReader: CycleStatusReader,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('performance-team')
  @ApiOperation({ summary: "Open a quarter's cycle: a return is requested for every live KPI due that quarter" })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async open(@Body() body: OpenCycleDto, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    parsePeriodId(body.cycleId, 'cycleId');
    const policy = body.reminderPolicy === undefined ? undefined : checkedReminderPolicy(body.reminderPolicy);
    const envelope = commandEnvelopeFrom(request, this.clock);
    const timetable = body.timetable ?? defaultCycleTimetable(body.cycleId, this.calendar);
    const outcome = await this.commandBus.execute(
      new OpenCycleCommand(body.cycleId, { ...timetable }, commandContextOf(principal, envelope), envelope, policy),
    );
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
    const cycleId = periodIdFromPath(period, 'period');
    const envelope = commandEnvelopeFrom(request, this.clock);
    const outcome = await this.commandBus.execute(
      new ExecuteCycleCommand({ type: 'ExtendCycleDeadline', cycleId, data: body, context: commandContextOf(principal, envelope) }, envelope, parseIfMatch(ifMatch)),
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
    const cycleId = periodIdFromPath(period, 'period');
    const envelope = commandEnvelopeFrom(request, this.clock);
    const outstandingReturnIds = await this.statusReader.outstandingReturnIds(cycleId);
    const outcome = await this.commandBus.execute(
      new ExecuteCycleCommand({ type: 'CloseCycle', cycleId, data: { outstandingReturnIds }, context: commandContextOf(principal, envelope) }, envelope, parseIfMatch(ifMatch)),
    );
    return receiptOf(response, outcome, (state: CycleState) => cycleViewOf(state));
  }
}
