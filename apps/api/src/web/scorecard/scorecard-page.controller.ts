import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Clock, Public, QuarterlyEngine } from '@quarterly/platform';
import { diffScorecards, getScorecard, isPublishedCycle, listCycles } from '@quarterly/read-models';
import type { Response } from 'express';
import { parseAsAt } from '../../scorecards/as-at-instant';
import { requestedExportFormat } from '../../scorecards/export/export-format';
import { ScorecardExporter } from '../../scorecards/export/scorecard-exporter';
import { assertPeriodVisible } from '../../shared/published-cycles';
import { periodIdFromPath } from '../../shared/path-params';
import { PageRenderer } from '../shared/page-renderer';
import { periodPathOf } from '../shared/return-paths';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { scorecardFilters, scorecardPageModel } from './scorecard-page.view-model';
import { statusOverviewSvg } from './status-overview-chart';

type ScorecardQuery = { asAt?: string; since?: string; directorate?: string; status?: string; format?: string };

/**
 * The scorecard pages: the quarters one may read (members: the published ones), and a quarter's
 * scorecard as it stood at any instant, filtered, with what changed since an earlier instant and
 * downloads of the same scorecard as XLSX, CSV and PDF.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/scorecards')
export class ScorecardPageController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
    private readonly exporter: ScorecardExporter,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    const staff = principal.roles.some((role) => role !== 'member');
    const cycles = (await listCycles(this.engine.readModels.db)).filter((c) => staff || isPublishedCycle(c));
    response.type('html').send(
      this.pages.render('scorecard/scorecard-list.njk', {
        pageTitle: 'Scorecards',
        section: 'scorecards',
        principal: layoutPrincipalOf(principal),
        csrfToken: request.webSession!.csrfToken,
        cycles: cycles.map((c) => ({ href: `/app/scorecards/${periodPathOf(c.cycleId)}`, cycleId: c.cycleId, published: isPublishedCycle(c) })),
      }),
    );
  }

  @Get(':period')
  async show(@Param('period') period: string, @Query() query: ScorecardQuery, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    const cycleId = periodIdFromPath(period, 'period');
    const format = requestedExportFormat(text(query.format), undefined, ['csv', 'xlsx', 'pdf']);
    const asAtGiven = text(query.asAt);
    const sinceGiven = text(query.since);
    const asAt = asAtGiven ? parseAsAt(asAtGiven, 'asAt') : this.clock.now().toISOString();
    const since = sinceGiven ? parseAsAt(sinceGiven, 'since') : null;
    const db = this.engine.readModels.db;
    await assertPeriodVisible(db, cycleId, principal);
    const scorecard = await getScorecard(db, cycleId, { asAt });
    if (format !== null) {
      const file = await this.exporter.export(scorecard, format);
      response.setHeader('Content-Disposition', file.disposition);
      response.type(file.mediaType).send(file.body);
      return;
    }
    const filters = scorecardFilters(scorecard, query);
    const changes = since === null ? null : { asAt: since, changes: diffScorecards(await getScorecard(db, cycleId, { asAt: since }), scorecard) };
    const model = scorecardPageModel({ scorecard, councilName: this.exporter.councilName, filters, asAtIsNow: !asAtGiven, since: changes });
    response.type('html').send(
      this.pages.render('scorecard/scorecard.njk', {
        pageTitle: `Scorecard ${cycleId}`,
        section: 'scorecards',
        principal: layoutPrincipalOf(principal),
        csrfToken: request.webSession!.csrfToken,
        model,
        overviewSvg: await statusOverviewSvg(scorecard.summary.byDirectorate),
      }),
    );
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
