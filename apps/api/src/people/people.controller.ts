import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { personDecider, personStreamId, type PersonState } from '@quarterly/domain';
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
import { ExecutePersonCommand } from './commands/execute-person-command.command';
import { ChangePersonDetailsDto, DeactivatePersonDto, RegisterPersonDto } from './person.dto';
import { personViewOf } from './person.view';


/** The people directory: who holds which role, in which directorate, and where to e-mail them. */
@ApiTags('People')
@ApiBearerAuth()
@Controller('people')
export class PeopleController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly executor: EventSourcedCommandExecutor,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('performance-team')
  @ApiOperation({ summary: 'Register a person with their roles' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async register(@Body() body: RegisterPersonDto, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { personId, ...data } = body;
    const envelope = commandEnvelopeFrom(request, this.clock);
    const outcome = await this.commandBus.execute(
      new ExecutePersonCommand({ type: 'RegisterPerson', personId, data, context: commandContextOf(principal, envelope) }, envelope),
    );
    return createdReceiptOf(response, outcome, `/people/${encodeURIComponent(personId)}`, personViewOf);
  }

  @Get(':personId')
  @Roles('performance-team', 'auditor')
  @ApiOperation({ summary: 'A person in the directory (ETag: its version)' })
  async get(@Param('personId') personId: string, @Res({ passthrough: true }) response: Response) {
    const { state, revision } = await this.executor.load(personStreamId(personId), personDecider);
    if (state.status === 'not_registered') throw new NotFoundException(`person ${personId} is not registered`);
    response.setHeader('ETag', etagOf(revision));
    return { version: String(revision), ...personViewOf(state) };
  }

  @Patch(':personId')
  @Roles('performance-team')
  @ApiOperation({ summary: "Change a person's name, e-mail, roles or directorate" })
  @ApiHeader(ifMatchHeader('person'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async change(@Param('personId') personId: string, @Body() body: ChangePersonDetailsDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const envelope = commandEnvelopeFrom(request, this.clock);
    const outcome = await this.commandBus.execute(
      new ExecutePersonCommand({ type: 'ChangePersonDetails', personId, data: body, context: commandContextOf(principal, envelope) }, envelope, parseIfMatch(ifMatch)),
    );
    return receiptOf(response, outcome, (state: PersonState) => personViewOf(state));
  }

  @Post(':personId/deactivation')
  @HttpCode(200)
  @Roles('performance-team')
  @ApiOperation({ summary: 'Deactivate a person (their history stays)' })
  @ApiHeader(ifMatchHeader('person'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async deactivate(@Param('personId') personId: string, @Body() body: DeactivatePersonDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const envelope = commandEnvelopeFrom(request, this.clock);
    const outcome = await this.commandBus.execute(
      new ExecutePersonCommand({ type: 'DeactivatePerson', personId, data: body, context: commandContextOf(principal, envelope) }, envelope, parseIfMatch(ifMatch)),
    );
    return receiptOf(response, outcome, (state: PersonState) => personViewOf(state));
  }
}
