import { Controller, ForbiddenException, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { EnglandAndWalesCalendar } from '@quarterly/calendar';
import { Clock, Public, QuarterlyEngine } from '@quarterly/platform';
import type { Response } from 'express';
import { PageRenderer } from '../shared/page-renderer';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { toReviewFor } from './to-review.view-model';

/** "To review": a DMT's queue of figures to approve or challenge. */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/to-review')
export class ToReviewController {
  private readonly calendar = new EnglandAndWalesCalendar();

  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    if (!principal.roles.includes('dmt') && !principal.roles.includes('performance-team')) {
      throw new ForbiddenException('only a directorate management team reviews figures');
    }
    const now = this.clock.now();
    const model = await toReviewFor(this.engine.readModels, principal, now, this.calendar.localDateOf(now));
    response.type('html').send(
      this.pages.render('to-review/to-review.njk', {
        pageTitle: 'To review',
        section: 'to-review',
        principal: layoutPrincipalOf(principal),
        csrfToken: request.webSession!.csrfToken,
        model,
      }),
    );
  }
}
