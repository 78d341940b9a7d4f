import { Controller, ForbiddenException, Get, NotFoundException, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { returnIdOf, type ReturnEvent } from '@quarterly/domain';
import { Clock, Public, QuarterlyEngine } from '@quarterly/platform';
import { getAuditTrail, getReturnStatus, listPeople, type AuditEntry } from '@quarterly/read-models';
import type { Response } from 'express';
import { asAtInWords } from '../../scorecards/as-at-instant';
import { attachmentHeader, exportFileName } from '../../scorecards/export/export-file-name';
import { EXPORT_MEDIA_TYPES, requestedExportFormat } from '../../scorecards/export/export-format';
import { ScorecardExporter } from '../../scorecards/export/scorecard-exporter';
import { csvTable, xlsxTable } from '../../scorecards/export/tabular-files';
import { periodIdFromPath } from '../../shared/path-params';
import { timelineOf } from '../return-page/return-timeline';
import { PageRenderer } from '../shared/page-renderer';
import { returnPagePath } from '../shared/return-paths';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';

const COLUMNS = ['When (UK time)', 'What happened', 'Words given', 'Event', 'Revision', 'By', 'Correlation id'] as const;
const WIDTHS = [24, 50, 50, 26, 10, 16, 38];

/**
 * A return's audit trail for auditors and the performance team: every event of the return in
 * order, in words, with who, when, its revision and correlation id; as CSV and XLSX too.
 * Reads every page of the trail (the API pages it by cursor).
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/returns/:kpiId/:period/audit')
export class ReturnAuditPageController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
    private readonly pages: PageRenderer,
    private readonly exporter: ScorecardExporter,
  ) {}

  @Get()
  async show(@Param('kpiId') kpiId: string, @Param('period') period: string, @Query('format') formatQuery: unknown, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = request.principal!;
    if (!principal.roles.includes('auditor') && !principal.roles.includes('performance-team')) throw new ForbiddenException('audit trails are for auditors and the performance team');
    const cycleId = periodIdFromPath(period, 'period');
    const returnId = returnIdOf(kpiId, cycleId);
    const format = requestedExportFormat(typeof formatQuery === 'string' && formatQuery !== '' ? formatQuery : undefined, undefined, ['csv', 'xlsx']);
    const db = this.engine.readModels.db;
    if (!(await getReturnStatus(db, returnId, this.clock.now()))) throw new NotFoundException(`no return ${returnId} was requested`);
    const entries: AuditEntry[] = [];
    for (let page = await getAuditTrail(db, { returnId }, { limit: 1000 }); page.length > 0; page = await getAuditTrail(db, { returnId }, { limit: 1000, after: page[page.length - 1]!.position })) {
      entries.push(...page);
      if (page.length < 1000) break;
    }
    const people = await listPeople(db, { includeInactive: true });
    const nameOf = (id: string) => people.find((p) => p.personId === id)?.name ?? id;
    const words = timelineOf(
      entries.map((e) => ({ event: { type: e.type, data: e.data } as ReturnEvent, revision: e.revision, recordedAt: e.recordedAt })),
      nameOf,
    );
    const rows = entries.map((e, i) => [asAtInWords(e.recordedAt), words[i]!.text, words[i]!.quote ?? '', e.type, String(e.revision), nameOf(e.actor), e.correlationId]);
    if (format !== null) {
      const title = `${this.exporter.councilName}: audit trail of ${kpiId} ${cycleId}`;
      const body = format === 'csv' ? csvTable(COLUMNS, rows) : await xlsxTable('Audit trail', { title, subtitle: `As at ${asAtInWords(this.clock.now().toISOString())}` }, COLUMNS.map((header, i) => ({ header, width: WIDTHS[i]! })), rows);
      response.setHeader('Content-Disposition', attachmentHeader(exportFileName(this.exporter.councilName, `${kpiId.toLowerCase()}-audit-trail`, cycleId, this.clock.now().toISOString(), format)));
      response.type(EXPORT_MEDIA_TYPES[format]).send(body);
      return;
    }
    const base = `${returnPagePath(kpiId, cycleId)}/audit`;
    response.type('html').send(
      this.pages.render('return-audit/return-audit.njk', {
        pageTitle: `Audit trail of ${kpiId} ${cycleId}`,
        section: 'status-board',
        principal: layoutPrincipalOf(principal),
        csrfToken: request.webSession!.csrfToken,
        model: {
          kpiId,
          cycleId,
          returnHref: returnPagePath(kpiId, cycleId),
          rows: rows.map((cells) => ({ when: cells[0], what: cells[1], quote: cells[2], type: cells[3], revision: cells[4], correlationId: cells[6] })),
          downloads: [
            { href: `${base}?format=csv`, text: 'CSV' },
            { href: `${base}?format=xlsx`, text: 'Excel (XLSX)' },
          ],
        },
      }),
    );
  }
}
