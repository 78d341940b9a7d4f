import { Controller, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { EnglandAndWalesCalendar } from '@quarterly/calendar';
import { Clock, Public, QuarterlyEngine } from '@quarterly/platform';
import type { Response } from 'express';
import { PageRenderer } from '../shared/page-renderer';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { yourReturnsFor } from './your-returns.view-model';

/** "Your returns": what a service lead owes and where their figures stand. */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/your-returns')
export class YourReturnsController {
  private readonly calendar = new EnglandAndWalesCalendar();

  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    const model = await yourReturnsFor(this.engine.readModels, principal, this.clock.now(), this.calendar);
    response.type('html').send(
      this.pages.render('your-returns/your-returns.njk', {
        pageTitle: 'Your returns',
        section: 'your-returns',
        principal: layoutPrincipalOf(principal),
        csrfToken: request.webSession!.csrfToken,
        model,
      }),
    );
  }
}
