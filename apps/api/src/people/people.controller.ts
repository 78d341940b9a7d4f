import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangePersonDetailsCommand, DeactivatePersonCommand, RegisterPersonCommand } from '@quarterly/application';
import { personDecider, personStreamId, type PersonState } from '@quarterly/domain';
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
    const { personId, ...registration } = body;
    const outcome: CommandOutcome<PersonState> = await this.commandBus.execute(
      new RegisterPersonCommand({ personId }, registration, { principal, envelope: commandEnvelopeFrom(request, this.clock) }),
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
  @ApiOperation({ summary: "Change a person's name, e-mail, roles, directorate or sign-in id" })
  @ApiHeader(ifMatchHeader('person'))
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  async change(@Param('personId') personId: string, @Body() body: ChangePersonDetailsDto, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const envelope = commandEnvelopeFrom(request, this.clock);
    const outcome: CommandOutcome<PersonState> = await this.commandBus.execute(
      new ChangePersonDetailsCommand({ personId, ...ifMatchOf(ifMatch) }, body, { principal, envelope }),
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
    const outcome: CommandOutcome<PersonState> = await this.commandBus.execute(
      new DeactivatePersonCommand({ personId, ...ifMatchOf(ifMatch) }, body, { principal, envelope }),
    );
    return receiptOf(response, outcome, (state: PersonState) => personViewOf(state));
  }
}
