import { Controller, Get, NotFoundException, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { assertKpiId } from '@quarterly/domain';
import { ApiExcludeController } from '@nestjs/swagger';
import { Clock, Public, QuarterlyEngine } from '@quarterly/platform';
import { diffScorecards, getKpi, getScorecard, listCycles } from '@quarterly/read-models';
import type { Response } from 'express';
import { parseAsAt } from '../../scorecards/as-at-instant';
import { requestedExportFormat } from '../../scorecards/export/export-format';
import { ScorecardExporter } from '../../scorecards/export/scorecard-exporter';
import { assertPeriodVisible, visibleCyclesFor } from '../../shared/published-cycles';
import { periodIdFromPath } from '../../shared/path-params';
import { cycleEvidencePackPath } from '../audit/audit-page.controller';
import { PageRenderer } from '../shared/page-renderer';
import { ReadModelMemo } from '../shared/read-model-memo';
import { periodPathOf } from '../shared/return-paths';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { scorecardListRows } from './scorecard-list.view-model';
import { scorecardFilters, scorecardPageModel } from './scorecard-page.view-model';
import { SmallMultipleRenderer, smallMultiplesOf } from './small-multiples';
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
    private readonly smallMultiples: SmallMultipleRenderer,
    private readonly memo: ReadModelMemo,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    const staff = principal.roles.some((role) => role !== 'member');
    const rows = scorecardListRows(await listCycles(this.engine.readModels.db), staff);
    response.type('html').send(
      this.pages.render('scorecard/scorecard-list.njk', {
        pageTitle: 'Scorecards',
        section: 'scorecards',
        principal: layoutPrincipalOf(principal),
        csrfToken: request.webSession!.csrfToken,
        rows,
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
    const asAt = asAtGiven ? parseAsAt(asAtGiven, 'asAt', this.clock.now()) : this.clock.now().toISOString();
    const since = sinceGiven ? parseAsAt(sinceGiven, 'since', this.clock.now()) : null;
    const db = this.engine.readModels.db;
    await assertPeriodVisible(db, cycleId, principal);
    const instant = { instant: asAt, isNow: !asAtGiven };
    // The scorecard is kept by the read models' own cache (scorecard.cache.ts: per quarter while
    // its rows stand, stating the instant asked for); "now" is this request's instant.
    const scorecard = await getScorecard(db, cycleId, { asAt });
    if (format !== null) {
      const file = await this.exporter.export(scorecard, format);
      response.setHeader('Content-Disposition', file.disposition);
      response.type(file.mediaType).send(file.body);
      return;
    }
    const filters = scorecardFilters(scorecard, query);
    const earlier = since === null ? null : await getScorecard(db, cycleId, { asAt: since });
    const changes = since === null || earlier === null ? null : { asAt: since, changes: diffScorecards(earlier, scorecard), earlierEntries: earlier.entries };
    const model = scorecardPageModel({ scorecard, councilName: this.exporter.councilName, filters, asAtIsNow: !asAtGiven, since: changes });
    // Each KPI's last eight periods: described in words here, drawn by the image route below
    // (loaded lazily, cached by what it draws), so the page never waits for hundreds of charts.
    const displays = new Map(scorecard.entries.map((e) => [e.kpiId, { unit: e.unit, decimalPlaces: e.decimalPlaces, unitLabel: e.unitLabel }]));
    const visible = await visibleCyclesFor(db, principal);
    const multiples = await this.memo.remember(db, `small-multiples|${cycleId}|${visible?.join(',') ?? 'all'}`, instant, () =>
      smallMultiplesOf(db, cycleId, asAt, visible, (kpiId) => displays.get(kpiId)),
    );
    const base = `/app/scorecards/${periodPathOf(cycleId)}`;
    const asAtParam = `asAt=${encodeURIComponent(scorecard.asAt)}`;
    const trends = Object.fromEntries(
      [...multiples].map(([kpiId, m]) => [
        kpiId,
        {
          src: `${base}/trends/${encodeURIComponent(kpiId)}?${asAtParam}&v=${m.digest}`,
          alt: `Trend of the last ${m.points.length} period${m.points.length === 1 ? '' : 's'}: ${m.description}`,
          tableHref: `/app/kpis/${encodeURIComponent(kpiId)}${asAtGiven ? `?${asAtParam}` : ''}#trend`,
        },
      ]),
    );
    // The highlights and indicator tables (hundreds of rows) are most of the page's rendering:
    // kept like the scorecard they show, per filter and reader (a councillor's trends differ).
    const indicatorsHtml = await this.memo.remember(
      db,
      `scorecard-indicators|${cycleId}|${filters.directorate}|${filters.status}|${visible?.join(',') ?? 'all'}|${asAtGiven ? 'as-at' : 'now'}`,
      instant,
      async () => this.pages.render('scorecard/scorecard-indicators.njk', { model, trends }),
    );
    response.type('html').send(
      this.pages.render('scorecard/scorecard.njk', {
        pageTitle: `Scorecard ${cycleId}`,
        section: 'scorecards',
        principal: layoutPrincipalOf(principal),
        csrfToken: request.webSession!.csrfToken,
        model,
        // A Vega chart too: drawn once per state of the read models.
        overviewSvg: await this.memo.remember(db, `scorecard-overview|${cycleId}`, instant, () => statusOverviewSvg(scorecard.summary.byDirectorate)),
        indicatorsHtml,
        evidencePackHref: layoutPrincipalOf(principal).mayAudit ? cycleEvidencePackPath(cycleId) : null,
      }),
    );
  }

  /**
   * One KPI's small multiple on the scorecard: the SVG of its last eight approved periods and
   * their targets as at `asAt` (the scorecard's instant), published periods only for councillors.
   * The address carries a digest of what it draws (`v`), so the browser may keep it.
   */
  @Get(':period/trends/:kpiId')
  async trend(@Param('period') period: string, @Param('kpiId') kpiId: string, @Query('asAt') asAtText: string | undefined, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    const cycleId = periodIdFromPath(period, 'period');
    assertKpiId(kpiId);
    const asAt = text(asAtText) ? parseAsAt(asAtText!, 'asAt', this.clock.now()) : this.clock.now().toISOString();
    const db = this.engine.readModels.db;
    await assertPeriodVisible(db, cycleId, principal);
    const kpi = await getKpi(db, kpiId);
    if (!kpi) throw new NotFoundException(`KPI ${kpiId} is not defined`);
    const display = { unit: kpi.unit, decimalPlaces: kpi.decimalPlaces, unitLabel: kpi.unitLabel };
    const multiple = (await smallMultiplesOf(db, cycleId, asAt, await visibleCyclesFor(db, principal), () => display, kpiId)).get(kpiId);
    if (!multiple) throw new NotFoundException(`no approved figure of ${kpiId} by then`);
    const svg = await this.smallMultiples.svg(kpi.kpiId, kpi.title, multiple);
    // Same address, same drawing: the digest in `v` changes with the figures.
    response.setHeader('Cache-Control', 'private, max-age=86400');
    response.type('image/svg+xml').send(svg);
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
