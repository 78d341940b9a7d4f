import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Clock, Public, QuarterlyEngine } from '@quarterly/platform';
import { getValueHistory, listPeople } from '@quarterly/read-models';
import type { Response } from 'express';
import { asAtControlValue, asAtInWords, parseAsAt } from '../../scorecards/as-at-instant';
import { attachmentHeader, exportFileName } from '../../scorecards/export/export-file-name';
import { EXPORT_MEDIA_TYPES, requestedExportFormat } from '../../scorecards/export/export-format';
import { ScorecardExporter } from '../../scorecards/export/scorecard-exporter';
import { csvTable, xlsxTable } from '../../scorecards/export/tabular-files';
import { visibleCyclesFor } from '../../shared/published-cycles';
import { kpiEvidencePackPath } from '../audit/audit-page.controller';
import { PageRenderer } from '../shared/page-renderer';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';
import { HISTORY_COLUMNS, historyCells, historyLines } from './kpi-history.view-model';
import { kpiPageModel, loadKpi } from './kpi-page.view-model';

type AsAtQuery = { asAt?: string; format?: string; done?: string };

/** The success banner after a register form (kpi-forms/) redirects here. */
const DONE_WORDS: Readonly<Record<string, string>> = {
  defined: 'The KPI has been added to the register.',
  amended: 'The definition has been changed.',
  targets: 'The targets have been set.',
  ownership: 'The owner and key contacts have been changed.',
  retired: 'The KPI has been retired.',
};

/**
 * A KPI's page (what it measures, targets, the trend of its last eight periods) and its history
 * as a timeline with an "as at" control and CSV/XLSX downloads. Councillors see published
 * periods only.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/kpis/:kpiId')
export class KpiPageController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
    private readonly exporter: ScorecardExporter,
  ) {}

  @Get()
  async show(@Param('kpiId') kpiId: string, @Query() query: AsAtQuery, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const db = this.engine.readModels.db;
    const kpi = await loadKpi(db, kpiId);
    const asAt = this.asAtOf(query);
    const model = await kpiPageModel(db, kpi, asAt, await visibleCyclesFor(db, request.principal!));
    const base = `/app/kpis/${encodeURIComponent(kpi.kpiId)}`;
    const changeLinks =
      request.principal!.roles.includes('performance-team') && !kpi.retired
        ? [
            { href: `${base}/definition`, text: 'Change the definition' },
            { href: `${base}/targets`, text: 'Set next year’s targets (or another year’s)' },
            { href: `${base}/ownership`, text: 'Change the owner or key contacts' },
            { href: `${base}/retirement`, text: 'Retire this KPI' },
          ]
        : [];
    response.type('html').send(
      this.pages.render('kpi-page/kpi-page.njk', {
        pageTitle: `${kpi.kpiId} ${kpi.title}`,
        section: kpiSectionOf(request),
        principal: layoutPrincipalOf(request.principal!),
        csrfToken: request.webSession!.csrfToken,
        model: { ...model, retiredFrom: kpi.retiredFrom },
        changeLinks,
        done: typeof query.done === 'string' ? DONE_WORDS[query.done] : undefined,
      }),
    );
  }

  @Get('history')
  async history(@Param('kpiId') kpiId: string, @Query() query: AsAtQuery, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const db = this.engine.readModels.db;
    const kpi = await loadKpi(db, kpiId);
    const format = requestedExportFormat(typeof query.format === 'string' && query.format !== '' ? query.format : undefined, undefined, ['csv', 'xlsx']);
    const asAtGiven = typeof query.asAt === 'string' && query.asAt !== '';
    const asAt = this.asAtOf(query);
    const cycles = await visibleCyclesFor(db, request.principal!);
    const [people, entries] = await Promise.all([
      listPeople(db, { includeInactive: true }),
      getValueHistory(db, { kpiId: kpi.kpiId, asAt, ...(cycles !== undefined ? { cycles } : {}) }),
    ]);
    const nameOf = (id: string) => people.find((p) => p.personId === id)?.name ?? id;
    const lines = historyLines(entries, nameOf, { unit: kpi.unit, decimalPlaces: kpi.decimalPlaces, unitLabel: kpi.unitLabel });
    if (format !== null) {
      const title = `${this.exporter.councilName}: history of ${kpi.kpiId} ${kpi.title}`;
      const body =
        format === 'csv'
          ? csvTable(HISTORY_COLUMNS, historyCells(lines))
          : await xlsxTable(`${kpi.kpiId} history`, { title, subtitle: `As at ${asAtInWords(asAt)}` }, HISTORY_COLUMNS.map((header, i) => ({ header, width: [24, 12, 24, 12, 16, 20, 50, 40, 40][i]! })), historyCells(lines));
      const fileName = exportFileName(this.exporter.councilName, `${kpi.kpiId.toLowerCase()}-history`, 'all-periods', asAt, format);
      response.setHeader('Content-Disposition', attachmentHeader(fileName));
      response.type(EXPORT_MEDIA_TYPES[format]).send(body);
      return;
    }
    const base = `/app/kpis/${encodeURIComponent(kpi.kpiId)}/history`;
    const asAtQuery = asAtGiven ? `&asAt=${encodeURIComponent(asAt)}` : '';
    response.type('html').send(
      this.pages.render('kpi-page/kpi-history.njk', {
        pageTitle: `History of ${kpi.kpiId}`,
        section: kpiSectionOf(request),
        principal: layoutPrincipalOf(request.principal!),
        csrfToken: request.webSession!.csrfToken,
        model: {
          kpiId: kpi.kpiId,
          title: kpi.title,
          kpiHref: `/app/kpis/${encodeURIComponent(kpi.kpiId)}`,
          asAtIsNow: !asAtGiven,
          asAtInWords: asAtInWords(asAt),
          asAtControl: asAtGiven ? asAtControlValue(asAt) : '',
          publishedOnly: cycles !== undefined,
          lines,
          downloads: [
            { href: `${base}?format=csv${asAtQuery}`, text: 'CSV' },
            { href: `${base}?format=xlsx${asAtQuery}`, text: 'Excel (XLSX)' },
          ],
          evidencePackHref: layoutPrincipalOf(request.principal!).mayAudit ? kpiEvidencePackPath(kpi.kpiId) : null,
        },
      }),
    );
  }

  private asAtOf(query: AsAtQuery): string {
    return typeof query.asAt === 'string' && query.asAt !== '' ? parseAsAt(query.asAt, 'asAt', this.clock.now()) : this.clock.now().toISOString();
  }
}

/**
 * The navigation section a KPI's pages belong to: the KPI register for council staff, the
 * scorecards for a councillor (who reaches a KPI from a scorecard and has no register).
 */
function kpiSectionOf(request: WebRequest): 'kpis' | 'scorecards' {
  return layoutPrincipalOf(request.principal!).isStaff ? 'kpis' : 'scorecards';
}
