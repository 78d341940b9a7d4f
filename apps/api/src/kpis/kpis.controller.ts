import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AmendKpiDefinitionCommand,
  ChangeKpiOwnershipCommand,
  DefineKpiCommand,
  RetireKpiCommand,
  SetKpiTargetPolicyCommand,
  type Caller,
  type KpiRef,
} from '@quarterly/application';
import { kpiDecider, kpiStreamId, type KpiState } from '@quarterly/domain';
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
import { financialYearFromPath } from '../shared/path-params';
import { AmendKpiDefinitionDto, ChangeKpiOwnershipDto, DefineKpiDto, RetireKpiDto, SetKpiTargetPolicyDto } from './kpi.dto';
import { kpiViewOf } from './kpi.view';


@ApiTags('KPI register')
@ApiBearerAuth()
@Controller('kpis')
export class KpisController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly executor: EventSourcedCommandExecutor,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('performance-team')
  @ApiOperation({ summary: 'Define a KPI in the register' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async define(@Body() body: DefineKpiDto, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { kpiId, ...definition } = body;
    const outcome: CommandOutcome<KpiState> = await this.commandBus.execute(
      new DefineKpiCommand({ kpiId }, definition, { principal, envelope: commandEnvelopeFrom(request, this.clock) }),
    );
    return createdReceiptOf(response, outcome, `/kpis/${encodeURIComponent(kpiId)}`, kpiViewOf);
  }

  @Get(':kpiId')
  @Roles('performance-team', 'service-lead', 'dmt', 'clt', 'auditor')
  @ApiOperation({ summary: 'The current register entry of a KPI (ETag: its version)' })
  async get(@Param('kpiId') kpiId: string, @Res({ passthrough: true }) response: Response) {
    const { state, revision } = await this.executor.load(kpiStreamId(kpiId), kpiDecider);
    if (state.status === 'not_defined') throw new NotFoundException(`KPI ${kpiId} is not defined`);
    response.setHeader('ETag', etagOf(revision));
    return { version: String(revision), ...kpiViewOf(state) };
  }

  @Post(':kpiId/amendments')
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({ summary: 'Amend the definition; a changed definition can put figures under quality assurance' })
  @ApiHeader(ifMatchHeader('KPI'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  amend(@Param('kpiId') kpiId: string, @Body() body: AmendKpiDefinitionDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(response, (target, caller) => new AmendKpiDefinitionCommand(target, body, caller), kpiId, ifMatch, principal, request);
  }

  @Put(':kpiId/ownership')
  @Roles('performance-team')
  @ApiOperation({ summary: 'Change the accountable owner and key contacts' })
  @ApiHeader(ifMatchHeader('KPI'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  changeOwnership(@Param('kpiId') kpiId: string, @Body() body: ChangeKpiOwnershipDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(response, (target, caller) => new ChangeKpiOwnershipCommand(target, body, caller), kpiId, ifMatch, principal, request);
  }

  @Put(':kpiId/targets/:financialYear')
  @Roles('performance-team')
  @ApiOperation({ summary: 'Set the target policy for a financial year (written 2024-25 in the path)' })
  @ApiHeader(ifMatchHeader('KPI'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  setTargets(@Param('kpiId') kpiId: string, @Param('financialYear') year: string, @Body() body: SetKpiTargetPolicyDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const financialYear = financialYearFromPath(year);
    return this.run(response, (target, caller) => new SetKpiTargetPolicyCommand(target, { ...body, financialYear }, caller), kpiId, ifMatch, principal, request);
  }

  @Post(':kpiId/retirement')
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({ summary: 'Retire the KPI from a quarter onwards' })
  @ApiHeader(ifMatchHeader('KPI'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  retire(@Param('kpiId') kpiId: string, @Body() body: RetireKpiDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.run(response, (target, caller) => new RetireKpiCommand(target, body, caller), kpiId, ifMatch, principal, request);
  }

  private async run(
    response: Response,
    command: (target: KpiRef, caller: Caller) => AmendKpiDefinitionCommand | ChangeKpiOwnershipCommand | SetKpiTargetPolicyCommand | RetireKpiCommand,
    kpiId: string,
    ifMatchHeader: string | undefined,
    principal: Principal,
    request: Request,
  ) {
    kpiStreamId(kpiId); // refuses a malformed id with 400 before anything else
    const envelope = commandEnvelopeFrom(request, this.clock);
    const outcome: CommandOutcome<KpiState> = await this.commandBus.execute(command({ kpiId, ...ifMatchOf(ifMatchHeader) }, { principal, envelope }));
    return receiptOf(response, outcome, (state: KpiState) => kpiViewOf(state));
  }
}
