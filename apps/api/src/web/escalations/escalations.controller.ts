import { Controller, ForbiddenException, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Clock, Public, QuarterlyEngine } from '@quarterly/platform';
import type { Response } from 'express';
import { PageRenderer } from '../shared/page-renderer';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { escalationsToClt } from './escalations.view-model';

/** CLT's page: the returns escalated to them, with the chasers that went before. */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/escalations')
export class EscalationsController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    if (!principal.roles.includes('clt') && !principal.roles.includes('performance-team')) {
      throw new ForbiddenException('escalations are for the corporate leadership team');
    }
    const rows = await escalationsToClt(this.engine, this.clock.now());
    response.type('html').send(
      this.pages.render('escalations/escalations.njk', {
        pageTitle: 'Escalations to CLT',
        section: 'escalations',
        principal: layoutPrincipalOf(principal),
        csrfToken: request.webSession!.csrfToken,
        rows,
      }),
    );
  }
}
